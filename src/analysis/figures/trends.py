"""Figures of notebook 42: the article's two TVET counts and the supplementary statement series.

Each returns an :class:`analysis.figures.Figure`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.figures import Figure
from analysis.figures.style import CITY_COLOUR, REGION_COLOUR, decimal_commas, wrap
from analysis.i18n import decimal, t


def tvet_figure(tvet: dict, lang: str) -> Figure:
    years = [tvet["start_year"], tvet["end_year"]]
    counts = [tvet["start"], tvet["end"]]
    low = [tvet["start_ci"][0], tvet["end_ci"][0]]
    high = [tvet["start_ci"][1], tvet["end_ci"][1]]
    fig, ax = plt.subplots(figsize=(5.0, 4.0))
    ax.errorbar(years, counts, yerr=[np.subtract(counts, low), np.subtract(high, counts)], fmt="o-", color=REGION_COLOUR,
                capsize=3, label=t("stats_poisson_interval", lang))
    c = tvet["comparison"]
    ax.annotate(t("stats_growth_annotation", lang, growth=decimal(100 * c["growth"], 1, lang),
                  low=decimal(100 * c["growth_low"], 1, lang), high=decimal(100 * c["growth_high"], 1, lang)),
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
    return Figure(fig, data)


STATEMENT_PANELS = ("special_orgs_total", "special_preschools", "special_schools", "pmpk", "kppk", "rehab_centres",
                    "autism_centres", "share_schools_inclusive_pct", "children_sen_total")
ROLE_MARKERS = {"observation": "o", "lower_bound": "^", "approximate": "D", "target": "X"}


def statements_figure(statements: pd.DataFrame, comparison: pd.DataFrame, lang: str) -> Figure:
    """Small multiples: each indicator's dated statements, by role and date quality, and the article's count."""
    from matplotlib.lines import Line2D

    fig, axes = plt.subplots(3, 3, figsize=(11, 9))
    article = comparison.set_index("indicator")
    rows = []
    for ax, indicator in zip(axes.ravel(), STATEMENT_PANELS, strict=True):
        own = statements[statements["indicator"] == indicator]
        for role, marker in ROLE_MARKERS.items():
            part = own[own["role"] == role]
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
        rows += [{"indicator": indicator, "line": r.line, "reference_date": r.reference_date,
                  "statement_date": r.statement_date, "value": r.value, "role": r.role, "exact_date": r.exact_date,
                  "source": "supplementary"} for r in own.itertuples()]
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
    return Figure(fig, data)
