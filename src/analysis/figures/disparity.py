"""Figures of notebook 40: each region's share with its interval, the funnel plot, the shrunken
shares, the Lorenz curve.

Each takes the results of :func:`analysis.stats.regional.analyse` and a language, and returns an
:class:`analysis.figures.Figure` (its caption: title and source, Table 1); labels come from
:mod:`analysis.i18n`.
"""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D

from analysis.figures import Figure
from analysis.figures.style import (
    ACCENT,
    LIMIT_COLOUR,
    MARKER_AREA,
    REGION_COLOUR,
    TYPE_COLOURS,
    TYPE_MARKERS,
    label_points,
    localise_numbers,
    new_figure,
    type_legend,
    wrap,
)
from analysis.i18n import decimal, figure_region_labels, t


def _figure(fig, data: pd.DataFrame, title: str, lang: str) -> Figure:
    localise_numbers(fig, lang)
    return Figure(fig, data, title, [], t("source_table1", lang))


def wilson_figure(res, regions: pd.DataFrame, lang: str, year: int) -> Figure:
    """Dot and interval plot: each region's share with its Wilson interval, the national band."""
    d = pd.concat([res.data[["region_iso", "type"]], res.wilson[["share", "ci_low", "ci_high"]]], axis=1)
    d = d.sort_values(["share", "region_iso"], ascending=[False, True], kind="stable").reset_index(drop=True)
    d.insert(1, "label", d["region_iso"].map(figure_region_labels(regions, lang)))
    data = d.assign(share_pct=100 * d["share"], ci_low_pct=100 * d["ci_low"], ci_high_pct=100 * d["ci_high"],
                    national_pct=100 * res.national["share"])[["region_iso", "label", "type", "share_pct", "ci_low_pct",
                                                               "ci_high_pct", "national_pct"]]
    fig, ax = new_figure("column", 4.8)
    ax.hlines(data["label"], data["ci_low_pct"], data["ci_high_pct"], color=[TYPE_COLOURS[k] for k in data["type"]], lw=1)
    sns.scatterplot(data=data, x="share_pct", y="label", hue="type", style="type", palette=TYPE_COLOURS,
                    markers=TYPE_MARKERS, s=MARKER_AREA, legend=False, ax=ax, zorder=3)
    nat = res.national
    ax.axvspan(100 * nat["ci_low"], 100 * nat["ci_high"], color=ACCENT, alpha=0.25, lw=0)
    ax.axvline(100 * nat["share"], color=ACCENT, lw=1.2)
    ax.set_xlabel(wrap(t("stats_share_axis", lang), 28))
    ax.set_ylabel("")
    ax.set_xlim(0, 100)
    nat_handle = Line2D([], [], color=ACCENT, lw=1.2, label=t("stats_national_share", lang,
                                                              value=decimal(100 * nat["share"], 1, lang)))
    fig.legend(handles=type_legend(lang, [nat_handle]), loc="outside lower center", ncol=1, frameon=False)
    return _figure(fig, data, t("stats_wilson_title", lang, year=year), lang)


def funnel_figure(res, regions: pd.DataFrame, lang: str, year: int) -> Figure:
    """Each region's share against its number of preschools, with limits that stay in [0, 100] %:
    the beta-binomial predictive limits (the spread of the regions allowed for) and, for reference,
    the exact binomial limits of one common share. Every region is labelled; adjustText keeps the
    labels apart (:func:`analysis.figures.style.label_points`), and the legend sits below the axes."""
    labels = figure_region_labels(regions, lang)
    c = res.curve
    fig, ax = new_figure("page", 5.4)
    for kind, colour, width, key in (("binom", "#aaaaaa", 0.8, "stats_limit_binomial"),
                                     ("bb", LIMIT_COLOUR, 1.0, "stats_limit_betabinomial")):
        for tag, ls in (("95", "--"), ("998", "-")):
            ax.plot(c["size"], 100 * c[f"{kind}_low_{tag}"], ls=ls, color=colour, lw=width,
                    label=t(f"{key}_{tag}", lang))
            ax.plot(c["size"], 100 * c[f"{kind}_high_{tag}"], ls=ls, color=colour, lw=width)
    ax.axhline(100 * res.national["share"], color=ACCENT, lw=1.2,
               label=t("stats_national_share", lang, value=decimal(100 * res.national["share"], 1, lang)))
    u = res.units
    points = pd.DataFrame({"kind": "region", "region_iso": u["region_iso"], "label": u["region_iso"].map(labels),
                           "size": u["size"], "share_pct": 100 * u["share"], "predictive_p": u["predictive_p"],
                           "p_holm": u["p_holm"], "flagged": u["flagged"]})
    sns.scatterplot(data=points.assign(type=res.data["type"].to_numpy()), x="size", y="share_pct", hue="type",
                    style="type", palette=TYPE_COLOURS, markers=TYPE_MARKERS, s=MARKER_AREA, legend=False, ax=ax, zorder=3)
    ax.set_ylim(0, 100)
    ax.set_xlim(0, c["size"].max())
    ax.set_xlabel(t("stats_preschools_axis", lang))
    ax.set_ylabel(wrap(t("stats_share_axis", lang), 45))
    handles, _ = ax.get_legend_handles_labels()
    fig.legend(handles=[*handles, *type_legend(lang)], loc="outside lower center", ncol=2, frameon=False)
    localise_numbers(fig, lang)
    label_points(ax, points["size"], points["share_pct"], points["label"])
    limits = c.assign(kind="limit")
    for col in [k for k in limits.columns if k.endswith(("_95", "_998")) or k == "target"]:
        limits[col] = 100 * limits[col]
    return _figure(fig, pd.concat([points, limits], ignore_index=True), t("stats_funnel_title", lang, year=year), lang)


