"""Statistical tests of regional disparity and trend, honest about small samples.

Used by notebooks 40-42 (``40_regional_disparity``, ``41_teacher_shortage``, ``42_trends``).
Tests, intervals and corrections come from scipy.stats and statsmodels; only what no maintained
library offers is coded here, each piece unit-tested against an independently computed value
(``tests/test_stats_*.py``):

``tidy``         one record format for every statistic (test, quantity, subject, estimate,
                 ci_low, ci_high, p_value, p_adjusted, n, method, note) and number formatting;
``disparity``    chi-square homogeneity with Cramér's V and the bias-corrected V, Wilson intervals;
``funnel``       exact binomial and Poisson funnel limits (Spiegelhalter 2005 interpolation),
                 winsorised z-scores, multiplicative dispersion factor and additive tau^2,
                 overdispersion-adjusted z-scores with Holm;
``inequality``   CV, max/min, Gini, Theil (unweighted and weighted), Theil between/within split,
                 Lorenz curve, uncertainty by resampling each region's count from its binomial;
``association``  the pre-specified associations of notebook 41, Spearman's rho with permutation
                 p-value and bootstrap interval, power at the available n;
``shortage``     teacher-shortage ratios, urban/rural and state/private splits, concentration;
``trend``        exact Mann-Kendall (also with ties), Sen's slope with its real coverage,
                 Poisson / quasi-Poisson log-linear trend, two-count Poisson comparison;
``statements``   the supplementary series of dated official statements (a separate source);
``figures``      the figures of notebooks 40-42, labels from ``analysis.i18n``;
``summary``      plain-language summaries written from the computed numbers.
"""
