"""Figures of notebooks 40-42, one language at a time, labels from ``analysis.i18n``.

Each function returns ``(figure, data)``: the matplotlib figure and the table of every number
drawn, which :meth:`analysis.outputs.OutputWriter.add_figure` stores beside the PNG and SVG.
Call :func:`analysis.plotstyle.use_style` first.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.i18n import region_labels, t
from analysis.plotstyle import PALETTE
from analysis.stats.shortage import RATIOS

CITY_COLOUR, REGION_COLOUR, LIMIT_COLOUR, ACCENT = PALETTE[3], PALETTE[0], "#555555", PALETTE[1]


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters (titles and long axis labels)."""
    import textwrap

    return textwrap.fill(text, width=width, break_long_words=False)


def num(value: float, digits: int, lang: str) -> str:
    """A number with ``digits`` decimals and the language's decimal separator."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang in ("kk", "ru") else text


def decimal_commas(fig, lang: str) -> None:
    """Tick labels with the language's decimal separator (kk, ru: comma)."""
    if lang not in ("kk", "ru"):
        return
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if isinstance(axis.get_major_formatter(), ScalarFormatter):
                axis.set_major_formatter(FuncFormatter(lambda v, pos: f"{v:g}".replace(".", ",").replace("-", "\u2212")))


def _type_colours(types) -> list[str]:
    return [CITY_COLOUR if kind == "city" else REGION_COLOUR for kind in types]


def _type_legend(ax, lang, extra=()):
    from matplotlib.lines import Line2D
    handles = [Line2D([], [], marker="o", ls="", color=REGION_COLOUR, label=t("stats_oblast", lang)),
               Line2D([], [], marker="s", ls="", color=CITY_COLOUR, label=t("stats_city", lang)), *extra]
    return handles


# -- notebook 40 ---------------------------------------------------------------------------------

def wilson_figure(res, regions: pd.DataFrame, lang: str, year: int):
    labels = region_labels(regions, lang)
    d = pd.concat([res.data[["region_iso", "type"]], res.wilson[["share", "ci_low", "ci_high"]]], axis=1)
    d = d.sort_values(["share", "region_iso"], kind="stable").reset_index(drop=True)
    d.insert(1, "label", d["region_iso"].map(labels))
    fig, ax = plt.subplots(figsize=(7.5, 6.2))
    ypos = np.arange(len(d))
    for kind, marker in (("region", "o"), ("city", "s")):
        m = (d["type"] == kind).to_numpy()
        ax.errorbar(100 * d.loc[m, "share"], ypos[m],
                    xerr=[100 * (d.loc[m, "share"] - d.loc[m, "ci_low"]), 100 * (d.loc[m, "ci_high"] - d.loc[m, "share"])],
                    fmt=marker, color=CITY_COLOUR if kind == "city" else REGION_COLOUR, capsize=2, ms=4, lw=1)
    nat = res.national
    ax.axvspan(100 * nat["ci_low"], 100 * nat["ci_high"], color=ACCENT, alpha=0.25, lw=0)
    ax.axvline(100 * nat["share"], color=ACCENT, lw=1.2)
    ax.set_yticks(ypos, d["label"])
    ax.set_xlabel(t("stats_share_axis", lang))
    ax.set_xlim(0, 100)
    ax.set_title(wrap(t("stats_wilson_title", lang, year=year), 80), loc="left")
    from matplotlib.lines import Line2D
    nat_handle = Line2D([], [], color=ACCENT, lw=1.2, label=t("stats_national_share", lang, value=num(100 * nat["share"], 1, lang)))
    ax.legend(handles=_type_legend(ax, lang, [nat_handle]), loc="lower right", frameon=False)
    decimal_commas(fig, lang)
    fig.tight_layout()
    data = d.assign(share_pct=100 * d["share"], ci_low_pct=100 * d["ci_low"], ci_high_pct=100 * d["ci_high"],
                    national_pct=100 * nat["share"])[["region_iso", "label", "type", "share_pct", "ci_low_pct",
                                                        "ci_high_pct", "national_pct"]]
    return fig, data