def shrinkage_figure(res, regions: pd.DataFrame, lang: str, year: int) -> Figure:
    """Each region's share as printed against its empirical-Bayes shrunken share with its interval:
    how far the spread of the other regions pulls each one towards the mean."""
    d = res.shrunk.sort_values(["shrunk_share", "region_iso"], ascending=[False, True], kind="stable")
    data = pd.DataFrame({"region_iso": d["region_iso"], "label": d["region_iso"].map(figure_region_labels(regions, lang)),
                         "type": d["type"], "size": d["size"], "raw_pct": 100 * d["raw_share"],
                         "shrunk_pct": 100 * d["shrunk_share"], "ci_low_pct": 100 * d["ci_low"],
                         "ci_high_pct": 100 * d["ci_high"], "weight_on_raw": d["weight_on_raw"]})
    fig, ax = new_figure("column", 5.0)
    ax.hlines(data["label"], data["ci_low_pct"], data["ci_high_pct"], color=[TYPE_COLOURS[k] for k in data["type"]], lw=1)
    ax.scatter(data["raw_pct"], data["label"], marker="|", s=40, color="#555555", zorder=3)
    sns.scatterplot(data=data, x="shrunk_pct", y="label", hue="type", style="type", palette=TYPE_COLOURS,
                    markers=TYPE_MARKERS, s=MARKER_AREA, legend=False, ax=ax, zorder=4)
    ax.axvline(100 * res.bb["mu"], color=ACCENT, lw=1.2)
    ax.set_xlim(0, 100)
    ax.set_xlabel(wrap(t("stats_share_axis", lang), 28))
    ax.set_ylabel("")
    raw = Line2D([], [], marker="|", ls="", ms=40 ** 0.5, color="#555555", label=t("stats_raw_share", lang))
    mean = Line2D([], [], color=ACCENT, lw=1.2, label=t("stats_bb_mean", lang, value=decimal(100 * res.bb["mu"], 1, lang)))
    fig.legend(handles=type_legend(lang, [raw, mean]), loc="outside lower center", ncol=1, frameon=False)
    return _figure(fig, data, t("stats_shrinkage_title", lang, year=year), lang)


def lorenz_figure(res, lang: str, year: int) -> Figure:
    curve = res.lorenz
    fig, ax = new_figure("column", 3.4)
    ax.plot([0, 1], [0, 1], color=LIMIT_COLOUR, lw=0.8, ls="--", label=t("stats_equality_line", lang))
    sns.lineplot(data=curve, x="cum_population", y="cum_amount", marker="o", markersize=3, color=REGION_COLOUR,
                 label=t("stats_gini", lang, value=decimal(res.lorenz_gini, 3, lang)), ax=ax, estimator=None, sort=False)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(wrap(t("stats_lorenz_x_preschools", lang), 45))
    ax.set_ylabel(wrap(t("stats_lorenz_y_inclusive", lang), 40))
    ax.legend(loc="upper left", frameon=False)
    return _figure(fig, curve[["region_iso", "cum_population", "cum_amount"]], t("stats_lorenz_title", lang, year=year), lang)
