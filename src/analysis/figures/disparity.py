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
    CITY_COLOUR,
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


def wilson_figure(data: pd.DataFrame, shares, regions: pd.DataFrame, lang: str, year: int) -> Figure:
    """Dot and interval plot: each region's share with its Wilson interval, the national band
    (``data`` from :func:`analysis.stats.regional.prepare`, ``shares`` from
    :func:`analysis.stats.regional.shares`)."""
    d = pd.concat([data[["region_iso", "type"]], shares.regions[["share", "ci_low", "ci_high"]]], axis=1)
    d = d.sort_values(["share", "region_iso"], ascending=[False, True], kind="stable").reset_index(drop=True)
    d.insert(1, "label", d["region_iso"].map(figure_region_labels(regions, lang)))
    data = d.assign(share_pct=100 * d["share"], ci_low_pct=100 * d["ci_low"], ci_high_pct=100 * d["ci_high"],
                    national_pct=100 * shares.national["share"])[["region_iso", "label", "type", "share_pct", "ci_low_pct",
                                                               "ci_high_pct", "national_pct"]]
    fig, ax = new_figure("column", 4.8)
    ax.hlines(data["label"], data["ci_low_pct"], data["ci_high_pct"], color=[TYPE_COLOURS[k] for k in data["type"]], lw=1)
    sns.scatterplot(data=data, x="share_pct", y="label", hue="type", style="type", palette=TYPE_COLOURS,
                    markers=TYPE_MARKERS, s=MARKER_AREA, legend=False, ax=ax, zorder=3)
    nat = shares.national
    ax.axvspan(100 * nat["ci_low"], 100 * nat["ci_high"], color=ACCENT, alpha=0.25, lw=0)
    ax.axvline(100 * nat["share"], color=ACCENT, lw=1.2)
    ax.set_xlabel(wrap(t("stats_share_axis", lang), 28))
    ax.set_ylabel("")
    ax.set_xlim(0, 100)
    nat_handle = Line2D([], [], color=ACCENT, lw=1.2, label=t("stats_national_share", lang,
                                                              value=decimal(100 * nat["share"], 1, lang)))
    fig.legend(handles=type_legend(lang, [nat_handle]), loc="outside lower center", ncol=1, frameon=False)
    return _figure(fig, data, t("stats_wilson_title", lang, year=year), lang)


#: The columns of the funnel figure's data, in their declared order.
FUNNEL_COLUMNS = ["kind", "region_iso", "label", "size", "share_pct", "predictive_p", "p_holm", "flagged", "target",
                  "bb_centre", "binom_low_95", "binom_high_95", "bb_low_95", "bb_high_95", "binom_low_998",
                  "binom_high_998", "bb_low_998", "bb_high_998", "region_centre", "region_low_95", "region_high_95",
                  "region_low_998", "region_high_998", "city_centre", "city_low_95", "city_high_95", "city_low_998",
                  "city_high_998", "loo_p", "city_model_loo_p", "city_model_loo_holm"]


def _limits(ax, size, low95, high95, low998, high998, colour, width, keys, lang, **values):
    """A pair of funnel limits (95% dashed, 99.8% solid) in one colour, each named once."""
    for low, high, ls, key in ((low95, high95, "--", keys[0]), (low998, high998, "-", keys[1])):
        ax.plot(size, 100 * low, ls=ls, color=colour, lw=width, label=t(key, lang, **values))
        ax.plot(size, 100 * high, ls=ls, color=colour, lw=width)


def _centre(ax, value: float, colour: str, ls, key: str, lang: str) -> None:
    ax.axhline(100 * value, color=colour, lw=1.0, ls=ls, label=t(key, lang, value=decimal(100 * value, 1, lang)))