def funnel_figure(res, regions: pd.DataFrame, lang: str, year: int):
    labels = region_labels(regions, lang)
    c = res.curve
    od = res.overdispersion
    fig, ax = plt.subplots(figsize=(7.5, 6.2))
    styles = [("exact", "95", "--", t("stats_limit_exact_95", lang)),
              ("exact", "998", "-", t("stats_limit_exact_998", lang)),
              ("phi", "998", ":", t("stats_limit_phi_998", lang, phi=num(od["phi"], 1, lang))),
              ("tau", "998", "-.", t("stats_limit_tau_998", lang,
                                     tau=num(100 * np.sqrt(od["tau2"]), 1, lang) + " " + t("stats_pp", lang)))]
    for kind, tag, ls, label in styles:
        lo = np.clip(100 * c[f"{kind}_low_{tag}"], 0, 100)
        hi = np.clip(100 * c[f"{kind}_high_{tag}"], 0, 100)
        ax.plot(c["size"], lo, ls=ls, color=LIMIT_COLOUR, lw=0.9, label=label)
        ax.plot(c["size"], hi, ls=ls, color=LIMIT_COLOUR, lw=0.9)
    ax.axhline(100 * res.national["share"], color=ACCENT, lw=1.2,
               label=t("stats_national_share", lang, value=num(100 * res.national["share"], 1, lang)))
    d = res.data
    share = 100 * d["preschools_inclusive"] / d["preschools_total"]
    for kind, marker in (("region", "o"), ("city", "s")):
        m = (d["type"] == kind).to_numpy()
        ax.scatter(d.loc[m, "preschools_total"], share[m], marker=marker, s=22, zorder=3,
                   color=CITY_COLOUR if kind == "city" else REGION_COLOUR,
                   label=t("stats_city" if kind == "city" else "stats_oblast", lang))
    for x, y, code in zip(d["preschools_total"], share, d["region_iso"], strict=True):
        ax.annotate(labels[code], (x, y), xytext=(3, 2), textcoords="offset points", fontsize=6)
    ax.set_ylim(0, 100)
    ax.set_xlim(0, c["size"].max())
    ax.set_xlabel(t("stats_preschools_axis", lang))
    ax.set_ylabel(t("stats_share_axis", lang))
    ax.set_title(wrap(t("stats_funnel_title", lang, year=year), 80), loc="left")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.11), fontsize=7, frameon=False, ncol=2)
    decimal_commas(fig, lang)
    fig.tight_layout()
    points = pd.DataFrame({"kind": "region", "region_iso": d["region_iso"], "label": d["region_iso"].map(labels),
                           "size": d["preschools_total"], "share_pct": share.to_numpy(),
                           "z": res.units["z"], "z_adjusted": res.units["z_adjusted"],
                           "p_holm": res.units["p_adjusted"], "flagged": res.units["flagged"]})
    limits = c.assign(kind="limit")
    for col in [k for k in limits.columns if k.endswith(("_95", "_998")) or k == "target"]:
        limits[col] = 100 * limits[col]
    return fig, pd.concat([points, limits], ignore_index=True)


def lorenz_figure(res, lang: str, year: int):
    curve = res.lorenz
    fig, ax = plt.subplots(figsize=(5.2, 5.0))
    ax.plot([0, 1], [0, 1], color=LIMIT_COLOUR, lw=0.8, ls="--", label=t("stats_equality_line", lang))
    ax.plot(curve["cum_population"], curve["cum_amount"], marker="o", ms=3, color=REGION_COLOUR,
            label=t("stats_gini", lang, value=num(res.lorenz_gini, 3, lang)))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(t("stats_lorenz_x_preschools", lang))
    ax.set_ylabel(wrap(t("stats_lorenz_y_inclusive", lang), 45))
    ax.set_title(wrap(t("stats_lorenz_title", lang, year=year), 55), loc="left")
    ax.legend(loc="upper left", frameon=False)
    decimal_commas(fig, lang)
    fig.tight_layout()
    return fig, curve[["region_iso", "cum_population", "cum_amount"]]


# -- notebook 41 ---------------------------------------------------------------------------------

