"""The summary of notebook 42 (trends: the article's two points and the supplementary statements), in one language."""

from __future__ import annotations

import math

import pandas as pd

from analysis.i18n import t
from analysis.stats import statements as st
from analysis.stats.summary import Numbers, listing, opening
from analysis.stats.timeseries import COLLAPSE_RULES, MAIN_RULE, MIN_REAL_COVERAGE, SLOPE_SIGNIFICANT_WITHOUT_INTERVAL

TABLES = ("results/stats/42_trends_statistics.csv", "results/stats/42_trend_tests_by_indicator.csv",
          "results/stats/42_collapsed_statements.csv")
ROLES = ("observation", "lower_bound", "approximate", "target", "other_indicator")


def trends(res, inputs: list[str], lang: str = "en") -> str:
    """The plain-language summary of :class:`analysis.stats.timeseries.TrendResults` in ``lang``:
    every number from the results, every sentence a template of ``summaries.csv``; which rises are
    robust to the collapse rule is computed here from the numbers."""
    f = Numbers(lang)
    p = res.params
    alpha = p["alpha"]
    tv, lim = res.tvet, res.limits
    needed = lim["n_needed"]
    doc = opening(lang, "s42_title", "notebooks/42_trends.ipynb", inputs, ", ".join(f"`{x}`" for x in TABLES),
                  census="s42_census")

    def ind(items) -> str:
        return listing([st.label(i, lang) for i in items], lang)

    doc.heading("s42_tvet_heading")
    doc.bullet("s42_tvet_change", start=f.int(tv["start"]), start_year=tv["start_year"], end=f.int(tv["end"]),
               end_year=tv["end_year"], difference=f"{tv['difference']:+d}", growth=f.pct(tv["growth"]),
               annual=f.pct(tv["annual_growth"]))
    doc.bullet("s42_tvet_test")
    doc.bullet("s42_tvet_steady", points=tv["points"], smallest=f.dec(tv["smallest_p_trend"], 2), needed=needed,
               alpha=f.alpha(alpha), smallest_needed=f.dec(lim["smallest_p_needed"], 3))

    s = res.statements
    roles = s["role"].value_counts()
    main = res.trends[res.trends["collapse_rule"] == MAIN_RULE]
    collapsed = res.collapsed[(res.collapsed["analysis_set"] == "all_dates") & (res.collapsed["collapse_rule"] == MAIN_RULE)]
    doc.heading("s42_series_heading")
    doc.bullet("s42_series_source", rows=len(s),
               roles=", ".join(f"{int(roles.get(r, 0))} {t('s42_role_' + r, lang)}" for r in ROLES),
               inferred=int((~s["exact_date"]).sum()))
    doc.bullet("s42_collapse", dropped=len(collapsed), rule=t("s42_collapse_rule", lang))
    dispersion = res.trends["pearson_dispersion"].dropna()
    doc.bullet("s42_methods", level=f.pct(p["confidence"], 0), coverage=f.pct(MIN_REAL_COVERAGE, 0), alpha=f.alpha(alpha),
               disp_low=f.dec(dispersion.min(), 3), disp_high=f.dec(dispersion.max(), 2))
    family = main[main["in_family"]]
    family_all = family[family["analysis_set"] == "all_dates"]
    family_exact = family[family["analysis_set"] == "exact_dates_only"]
    doc.bullet("s42_family", alpha=f.alpha(alpha), names=ind(family_all["indicator"]), k=len(family_all),
               names_exact=ind(family_exact["indicator"]))
    doc.raw("")
    doc.raw("| " + " | ".join(t(f"s42_col_{c_}", lang) for c_ in
                              ("set", "indicator", "n", "values", "smallest", "mk", "sen", "growth")) + " |")
    doc.raw("| --- " * 8 + "|")
    for r in main.itertuples():
        if pd.isna(r.p_value):
            mk = t("s42_not_testable", lang)
        else:
            mk = f"{f.dec(r.p_value, 3)} ({f.dec(r.p_holm, 3) if r.in_family else '—'})"
        if pd.isna(r.sen_slope):
            sen = "—"
        elif r.sen_interval == "shown":
            sen = f"{f.dec(r.sen_slope, 1)} ({f.ci(r.sen_low, r.sen_high, 1)})"
        else:
            digits = 0 if r.sen_slope == 0 else max(0, SLOPE_SIGNIFICANT_WITHOUT_INTERVAL - 1
                                                    - math.floor(math.log10(abs(r.sen_slope))))
            sen = f"{f.dec(r.sen_slope, digits)} ({t('s42_interval_suppressed', lang)})"
        growth = "—" if pd.isna(r.growth_per_year) else f.pct(r.growth_per_year)
        values = " ".join(f.dec(float(v), 1 if float(v) != int(float(v)) else 0) for v in r.values.split())
        doc.raw(f"| {t('s42_set_' + r.analysis_set, lang)} | {st.label(r.indicator, lang)} | "
                f"{r.n} ({r.n_statements}) | {values} | {f.dec(r.smallest_p, 3)} | {mk} | {sen} | {growth} |")
    doc.raw("")
    rising = main[(main["analysis_set"] == "all_dates") & (main["p_holm"] < alpha) & (main["tau_b"] > 0)]["indicator"]
    hopeless = main[(main["analysis_set"] == "all_dates") & (main["smallest_p"] > alpha)]["indicator"]
    suppressed = main[(main["analysis_set"] == "all_dates") & main["sen_interval"].str.startswith("suppressed")]["indicator"]
    doc.bullet("s42_rising", alpha=f.alpha(alpha), names=ind(rising))
    doc.bullet("s42_hopeless", alpha=f.alpha(alpha), names=ind(hopeless))
    doc.bullet("s42_suppressed", names=ind(suppressed), coverage=f.pct(MIN_REAL_COVERAGE, 0))

    doc.heading("s42_rules_heading", level=3)
    tested = res.trends[(res.trends["analysis_set"] == "all_dates") & res.trends["p_value"].notna()]
    doc.raw("| " + " | ".join([t("s42_col_indicator", lang), *(t(f"s42_rule_{r}", lang) for r in COLLAPSE_RULES),
                              t("s42_col_family", lang)]) + " |")
    doc.raw("| --- " * (len(COLLAPSE_RULES) + 2) + "|")
    for indicator, part in tested.groupby("indicator", sort=True):
        by_rule = part.set_index("collapse_rule")
        cells = []
        for rule in COLLAPSE_RULES:
            r = by_rule.loc[rule]
            cells.append(f"{r['values']}: {f.dec(r['p_value'], 3)}"
                         + (f" ({f.dec(r['p_holm'], 3)})" if r["in_family"] else ""))
        doc.raw(f"| {st.label(indicator, lang)} | " + " | ".join(cells).replace(".", "," if lang != "en" else ".")
                + f" | {t('s42_yes' if by_rule['in_family'].all() else 's42_no', lang)} |")
    doc.raw("")
    rob = res.robustness[res.robustness["analysis_set"] == "all_dates"]
    candidates = rob[rob["in_family_under"] != ""]
    robust = candidates[candidates["robust"]]["indicator"]
    not_robust = [t("s42_not_robust_item", lang, name=st.label(r.indicator, lang),
                    ps=", ".join(t("s42_rule_p", lang, rule=t(f"s42_rule_{rule}", lang),
                                   p=f.dec(float(tested[(tested["indicator"] == r.indicator)
                                                        & (tested["collapse_rule"] == rule)]["p_holm"].iloc[0]), 3))
                                 for rule in COLLAPSE_RULES))
                  for r in candidates[~candidates["robust"]].itertuples()]
    doc.bullet("s42_robust", robust=ind(robust), not_robust=listing(not_robust, lang))

    doc.heading("s42_comparison_heading")
    doc.raw("| " + " | ".join(t(f"s42_cmp_{c_}", lang) for c_ in ("indicator", "article", "before", "after")) + " |")
    doc.raw("| --- " * 4 + "|")
    for r in res.comparison.itertuples():
        doc.raw(f"| {st.label(r.indicator, lang)} | {f.int(r.article_value)} ({r.article_stat_id}) | "
                f"{_side(r, 'before', f)} | {_side(r, 'after', f)} |")
    doc.raw("")
    outside = res.comparison.loc[~res.comparison["article_within_bracket"], "indicator"]
    doc.bullet("s42_outside", names=ind(outside))

    doc.heading("s_limits")
    doc.bullet("s42_lim_exact", alpha=f.alpha(alpha), needed=needed, p3=f.dec(lim["smallest_p_n3"], 2),
               p4=f.dec(lim["smallest_p_n4"], 3), p5=f.dec(lim["smallest_p_n5"], 4))
    doc.bullet("s42_lim_sen", level=f.pct(p["confidence"], 0), coverage_n3=f.pct(lim["sen_coverage_n3"], 0))
    doc.bullet("s42_lim_stocks")
    doc.bullet("s42_lim_statements")
    doc.bullet("s42_lim_source")
    return doc.text()


def _side(r, side: str, f: Numbers) -> str:
    value = getattr(r, f"{side}_value")
    if value is None or pd.isna(value):
        return "—"
    kind = getattr(r, f"{side}_qualifier")
    qualifier = "" if kind == "exact" else t(f"s42_qualifier_{kind}", f.lang)
    return t("s42_cmp_side", f.lang, qualifier=qualifier, value=f.int(value), date=getattr(r, f"{side}_date"),
             quality=t(f"s42_date_{getattr(r, f'{side}_date_quality')}", f.lang),
             difference=f"{getattr(r, f'{side}_difference'):+g}")
