"""Figures of notebook 42: the article's two TVET counts and the supplementary statement series.

Each returns an :class:`analysis.figures.Figure` (its caption: title, notes, source).
"""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from analysis.figures import Figure
from analysis.figures.style import (
    CITY_COLOUR,
    LIMIT_COLOUR,
    REGION_COLOUR,
    localise_numbers,
    new_figure,
    wrap,
    year_formatter,
)
from analysis.i18n import decimal, t


def _years_between(first: int, last: int) -> str:
    """The years strictly between two, as a run ('2022', '2020–2022'); empty if none."""
    inner = list(range(first + 1, last))
    if not inner:
        return ""
    return str(inner[0]) if len(inner) == 1 else f"{inner[0]}\u2013{inner[-1]}"


def tvet_figure(tvet: dict, lang: str) -> Figure:
    """The article's two counts as two points with their exact Poisson intervals: no line through
    the years between, which have no data; at most a dashed connector, labelled as such."""
    years = [tvet["start_year"], tvet["end_year"]]
    counts = [tvet["start"], tvet["end"]]
    low = [tvet["start_ci"][0], tvet["end_ci"][0]]
    high = [tvet["start_ci"][1], tvet["end_ci"][1]]
    missing = _years_between(*years)
    fig, ax = new_figure("column", 3.1)
    if missing:
        ax.plot(years, counts, ls=(0, (3, 2)), color=LIMIT_COLOUR, lw=0.8, label=t("stats_tvet_connector", lang, missing=missing))
    ax.errorbar(years, counts, yerr=[np.subtract(counts, low), np.subtract(high, counts)], fmt="o", ls="none", ms=5,
                color=REGION_COLOUR, capsize=3, label=t("stats_poisson_interval", lang))
    c = tvet["comparison"]
    ax.annotate(t("stats_growth_annotation", lang, growth=decimal(100 * c["growth"], 1, lang),
                  low=decimal(100 * c["growth_low"], 1, lang), high=decimal(100 * c["growth_high"], 1, lang)),
                (np.mean(years), max(high)), xytext=(0, 8), textcoords="offset points", ha="center", fontsize=7)
    ax.set_xticks(range(years[0], years[1] + 1))
    ax.xaxis.set_major_formatter(year_formatter())
    ax.set_xlim(years[0] - 0.5, years[1] + 0.5)
    ax.set_ylim(0, max(high) * 1.2)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(t("stats_year_axis", lang))
    ax.set_ylabel(t("stats_students_axis", lang))
    fig.legend(loc="outside lower center", ncol=1, frameon=False)
    localise_numbers(fig, lang)
    data = pd.DataFrame({"year": years, "count": counts, "ci_low": low, "ci_high": high,
                         "stat_id": [tvet["start_stat_id"], tvet["end_stat_id"]]})
    notes = [t("stats_tvet_note", lang, missing=missing)] if missing else []
    return Figure(fig, data, t("stats_tvet_title", lang, start=years[0], end=years[1]), notes, t("source_text_14", lang))


STATEMENT_PANELS = ("special_orgs_total", "special_preschools", "special_schools", "pmpk", "kppk", "rehab_centres",
                    "autism_centres", "share_schools_inclusive_pct", "children_sen_total")
ROLE_MARKERS = {"observation": "o", "lower_bound": "^", "approximate": "D", "target": "X"}


def statements_figure(statements: pd.DataFrame, comparison: pd.DataFrame, lang: str) -> Figure:
    """Small multiples: each indicator's dated statements, by role and date quality, and the
    article's count; one date range for every panel (years on the shared axis), whole-number
    ticks on the count axes, numbers written the way the language writes them."""
    fig, axes = new_figure("page", 7.4, 3, 3, sharex=True)
    article = comparison.set_index("indicator")
    rows = []
    dates_drawn = []
    for ax, indicator in zip(axes.ravel(), STATEMENT_PANELS, strict=True):
        own = statements[statements["indicator"] == indicator]
        for role, marker in ROLE_MARKERS.items():
            part = own[own["role"] == role]
            dates = part["reference_date"].where(part["reference_date"].notna(), part["statement_date"])
            for filled in (True, False):
                m = (part["exact_date"] == filled).to_numpy()
                if m.any():
                    ax.scatter(dates[m], part.loc[m, "value"], marker=marker, s=16, zorder=3, linewidths=0.8,
                               facecolors=REGION_COLOUR if filled else "none", edgecolors=REGION_COLOUR)
                    dates_drawn += list(pd.to_datetime(dates[m]))
        if indicator in article.index:
            when = pd.Timestamp(article.at[indicator, "article_date"])
            ax.scatter([when], [article.at[indicator, "article_value"]], marker="*", s=60, color=CITY_COLOUR, zorder=4)
            dates_drawn.append(when)
        ax.set_title(wrap(t(f"stats_ind_{indicator}", lang), 32), fontsize=7.5)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax.margins(y=0.15)
        rows += [{"indicator": indicator, "line": r.line, "reference_date": r.reference_date,
                  "statement_date": r.statement_date, "value": r.value, "role": r.role, "exact_date": r.exact_date,
                  "source": "supplementary"} for r in own.itertuples()]
        if indicator in article.index:
            rows.append({"indicator": indicator, "line": None, "reference_date": pd.Timestamp(article.at[indicator, "article_date"]),
                         "statement_date": None, "value": article.at[indicator, "article_value"], "role": "article",
                         "exact_date": True, "source": "article " + article.at[indicator, "article_stat_id"]})
    first, last = min(dates_drawn), max(dates_drawn)
    for ax in axes.ravel():
        ax.set_xlim(first - pd.Timedelta(days=60), last + pd.Timedelta(days=60))
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    handles = [Line2D([], [], marker=m, ls="", ms=4, color=REGION_COLOUR, label=t(f"stats_q_{role}", lang))
               for role, m in ROLE_MARKERS.items()]
    handles += [Line2D([], [], marker="o", ls="", ms=4, markerfacecolor="none", color=REGION_COLOUR,
                       label=t("stats_inferred_date", lang)),
                Line2D([], [], marker="*", ls="", ms=7.7, color=CITY_COLOUR, label=t("stats_article_2024", lang))]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False)
    localise_numbers(fig, lang)
    data = pd.DataFrame(rows)
    data["reference_date"] = pd.to_datetime(data["reference_date"]).dt.strftime("%Y-%m-%d")
    data["statement_date"] = pd.to_datetime(data["statement_date"]).dt.strftime("%Y-%m-%d")
    return Figure(fig, data, t("stats_statements_title", lang), [], t("source_statements", lang))