def shortage_funnel_figure(sres, regions: pd.DataFrame, lang: str, year: int):
    labels = region_labels(regions, lang)
    panels = [("shortage_per_100_sen", "stats_numerator_total", "stats_per100sen_axis", "stats_sen_children_axis"),
              ("shortage_per_inclusive", "stats_numerator_total", "stats_per_inclusive_axis", "stats_inclusive_preschools_axis"),
              ("state_shortage_per_100_sen", "stats_numerator_state", "stats_per100sen_axis", "stats_sen_children_axis"),
              ("state_shortage_per_inclusive", "stats_numerator_state", "stats_per_inclusive_axis", "stats_inclusive_preschools_axis")]
    fig, axes = plt.subplots(2, 2, figsize=(10, 8))
    tables = []
    for ax, (ratio, numerator, ylab, xlab) in zip(axes.ravel(), panels, strict=True):
        f = sres.funnels[ratio]
        curve = f["curve"]
        units = f["units"]
        mult = 100 if "100_sen" in ratio else 1
        x_of = (lambda e, mult=mult: e * mult)
        for tag, ls, key in (("95", "--", "stats_limit_poisson_95"), ("998", "-", "stats_limit_poisson_998")):
            ax.plot(x_of(curve["exposure"]), curve[f"exact_low_{tag}"], ls=ls, color=LIMIT_COLOUR, lw=0.9, label=t(key, lang))
            ax.plot(x_of(curve["exposure"]), curve[f"exact_high_{tag}"], ls=ls, color=LIMIT_COLOUR, lw=0.9)
        ax.plot(x_of(curve["exposure"]), np.clip(curve["phi_low_998"], 0, None), ls=":", color=LIMIT_COLOUR, lw=0.9,
                label=t("stats_limit_phi_998", lang, phi=num(f["overdispersion"]["phi"], 0, lang)))
        ax.plot(x_of(curve["exposure"]), curve["phi_high_998"], ls=":", color=LIMIT_COLOUR, lw=0.9)
        ax.axhline(f["rate"], color=ACCENT, lw=1.2, label=t("stats_national_rate", lang))
        types = sres.data.set_index("region_iso").loc[units["region_iso"], "type"].to_numpy()
        for kind, marker in (("region", "o"), ("city", "s")):
            m = types == kind
            ax.scatter(x_of(units.loc[m, "exposure"]), units.loc[m, "estimate"], marker=marker, s=18, zorder=3,
                       color=CITY_COLOUR if kind == "city" else REGION_COLOUR)
        for x, y, code in zip(x_of(units["exposure"]), units["estimate"], units["region_iso"], strict=True):
            ax.annotate(labels[code], (x, y), xytext=(3, 2), textcoords="offset points", fontsize=5.5)
        top = max(units["estimate"].max(), curve["exact_high_998"].max()) * 1.08
        ax.set_ylim(0, top)
        ax.set_xlim(0, x_of(curve["exposure"]).max())
        ax.set_xlabel(wrap(t(xlab, lang), 50))
        ax.set_ylabel(wrap(t(ylab, lang), 45))
        ax.set_title(t(numerator, lang), loc="left", fontsize=9)
        ax.legend(fontsize=6, frameon=False, loc="upper right")
        base = sres.data.set_index("region_iso").loc[units["region_iso"], RATIOS[ratio][1]].to_numpy()
        tables.append(units.assign(ratio=ratio, base=base, national_rate=f["rate"],
                                   phi=f["overdispersion"]["phi"]))
    fig.suptitle(wrap(t("stats_shortage_funnel_title", lang, year=year), 120), x=0.01, ha="left", fontsize=10)
    decimal_commas(fig, lang)
    fig.tight_layout()
    data = pd.concat(tables, ignore_index=True)[["ratio", "region_iso", "count", "base", "estimate", "national_rate",
                                                 "z", "z_adjusted", "p_adjusted", "flagged", "outside_exact_998", "phi"]]
    return fig, data


def split_figure(sres, regions: pd.DataFrame, lang: str, year: int):
    labels = region_labels(regions, lang)
    d = sres.data.sort_values(["urban_share", "region_iso"], kind="stable").reset_index(drop=True)
    fig, axes = plt.subplots(1, 2, figsize=(10, 6), sharey=True)
    ypos = np.arange(len(d))
    nat = sres.splits["national"]
    for ax, col, key, nat_key in ((axes[0], "urban_share", "stats_urban_share_axis", "urban"),
                                   (axes[1], "private_share", "stats_private_share_axis", "private")):
        colours = _type_colours(d["type"])
        ax.barh(ypos, 100 * d[col], color=colours, height=0.7)
        ax.axvline(100 * nat[nat_key]["share"], color=ACCENT, lw=1.2)
        ax.set_xlim(0, 100)
        ax.set_xlabel(t(key, lang))
        if col == "urban_share":
            for y, kind in zip(ypos, d["type"], strict=True):
                if kind == "city":
                    ax.text(50, y, t("stats_no_rural_areas", lang), va="center", ha="center", fontsize=6, color="white")
    axes[0].set_yticks(ypos, d["region_iso"].map(labels))
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    handles = [Patch(color=REGION_COLOUR, label=t("stats_oblast", lang)), Patch(color=CITY_COLOUR, label=t("stats_city", lang)),
               Line2D([], [], color=ACCENT, label=t("stats_national_rate", lang))]
    axes[1].legend(handles=handles, loc="lower right", frameon=False, fontsize=7)
    fig.suptitle(t("stats_split_title", lang, year=year), x=0.01, ha="left", fontsize=10)
    decimal_commas(fig, lang)
    fig.tight_layout()
    data = d[["region_iso", "type", "shortage_total", "shortage_urban", "shortage_rural", "shortage_state",
              "shortage_private", "urban_share", "private_share"]].assign(
        national_urban_share=nat["urban"]["share"], national_private_share=nat["private"]["share"])
    return fig, data


