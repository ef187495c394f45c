"""Figures of notebook 41: shortage-rate funnels, the urban/rural and state/private splits, the
concentration curves and the association scatter plots (small multiples).

Each takes the results of :func:`analysis.stats.shortage.analyse` and a language, and returns an
:class:`analysis.figures.Figure` (its caption: title and source, Tables 1 and 2 or Table 2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.figures import Figure
from analysis.figures.style import (
    ACCENT,
    CITY_COLOUR,
    LIMIT_COLOUR,
    MARKER_AREA,
    REGION_COLOUR,
    TYPE_COLOURS,
    TYPE_MARKERS,
    localise_numbers,
    new_figure,
    type_legend,
    wrap,
)
from analysis.i18n import decimal, figure_region_labels, t
from analysis.stats.shortage import RATIOS

RATE_PANELS = [("state_shortage_per_100_sen", "stats_rate_per100sen_axis"),
               ("state_shortage_per_inclusive", "stats_rate_per_inclusive_axis")]


def _figure(fig, data: pd.DataFrame, title: str, source: str, lang: str, notes: tuple[str, ...] = ()) -> Figure:
    localise_numbers(fig, lang)
    return Figure(fig, data, title, [t(n, lang) for n in notes], t(source, lang))


def rates_figure(data: pd.DataFrame, rates, regions: pd.DataFrame, lang: str, year: int) -> Figure:
    """The matched-scope rates by region, sorted, with the national rate: descriptive (the regions
    differ by hundreds of times more than counting noise, so no Poisson limits are drawn). Each axis
    names its unit and scope (state-preschool shortage, persons per public-preschool denominator)."""
    labels = figure_region_labels(regions, lang)
    fig, axes = new_figure("page", 4.6, 1, len(RATE_PANELS))
    tables = []
    for ax, (ratio, xlab) in zip(axes, RATE_PANELS, strict=True):
        num, den, _, _ = RATIOS[ratio]
        d = data.sort_values([ratio, "region_iso"], ascending=[False, True], kind="stable")
        points = pd.DataFrame({"ratio": ratio, "region_iso": d["region_iso"], "label": d["region_iso"].map(labels),
                               "type": d["type"], "numerator": d[num], "denominator": d[den], "rate": d[ratio],
                               "national_rate": rates.dispersion[ratio]["rate"]})
        ax.hlines(points["label"], 0, points["rate"], color="#cccccc", lw=0.8)
        sns.scatterplot(data=points, x="rate", y="label", hue="type", style="type", palette=TYPE_COLOURS,
                        markers=TYPE_MARKERS, s=MARKER_AREA, legend=False, ax=ax, zorder=3)
        ax.axvline(points["national_rate"].iloc[0], color=ACCENT, lw=1.2)
        ax.set_xlabel(wrap(t(xlab, lang), 34))
        ax.set_ylabel("")
        ax.set_xlim(0, 1.06 * max(points["rate"].max(), points["national_rate"].iloc[0]))
        tables.append(points)
    fig.legend(handles=type_legend(lang, [Line2D([], [], color=ACCENT, label=t("stats_national_rate", lang))]),
               loc="outside lower center", ncol=3, frameon=False)
    return _figure(fig, pd.concat(tables, ignore_index=True), t("stats_shortage_rates_title", lang, year=year),
                   "source_tables12", lang, ("stats_rates_note",))


def split_figure(data: pd.DataFrame, splits, regions: pd.DataFrame, lang: str, year: int) -> Figure:
    """Each region's urban and private shares of its shortage (bars), with the national shares
    (lines); the cities' "no rural areas" note sits at the left of their bars, clear of the
    national line, and the two panels are set apart so that their end ticks do not meet."""
    labels = figure_region_labels(regions, lang)
    d = data.sort_values(["urban_share", "region_iso"], kind="stable").reset_index(drop=True)
    fig, axes = new_figure("page", 4.4, 1, 2, sharey=True)
    ypos = np.arange(len(d))
    nat = splits.splits["national"]
    for ax, col, key, nat_key in ((axes[0], "urban_share", "stats_urban_share_axis", "urban"),
                                   (axes[1], "private_share", "stats_private_share_axis", "private")):
        ax.barh(ypos, 100 * d[col], color=[TYPE_COLOURS[k] for k in d["type"]], height=0.7)
        ax.axvline(100 * nat[nat_key]["share"], color=ACCENT, lw=1.2)
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.set_xlabel(wrap(t(key, lang), 45))
        if col == "urban_share":
            for y, kind in zip(ypos, d["type"], strict=True):
                if kind == "city":
                    ax.text(2, y, t("stats_no_rural_areas", lang), va="center", ha="left", fontsize=7, color="white")
    axes[0].set_yticks(ypos, d["region_iso"].map(labels))
    axes[0].set_ylim(-0.6, len(d) - 0.4)
    fig.get_layout_engine().set(wspace=0.08)
    handles = [Patch(color=REGION_COLOUR, label=t("stats_oblast", lang)), Patch(color=CITY_COLOUR, label=t("stats_city", lang)),
               Line2D([], [], color=ACCENT, label=t("stats_national_rate", lang))]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False)
    table = d[["region_iso", "type", "shortage_total", "shortage_urban", "shortage_rural", "shortage_state",
               "shortage_private", "urban_share", "private_share"]].assign(
        national_urban_share=nat["urban"]["share"], national_private_share=nat["private"]["share"])
    return _figure(fig, table, t("stats_split_title", lang, year=year), "source_table2", lang)


#: The concentration panels: base -> (panel title key, x-axis key).
CONCENTRATION_PANELS = {"regions": ("stats_base_regions", "stats_lorenz_x_regions"),
                        "sen_children": ("stats_base_sen", "stats_lorenz_x_sen"),
                        "preschools_total": ("stats_base_preschools", "stats_lorenz_x_preschools")}


def concentration_figure(conc, lang: str, year: int) -> Figure:
    """Lorenz curves of the state-preschool shortage, one panel per base (the 20 regions counted
    once, the children with SEN, the public preschools), each x axis naming its base and each panel
    its Gini; the diagonal is an equal shortage per unit of the base."""
    data = pd.concat([curve.assign(base=name, gini=conc.gini[name]) for name, curve in conc.lorenz.items()],
                     ignore_index=True)[["base", "region_iso", "cum_population", "cum_amount", "gini"]]
    fig, axes = new_figure("page", 3.2, 1, len(CONCENTRATION_PANELS), sharey=True)
    for ax, (name, (title_key, x_key)) in zip(axes, CONCENTRATION_PANELS.items(), strict=True):
        curve = conc.lorenz[name]
        ax.plot([0, 1], [0, 1], color=LIMIT_COLOUR, lw=0.8, ls="--", label=t("stats_equality_line", lang))
        ax.plot(curve["cum_population"], curve["cum_amount"], marker="o", markersize=3, lw=1, color=REGION_COLOUR)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal")
        ax.set_title(wrap(t(title_key, lang, value=decimal(conc.gini[name], 3, lang)), 30), fontsize=7.5)
        ax.set_xlabel(wrap(t(x_key, lang, k=conc.n_regions), 30))
    axes[0].set_ylabel(wrap(t("stats_lorenz_y_shortage", lang), 40))
    fig.legend(handles=[Line2D([], [], color=LIMIT_COLOUR, lw=0.8, ls="--", label=t("stats_equality_line", lang))],
               loc="outside lower center", frameon=False)
    return _figure(fig, data, t("stats_concentration_title", lang, year=year), "source_tables12", lang,
                   ("stats_concentration_note",))


ASSOCIATION_AXES = {"inclusive_share": ("stats_inclusive_share_axis", 100),
                    "state_shortage_per_100_sen": ("stats_state_per100sen_axis", 1),
                    "sen_per_preschool": ("stats_sen_per_preschool_axis", 1),
                    "state_shortage_per_inclusive": ("stats_state_per_inclusive_axis", 1)}


def association_figure(data: pd.DataFrame, associations, lang: str, year: int) -> Figure:
    """One scatter per planned association (small multiples), regions as circles and cities as
    squares, in the panels and in the legend alike, at page width (text at 7 pt or more)."""
    results = associations.table
    fig, axes = new_figure("page", 3.5, 1, len(results))
    axes = np.atleast_1d(axes)
    tables = []
    for ax, row in zip(axes, results.itertuples(), strict=True):
        (xkey, xm), (ykey, ym) = ASSOCIATION_AXES[row.x], ASSOCIATION_AXES[row.y]
        points = pd.DataFrame({"association": row.key, "region_iso": data["region_iso"],
                               "x": xm * data[row.x], "y": ym * data[row.y], "type": data["type"]})
        sns.scatterplot(data=points, x="x", y="y", hue="type", style="type", palette=TYPE_COLOURS, markers=TYPE_MARKERS,
                        s=MARKER_AREA, legend=False, ax=ax)
        ax.set_xlabel(wrap(t(xkey, lang), 30))
        ax.set_ylabel(wrap(t(ykey, lang), 34))
        basis = "stats_basis_conditional" if row.decision_basis.startswith("the conditional") else "stats_basis_permutation"
        ax.set_title(wrap(t("stats_assoc_rho_ci", lang, rho=decimal(row.rho, 2, lang), low=decimal(row.ci_low, 2, lang),
                            high=decimal(row.ci_high, 2, lang)), 32) + "\n"
                     + wrap(t("stats_assoc_p_holm", lang, p=decimal(row.p_decision, 3, lang), basis=t(basis, lang),
                              holm=decimal(row.p_holm, 3, lang), k=len(results)), 32), fontsize=7)
        tables.append(points.drop(columns="type"))
    fig.legend(handles=type_legend(lang), loc="outside lower center", ncol=2, frameon=False)
    return _figure(fig, pd.concat(tables, ignore_index=True), t("stats_assoc_title_n", lang, n=len(data), year=year),
                   "source_tables12", lang, ("stats_assoc_note",))