def funnel_figure(data: pd.DataFrame, shares, ob, cm, regions: pd.DataFrame, lang: str, year: int) -> Figure:
    """Each unit's share against its number of preschools, with limits that stay in [0, 100] %, in
    two panels. Above, one Beta for all 20 units: its predictive limits and their centre (the mean
    of the Beta) and, for reference, the exact binomial limits of one common share around the
    national share. Below, the city model: the regions' limits around the regions' mean and the
    cities' around the cities' mean. Every centre line is drawn and named; every unit is labelled
    (adjustText, :func:`analysis.figures.style.label_points`); the legend sits below the axes.
    ``ob`` and ``cm`` are the pieces of :func:`analysis.stats.regional.one_beta` and
    :func:`analysis.stats.regional.city_model`."""
    labels = figure_region_labels(regions, lang)
    c, k = ob.curve, len(data)
    fig, (top, bottom) = new_figure("page", 8.6, 2, 1, sharex=True)
    top.plot(c["size"], 100 * c["binom_low_998"], ls=":", color="#999999", lw=0.9, label=t("stats_limit_binomial_998", lang))
    top.plot(c["size"], 100 * c["binom_high_998"], ls=":", color="#999999", lw=0.9)
    _centre(top, shares.national["share"], "#999999", "-", "stats_centre_national", lang)
    _limits(top, c["size"], c["bb_low_95"], c["bb_high_95"], c["bb_low_998"], c["bb_high_998"], LIMIT_COLOUR, 1.0,
            ("stats_limit_betabinomial_95", "stats_limit_betabinomial_998"), lang)
    _centre(top, ob.fit["mu"], LIMIT_COLOUR, "-.", "stats_centre_one_beta", lang)
    cc = cm.curve
    largest_city = cm.units.loc[cm.units["type"] == "city", "size"].max()
    for group, colour in (("region", REGION_COLOUR), ("city", CITY_COLOUR)):
        # the cities' limits only over the sizes cities have (up to half again the largest city)
        part = cc if group == "region" else cc[cc["size"] <= 1.5 * largest_city]
        _limits(bottom, part["size"], part[f"{group}_low_95"], part[f"{group}_high_95"], part[f"{group}_low_998"],
                part[f"{group}_high_998"], colour, 0.9, (f"stats_limit_{group}_95", f"stats_limit_{group}_998"), lang)
        _centre(bottom, part[f"{group}_centre"].iloc[0], colour, "-.", f"stats_centre_{group}", lang)
    u, cu = ob.units, cm.units
    points = pd.DataFrame({"kind": "region", "region_iso": u["region_iso"], "label": u["region_iso"].map(labels),
                           "size": u["size"], "share_pct": 100 * u["share"], "predictive_p": u["predictive_p"],
                           "p_holm": u["p_holm"], "flagged": u["flagged"], "loo_p": u["loo_p"],
                           "city_model_loo_p": cu["loo_p"].to_numpy(), "city_model_loo_holm": cu["loo_holm"].to_numpy()})
    for ax, key in ((top, "stats_funnel_panel_one_beta"), (bottom, "stats_funnel_panel_city_model")):
        sns.scatterplot(data=points.assign(type=data["type"].to_numpy()), x="size", y="share_pct", hue="type",
                        style="type", palette=TYPE_COLOURS, markers=TYPE_MARKERS, s=MARKER_AREA, legend=False, ax=ax,
                        zorder=3)
        ax.set_ylim(0, 100)
        ax.set_xlim(0, c["size"].max())
        ax.set_ylabel(wrap(t("stats_share_axis", lang), 40))
        ax.set_title(t(key, lang, k=k), fontsize=8)
    bottom.set_xlabel(t("stats_preschools_axis", lang))
    handles = [*top.get_legend_handles_labels()[0], *bottom.get_legend_handles_labels()[0], *type_legend(lang)]
    for handle in handles:
        handle.set_label(wrap(handle.get_label(), 46))
    fig.legend(handles=handles, loc="outside lower center", ncol=2, frameon=False)
    localise_numbers(fig, lang)
    for ax in (top, bottom):
        label_points(ax, points["size"], points["share_pct"], points["label"])
    limits = c.assign(kind="limit", bb_centre=ob.fit["mu"])
    for col in [name for name in cc.columns if name != "size"]:
        limits[col] = cc[col].to_numpy()
    for col in [name for name in limits.columns if name.endswith(("_95", "_998", "_centre")) or name == "target"]:
        limits[col] = 100 * limits[col]
    table = pd.concat([points, limits], ignore_index=True).reindex(columns=FUNNEL_COLUMNS)
    return _figure(fig, table, t("stats_funnel_title", lang, year=year), lang)