def concentration_figure(sres, lang: str, year: int):
    fig, ax = plt.subplots(figsize=(5.4, 5.2))
    ax.plot([0, 1], [0, 1], color=LIMIT_COLOUR, lw=0.8, ls="--", label=t("stats_equality_line", lang))
    keys = {"regions": "stats_base_regions", "sen_children": "stats_base_sen", "preschools_total": "stats_base_preschools"}
    tables = []
    for (name, curve), colour in zip(sres.lorenz.items(), PALETTE, strict=False):
        gini = sres.lorenz_gini[name]
        ax.plot(curve["cum_population"], curve["cum_amount"], marker="o", ms=2.5, lw=1, color=colour,
                label=t(keys[name], lang, value=num(gini, 3, lang)))
        tables.append(curve.assign(base=name, gini=gini))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(t("stats_lorenz_x_base", lang))
    ax.set_ylabel(t("stats_lorenz_y_shortage", lang))
    ax.set_title(wrap(t("stats_concentration_title", lang, year=year), 55), loc="left")
    ax.legend(loc="upper left", frameon=False, fontsize=7)
    decimal_commas(fig, lang)
    fig.tight_layout()
    data = pd.concat(tables, ignore_index=True)[["base", "region_iso", "cum_population", "cum_amount", "gini"]]
    return fig, data


ASSOCIATION_AXES = {"inclusive_share": ("stats_inclusive_share_axis", 100),
                    "state_shortage_per_100_sen": ("stats_state_per100sen_axis", 1),
                    "sen_per_preschool": ("stats_sen_per_preschool_axis", 1),
                    "state_shortage_per_inclusive": ("stats_state_per_inclusive_axis", 1)}


def association_figure(sres, lang: str, year: int):
    results = sres.associations
    fig, axes = plt.subplots(1, len(results), figsize=(4.0 * len(results), 4.2))
    axes = np.atleast_1d(axes)
    tables = []
    for ax, row in zip(axes, results.itertuples(), strict=True):
        (xkey, xm), (ykey, ym) = ASSOCIATION_AXES[row.x], ASSOCIATION_AXES[row.y]
        x = xm * sres.data[row.x]
        y = ym * sres.data[row.y]
        ax.scatter(x, y, c=_type_colours(sres.data["type"]), s=18)
        ax.set_xlabel(wrap(t(xkey, lang), 45))
        ax.set_ylabel(wrap(t(ykey, lang), 45))
        ax.set_title(t("stats_assoc_annotation", lang, rho=num(row.rho, 2, lang), low=num(row.ci_low, 2, lang),
                       high=num(row.ci_high, 2, lang), p=num(row.p_holm, 3, lang)), fontsize=8, loc="left")
        tables.append(pd.DataFrame({"association": row.key, "region_iso": sres.data["region_iso"], "x": x, "y": y}))
    axes[0].legend(handles=_type_legend(axes[0], lang), loc="upper right", frameon=False, fontsize=7)
    fig.suptitle(wrap(t("stats_assoc_title_n", lang, n=len(sres.data), year=year), 120), x=0.01, ha="left", fontsize=10)
    decimal_commas(fig, lang)
    fig.tight_layout()
    return fig, pd.concat(tables, ignore_index=True)


# -- notebook 42 ---------------------------------------------------------------------------------

