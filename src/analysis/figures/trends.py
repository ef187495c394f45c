"""The figure of notebook 42: the supplementary statement series beside the article's counts.

It returns an :class:`analysis.figures.Figure` (its caption: title, notes, source). The article's
two TVET counts have no figure here: Figure 3 of notebook 22 already shows them, and without a
test there is nothing to add to it.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from analysis.figures import Figure
from analysis.figures.style import (
    CITY_COLOUR,
    REGION_COLOUR,
    localise_numbers,
    new_figure,
    wrap,
)
from analysis.i18n import t
from analysis.stats import statements as st

STATEMENT_PANELS = ("special_orgs_total", "special_preschools", "special_schools", "pmpk", "kppk", "rehab_centres",
                    "autism_centres", "share_schools_inclusive_pct", "children_sen_total")
ROLE_MARKERS = {"observation": "o", "lower_bound": "^", "approximate": "D", "target": "X"}


def statements_figure(statements: pd.DataFrame, comparison: pd.DataFrame, lang: str) -> Figure:
    """Small multiples: each indicator's dated statements, by role and date quality, and the
    article's count; one date range for every panel (years on the shared axis); every value axis
    starts at 0 (a change of one organisation looks as small as it is) and its panel title names the
    unit; whole-number ticks on the count axes, numbers written the way the language writes them."""
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
        name = st.label(indicator, lang)
        ax.set_title(wrap(name if indicator.endswith("_pct") else t("stats_panel_count", lang, name=name), 32),
                     fontsize=7.5)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        top = max([v for v in own["value"]] + ([article.at[indicator, "article_value"]] if indicator in article.index
                                                else []))
        ax.set_ylim(0, 100 if indicator.endswith("_pct") else 1.15 * top)
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
    return Figure(fig, data, t("stats_statements_title", lang), [t("stats_statements_note", lang)],
                  t("source_statements", lang))