def shrinkage_figure(ob, regions: pd.DataFrame, lang: str, year: int) -> Figure:
    """Each region's share as printed against its empirical-Bayes shrunken share with its interval
    (conditional on the fitted alpha and beta): how far the spread of the other regions pulls each
    one towards the mean (``ob`` from :func:`analysis.stats.regional.one_beta`)."""
    d = ob.shrunk.sort_values(["shrunk_share", "region_iso"], ascending=[False, True], kind="stable")
    data = pd.DataFrame({"region_iso": d["region_iso"], "label": d["region_iso"].map(figure_region_labels(regions, lang)),
                         "type": d["type"], "size": d["size"], "raw_pct": 100 * d["raw_share"],
                         "shrunk_pct": 100 * d["shrunk_share"], "posterior_sd_pct": 100 * d["posterior_sd"],
                         "ci_low_pct": 100 * d["ci_low"], "ci_high_pct": 100 * d["ci_high"],
                         "weight_on_raw": d["weight_on_raw"]})
    fig, ax = new_figure("column", 5.0)
    ax.hlines(data["label"], data["ci_low_pct"], data["ci_high_pct"], color=[TYPE_COLOURS[k] for k in data["type"]], lw=1)
    ax.scatter(data["raw_pct"], data["label"], marker="|", s=40, color="#555555", zorder=3)
    sns.scatterplot(data=data, x="shrunk_pct", y="label", hue="type", style="type", palette=TYPE_COLOURS,
                    markers=TYPE_MARKERS, s=MARKER_AREA, legend=False, ax=ax, zorder=4)
    ax.axvline(100 * ob.fit["mu"], color=ACCENT, lw=1.2)
    ax.set_xlim(0, 100)
    ax.set_xlabel(wrap(t("stats_share_axis", lang), 28))
    ax.set_ylabel("")
    raw = Line2D([], [], marker="|", ls="", ms=40 ** 0.5, color="#555555", label=t("stats_raw_share", lang))
    mean = Line2D([], [], color=ACCENT, lw=1.2, label=t("stats_bb_mean", lang, value=decimal(100 * ob.fit["mu"], 1, lang)))
    fig.legend(handles=type_legend(lang, [raw, mean]), loc="outside lower center", ncol=1, frameon=False)
    return _figure(fig, data, t("stats_shrinkage_title", lang, year=year), lang)


def lorenz_figure(curve: pd.DataFrame, gini: float, lang: str, year: int) -> Figure:
    """The Lorenz curve of preschools with inclusive conditions against all public preschools, with
    its Gini (:func:`analysis.stats.regional.lorenz`)."""
    fig, ax = new_figure("column", 3.4)
    ax.plot([0, 1], [0, 1], color=LIMIT_COLOUR, lw=0.8, ls="--", label=t("stats_equality_line", lang))
    sns.lineplot(data=curve, x="cum_population", y="cum_amount", marker="o", markersize=3, color=REGION_COLOUR,
                 label=t("stats_gini", lang, value=decimal(gini, 3, lang)), ax=ax, estimator=None, sort=False)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(wrap(t("stats_lorenz_x_preschools", lang), 45))
    ax.set_ylabel(wrap(t("stats_lorenz_y_inclusive", lang), 40))
    ax.legend(loc="upper left", frameon=False)
    return _figure(fig, curve[["region_iso", "cum_population", "cum_amount"]], t("stats_lorenz_title", lang, year=year), lang)