def tvet_figure(tvet: dict, lang: str):
    years = [tvet["start_year"], tvet["end_year"]]
    counts = [tvet["start"], tvet["end"]]
    fig, ax = plt.subplots(figsize=(5.0, 4.0))
    low = [tvet["start_ci"][0], tvet["end_ci"][0]]
    high = [tvet["start_ci"][1], tvet["end_ci"][1]]
    ax.errorbar(years, counts, yerr=[np.subtract(counts, low), np.subtract(high, counts)], fmt="o-", color=REGION_COLOUR,
                capsize=3, label=t("stats_poisson_interval", lang))
    c = tvet["comparison"]
    ax.annotate(t("stats_growth_annotation", lang, growth=num(100 * c["growth"], 1, lang),
                  low=num(100 * c["growth_low"], 1, lang), high=num(100 * c["growth_high"], 1, lang)),
                (np.mean(years), np.mean(counts)), xytext=(0, 18), textcoords="offset points", ha="center", fontsize=8)
    ax.set_xticks(range(years[0], years[1] + 1))
    ax.set_xlim(years[0] - 0.5, years[1] + 0.5)
    ax.set_ylim(0, max(high) * 1.15)
    ax.set_xlabel(t("stats_year_axis", lang))
    ax.set_ylabel(t("stats_students_axis", lang))
    ax.set_title(wrap(t("stats_tvet_title", lang, start=years[0], end=years[1]), 60), loc="left", fontsize=9)
    ax.legend(loc="lower right", frameon=False, fontsize=7)
    decimal_commas(fig, lang)
    fig.tight_layout()
    data = pd.DataFrame({"year": years, "count": counts, "ci_low": low, "ci_high": high,
                         "stat_id": [tvet["start_stat_id"], tvet["end_stat_id"]]})
    return fig, data


STATEMENT_PANELS = ("special_orgs_total", "special_preschools", "special_schools", "pmpk", "kppk", "rehab_centres",
                    "autism_centres", "share_schools_inclusive_pct", "children_sen_total")
ROLE_MARKERS = {"observation": "o", "lower_bound": "^", "approximate": "D", "target": "X"}


def statements_figure(statements: pd.DataFrame, comparison: pd.DataFrame, lang: str):
    from matplotlib.lines import Line2D
    fig, axes = plt.subplots(3, 3, figsize=(11, 9))
    article = comparison.set_index("indicator")
    rows = []
    for ax, indicator in zip(axes.ravel(), STATEMENT_PANELS, strict=True):
        own = statements[statements["indicator"] == indicator]
        for role, marker in ROLE_MARKERS.items():
            part = own[own["role"] == role]
            if part.empty:
                continue
            dates = part["reference_date"].where(part["reference_date"].notna(), part["statement_date"])
            for filled in (True, False):
                m = (part["exact_date"] == filled).to_numpy()
                if m.any():
                    ax.scatter(dates[m], part.loc[m, "value"], marker=marker, s=26, zorder=3,
                               facecolors=REGION_COLOUR if filled else "none", edgecolors=REGION_COLOUR)
        if indicator in article.index:
            ax.scatter([pd.Timestamp(article.at[indicator, "article_date"])], [article.at[indicator, "article_value"]],
                       marker="*", s=90, color=CITY_COLOUR, zorder=4)
        ax.set_title(t(f"stats_ind_{indicator}", lang), fontsize=8.5, loc="left")
        ax.tick_params(axis="x", labelsize=7, rotation=30)
        ax.tick_params(axis="y", labelsize=7)
        for r in own.itertuples():
            rows.append({"indicator": indicator, "line": r.line, "reference_date": r.reference_date,
                         "statement_date": r.statement_date, "value": r.value, "role": r.role,
                         "exact_date": r.exact_date, "source": "supplementary"})
        if indicator in article.index:
            rows.append({"indicator": indicator, "line": None, "reference_date": pd.Timestamp(article.at[indicator, "article_date"]),
                         "statement_date": None, "value": article.at[indicator, "article_value"], "role": "article",
                         "exact_date": True, "source": "article " + article.at[indicator, "article_stat_id"]})
    handles = [Line2D([], [], marker=m, ls="", color=REGION_COLOUR, label=t(f"stats_q_{role}", lang))
               for role, m in ROLE_MARKERS.items()]
    handles += [Line2D([], [], marker="o", ls="", markerfacecolor="none", color=REGION_COLOUR, label=t("stats_inferred_date", lang)),
                Line2D([], [], marker="*", ls="", ms=10, color=CITY_COLOUR, label=t("stats_article_2024", lang))]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=8)
    fig.suptitle(wrap(t("stats_statements_title", lang), 120), x=0.01, ha="left", fontsize=10)
    decimal_commas(fig, lang)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    data = pd.DataFrame(rows)
    data["reference_date"] = pd.to_datetime(data["reference_date"]).dt.strftime("%Y-%m-%d")
    data["statement_date"] = pd.to_datetime(data["statement_date"]).dt.strftime("%Y-%m-%d")
    return fig, data
