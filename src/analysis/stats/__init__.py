"""Statistical tests of regional disparity and trend, honest about small samples.

Used by notebooks 40-42 (``40_regional_disparity``, ``41_teacher_shortage``, ``42_trends``), which
call one function per analysis of :mod:`regional`, :mod:`shortage` and :mod:`timeseries`. Tests,
intervals and corrections come from scipy.stats and statsmodels; only what no maintained library
offers is coded here, each piece unit-tested against an independently computed value
(``tests/unit/test_stats_*.py``):

``tidy``         one record format for every statistic (test, quantity, subject, estimate with its
                 standard error, interval, p-value, adjusted p, n, method, note);
``disparity``    chi-square homogeneity with Cramér's V and the bias-corrected V, Wilson intervals;
``betabinom``    the beta-binomial model and regression: fit, profile-likelihood intervals,
                 predictive limits and p-values (in-sample and leave-one-out), shrinkage;
``funnel``       exact binomial funnel limits (Spiegelhalter 2005 interpolation), dispersion,
                 the logit-scale random-effects check;
``inequality``   CV, max/min, Gini, Theil (unweighted and weighted), Theil split, Lorenz curve,
                 basic intervals from resampling each region's count from its binomial;
``spatial``      Moran's I with row-standardised or binary weights, permutation test, what drives
                 its sign;
``association``  the planned associations of notebook 41: Spearman's rho with plain, matched and
                 conditional analyses, Holm with Monte-Carlo errors, power;
``trend``        exact Mann-Kendall (also with ties), Sen's slope with its real coverage, Tarone's
                 multiplicity family, Pearson dispersion against a Poisson trend;
``statements``   the supplementary series of dated official statements (a separate source);
``regional``, ``shortage``, ``timeseries``  the analyses of notebooks 40, 41 and 42 and their tables;
``summary``      plain-language summaries written from the computed numbers.
"""
