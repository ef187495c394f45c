"""The summary of notebook 42 (trends: the article's two points and the supplementary statements), in one language."""

from __future__ import annotations

import pandas as pd

from analysis.i18n import t
from analysis.stats.summary import Numbers, listing, opening

TABLES = ("results/stats/42_trends_statistics.csv", "results/stats/42_trend_tests_by_indicator.csv",
          "results/stats/42_collapsed_statements.csv")
ROLES = ("observation", "lower_bound", "approximate", "target", "other_indicator")


def trends(res, inputs: list[str], lang: str = "en") -> str:
    f = Numbers(lang)
    p = res.params
    alpha = p["alpha"]
    tv, lim = res.tvet, res.limits
    c = tv["comparison"]
    needed = lim["n_needed"]
    doc = opening(lang, "s42_title", "notebooks/42_trends.ipynb", inputs, ", ".join(f"`{x}`" for x in TABLES),
                  census="s42_census")

    doc.heading("s42_tvet_heading")
    doc.bullet("s42_tvet_change", start=f.int(tv["start"]), start_year=tv["start_year"], end=f.int(tv["end"]),
               end_year=tv["end_year"], difference=f"{c['difference']:+d}", growth=f.pct(c["growth"]),
               annual=f.pct(c["annual_growth"]), ci=f.ci(c["growth_low"], c["growth_high"], 1, pct=True),
               ci_annual=f.ci(c["annual_low"], c["annual_high"], 1, pct=True))
    doc.bullet("s42_tvet_test", verdict=t("s_differ" if c["p_value"] < alpha else "s_not_differ", lang),
               p=f.p(c["p_value"]), p_exact=f.p(c["p_exact_conditional"]), threshold=f.dec(c["dispersion_threshold"], 2))
    doc.bullet("s42_tvet_steady", points=tv["points"], smallest=f.dec(tv["smallest_p_trend"], 2), needed=needed,
               alpha=f.alpha(alpha), smallest_needed=f.dec(lim["smallest_p_needed"], 3))

    s = res.statements
    roles = s["role"].value_counts()
    collapsed = res.collapsed[res.collapsed["analysis_set"] == "all_dates"]
    doc.heading("s42_series_heading")
    doc.bullet("s42_series_source", rows=len(s),
               roles=", ".join(f"{int(roles.get(r, 0))} {t('s42_role_' + r, lang)}" for r in ROLES),
               inferred=int((~s["exact_date"]).sum()))
    doc.bullet("s42_collapse", dropped=len(collapsed), rule=t("s42_collapse_rule", lang))
    doc.bullet("s42_methods", level=f.pct(p["confidence"], 0), coverage=f.pct(0.90, 0))
    doc.raw("")
    doc.raw("| " + " | ".join(t(f"s42_col_{c_}", lang) for c_ in
                              ("set", "indicator", "n", "values", "smallest", "mk", "sen", "growth")) + " |")
    doc.raw("| --- " * 8 + "|")
    for r in res.trends.itertuples():
        mk = (t("s42_not_testable", lang) if pd.isna(r.p_value)
              else f"{f.dec(r.p_value, 3)} ({f.dec(r.p_holm, 3)})")
        if pd.isna(r.sen_slope):
            sen = "—"
        elif r.sen_interval == "shown":
            sen = f"{f.dec(r.sen_slope, 2)} ({f.ci(r.sen_low, r.sen_high, 2)})"
        else:
            sen = f"{f.dec(r.sen_slope, 2)} ({t('s42_interval_suppressed', lang)})"
        growth = "—" if pd.isna(r.growth_per_year) else f.pct(r.growth_per_year)
        doc.raw(f"| {t('s42_set_' + r.analysis_set, lang)} | {t('stats_ind_' + r.indicator, lang)} | "
                f"{r.n} ({r.n_statements}) | {r.values.replace('.', ',') if lang != 'en' else r.values} | "
                f"{f.dec(r.smallest_p, 3)} | {mk} | {sen} | {growth} |")
    doc.raw("")
    main = res.trends[res.trends["analysis_set"] == "all_dates"]
    rising = main[(main["p_holm"] < alpha) & (main["tau_b"] > 0)]["indicator"]
    hopeless = main[main["smallest_p"] > alpha]["indicator"]
    suppressed = main[main["sen_interval"].str.startswith("suppressed")]["indicator"]

    def ind(items) -> str:
        return listing([t("stats_ind_" + i, lang) for i in items], lang)

    doc.bullet("s42_rising", alpha=f.alpha(alpha), names=ind(rising))
    doc.bullet("s42_hopeless", alpha=f.alpha(alpha), names=ind(hopeless))
    doc.bullet("s42_suppressed", names=ind(suppressed), coverage=f.pct(0.90, 0))

    doc.heading("s42_comparison_heading")
    doc.raw("| " + " | ".join(t(f"s42_cmp_{c_}", lang) for c_ in ("indicator", "article", "before", "after")) + " |")
    doc.raw("| --- " * 4 + "|")
    for r in res.comparison.itertuples():
        doc.raw(f"| {t('stats_ind_' + r.indicator, lang)} | {f.int(r.article_value)} ({r.article_stat_id}) | "
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
