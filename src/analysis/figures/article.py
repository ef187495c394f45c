"""Figures 1-3 of the article, in Kazakh, Russian or English (the tile-grid map and the dot plot
beyond the article: :mod:`analysis.figures.shares`).

The article's figures are images; only the numbers its text quotes survive (see the README).
Each ``*_data`` function takes the processed tables and returns the tidy data the figure shows;
each figure function draws it in one language and returns an :class:`analysis.figures.Figure`
(the figure, that data with the label shown for each row, and the caption: title, notes, source).
The notes say which numbers come from the article and which parts of the original series are not
published. The data functions take whatever periods or regions the processed data hold, so a
complete series added to ``data/raw`` (same schema) is drawn whole.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from analysis.figures import Figure
from analysis.figures.style import PALETTE, localise_numbers, new_figure, wrap
from analysis.i18n import integer, official_region_names, t
from analysis.ingest.regions import REGION_COUNT

#: Figure 1: the types of special education organisations, in the order the text lists them.
SPECIAL_ORG_TYPES = ("special_preschools", "special_schools", "pmpk", "kppk", "rehab_centres", "autism_centres")
SPECIAL_ORG_TOTAL = "special_orgs_total"
#: Figure 1 caption: the years of the original figure ("2019-2023 жж.").
FIGURE1_YEARS = tuple(range(2019, 2024))
#: Figure 3: the stock (enrolled) and the flows (admitted, graduates) the text quotes.
TVET_STOCK = "tvet_students_figure3"
TVET_FLOWS = ("tvet_students_figure3_admitted", "tvet_students_figure3_graduates")
FIGURE3_YEARS = (2021, 2022, 2023)
SCHOOLS = "schools_public_inclusive"
SCHOOL_STUDENTS = "students_in_schools_public_inclusive"
SCHOOLS_SHARE = "schools_public_inclusive_share_pct"


def labelled(data: pd.DataFrame, column: str, regions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``data`` with the label each row is shown with (a region's name, an indicator's label)."""
    return data.assign(label=data[column].map(lambda v: label_for(v, regions, lang)))


def label_for(value: str, regions: pd.DataFrame, lang: str) -> str:
    """What a figure shows for ``value``: a region's name, an indicator's label, or the value."""
    from analysis.i18n import translations

    if value in set(regions["region_iso"]):
        return str(official_region_names(regions, lang)[value])
    return t(value, lang) if value in translations().index else str(value)


def period_label(period: str, lang: str) -> str:
    """'2024-01-01' -> 'start of 2024' (in ``lang``); '2021' stays '2021'."""
    if len(period) == 10 and period.endswith("-01-01"):
        return t("period_start_of_year", lang, year=period[:4])
    return period


def _year(period: str) -> int:
    """The year a reference period describes: a stock at 1 January Y describes year Y-1."""
    return int(period[:4]) - 1 if period.endswith("-01-01") else int(period[:4])


def _missing_years(periods, expected) -> str:
    """The years of ``expected`` without a period in ``periods``, runs joined by an en dash."""
    have = {_year(p) for p in periods}
    missing = [y for y in expected if y not in have]
    if not missing:
        return ""
    runs, start = [], missing[0]
    for a, b in zip(missing, [*missing[1:], None], strict=True):
        if b != a + 1:
            runs.append(f"{start}" if start == a else f"{start}\u2013{a}")
            start = b
    return ", ".join(runs)


def _number(value: float, lang: str) -> str:
    """A number as the language writes it, with as many decimals as it has (86, 44,5)."""
    from analysis.figures.style import NumberFormatter

    return NumberFormatter(lang)(float(value))


# -- Figure 1 -------------------------------------------------------------------------------------
def figure1_data(indicators: pd.DataFrame) -> pd.DataFrame:
    rows = indicators[indicators["indicator"].isin([*SPECIAL_ORG_TYPES, SPECIAL_ORG_TOTAL])]
    out = rows[["reference_period", "indicator", "value", "stat_id"]].copy()
    out["type_order"] = out["indicator"].map({k: i for i, k in enumerate([*SPECIAL_ORG_TYPES, SPECIAL_ORG_TOTAL])})
    return out.sort_values(["reference_period", "type_order"], ignore_index=True).drop(columns="type_order")


def figure1(indicators: pd.DataFrame, regions: pd.DataFrame, lang: str) -> Figure:
    data = figure1_data(indicators)
    fig, title, notes = _figure1(data, lang)
    return Figure(fig, labelled(data, "indicator", regions, lang), title, notes, t("source_text_13", lang))


def _figure1(data: pd.DataFrame, lang: str):
    """One period: a bar per type (no "over time" for a single time point); several: grouped bars."""
    types = data[data["indicator"] != SPECIAL_ORG_TOTAL]
    periods = sorted(types["reference_period"].unique())
    if len(periods) == 1:
        values = types.set_index("indicator")["value"].reindex(list(SPECIAL_ORG_TYPES))
        fig, ax = new_figure("page", 2.6)
        y = np.arange(len(values))[::-1]
        bars = ax.barh(y, values.to_numpy(), color=PALETTE[0], height=0.65)
        ax.set_yticks(y, [wrap(t(kind, lang), 40) for kind in values.index])
        ax.bar_label(bars, labels=[integer(v) if pd.notna(v) else "" for v in values], fontsize=7, padding=2)
        ax.set_xlabel(t("figure1_ylabel", lang))
        ax.set_xlim(0, np.nanmax(values.to_numpy()) * 1.12)
        title = t("figure1_title", lang, period=period_label(periods[0], lang))
    else:
        fig, ax = new_figure("page", 3.4)
        width = 0.8 / len(SPECIAL_ORG_TYPES)
        x = np.arange(len(periods))
        for i, kind in enumerate(SPECIAL_ORG_TYPES):
            values = types[types["indicator"] == kind].set_index("reference_period")["value"].reindex(periods)
            bars = ax.bar(x + (i - (len(SPECIAL_ORG_TYPES) - 1) / 2) * width, values.to_numpy(), width,
                          label=wrap(t(kind, lang), 40), color=PALETTE[i % len(PALETTE)])
            if len(periods) <= 2:
                ax.bar_label(bars, labels=[integer(v) if pd.notna(v) else "" for v in values], fontsize=7, padding=1)
        ax.set_xticks(x, [period_label(p, lang) for p in periods])
        ax.set_ylabel(t("figure1_ylabel", lang))
        fig.legend(loc="outside lower center", ncol=3, frameon=False)
        title = t("figure1_title_series", lang, first=period_label(periods[0], lang), last=period_label(periods[-1], lang))
    localise_numbers(fig, lang)
    missing = _missing_years(periods, FIGURE1_YEARS)
    total = data[data["indicator"] == SPECIAL_ORG_TOTAL]
    latest = periods[-1]
    note = (t("figure1_caption", lang, periods=", ".join(period_label(p, lang) for p in periods),
              total=integer(total.loc[total["reference_period"] == latest, "value"].sum()),
              types_sum=integer(types.loc[types["reference_period"] == latest, "value"].sum()),
              missing=missing) if missing else t("figure_caption_complete", lang))
    return fig, title, [note]


# -- Figure 2 -------------------------------------------------------------------------------------
def figure2_data(indicators: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    regional = indicators[indicators["scope"] == "region"]
    wide = (regional[regional["indicator"].isin([SCHOOLS, SCHOOL_STUDENTS])]
            .pivot_table(index=["region_iso", "reference_period"], columns="indicator", values="value", aggfunc="first")
            .reset_index())
    wide.columns.name = None
    wide = wide.merge(regions[["region_iso"]], on="region_iso", how="inner")
    return wide.sort_values([SCHOOLS, "region_iso"], ascending=[True, True], ignore_index=True)


def figure2(indicators: pd.DataFrame, regions: pd.DataFrame, lang: str) -> Figure:
    data = figure2_data(indicators, regions)
    fig, notes = _figure2(data, indicators, regions, lang)
    return Figure(fig, labelled(data, "region_iso", regions, lang), t("figure2_title", lang), notes,
                  t("source_text_14", lang))


def _figure2(data: pd.DataFrame, indicators: pd.DataFrame, regions: pd.DataFrame, lang: str):
    """A bar per region: the schools (on the bar's end) and, under the region's name, their learners.
    The axis ends at the first tick past the largest bar, so no empty half invents a larger value."""
    labels = official_region_names(regions, lang)
    students = data[SCHOOL_STUDENTS] if SCHOOL_STUDENTS in data else pd.Series(np.nan, index=data.index)
    names = [f"{wrap(labels[c], 18)}\n({t('figure2_bar_students', lang, students=integer(n))})" if pd.notna(n)
             else wrap(labels[c], 18) for c, n in zip(data["region_iso"], students, strict=True)]
    fig, ax = new_figure("column", max(1.6, 0.42 * len(data) + 0.8))
    bars = ax.barh(np.arange(len(data)), data[SCHOOLS], color=PALETTE[0], height=0.6)
    ax.set_yticks(np.arange(len(data)), names, linespacing=1.0)
    ax.bar_label(bars, labels=[integer(s) for s in data[SCHOOLS]], fontsize=7, padding=2)
    ax.set_xlabel(t("figure2_xlabel", lang))
    locator = MaxNLocator(nbins=4, integer=True, steps=[1, 2, 2.5, 5, 10])
    ticks = locator.tick_values(0, data[SCHOOLS].max() * 1.08)
    ax.set_xlim(0, float(ticks[ticks >= data[SCHOOLS].max() * 1.08][0]))
    ax.xaxis.set_major_locator(locator)
    localise_numbers(fig, lang)
    national = indicators[(indicators["scope"] == "national")]
    n_schools = national.loc[national["indicator"] == SCHOOLS, "value"]
    n_share = national.loc[national["indicator"] == SCHOOLS_SHARE, "value"]
    shown = data["region_iso"].nunique()
    years = sorted({str(p)[:4] for p in data["reference_period"]})
    note = (t("figure2_caption", lang, shown=shown, year=", ".join(years),
              national=integer(n_schools.iloc[0]) if len(n_schools) else "?",
              national_share=_number(n_share.iloc[0], lang) if len(n_share) else "?", missing=REGION_COUNT - shown)
            if shown < REGION_COUNT else t("figure2_caption_complete", lang, n=REGION_COUNT))
    return fig, [note]


# -- Figure 3 -------------------------------------------------------------------------------------
#: Where Figure 3 draws a row: on the time axis, or apart from it (the text states no period).
FIGURE3_PANELS = {TVET_STOCK: "by_year", **{flow: "period_not_stated" for flow in TVET_FLOWS}}


def figure3_data(indicators: pd.DataFrame) -> pd.DataFrame:
    """The TVET counts the text quotes. Admitted and graduates are "in the period considered",
    which the text does not name (claim R24h): they get no year, and the figure draws them apart
    from the time axis."""
    rows = indicators[indicators["indicator"].isin([TVET_STOCK, *TVET_FLOWS])]
    out = rows[["reference_period", "indicator", "value", "stat_id"]].copy()
    out["panel"] = out["indicator"].map(FIGURE3_PANELS)
    out["reference_period"] = out["reference_period"].where(out["panel"] == "by_year", None)
    order = {k: i for i, k in enumerate([TVET_STOCK, *TVET_FLOWS])}
    return (out.assign(order=out["indicator"].map(order)).sort_values(["order", "reference_period"], ignore_index=True)
            .drop(columns="order"))


def figure3(indicators: pd.DataFrame, regions: pd.DataFrame, lang: str) -> Figure:
    data = figure3_data(indicators)
    fig, notes = _figure3(data, lang)
    return Figure(fig, labelled(data, "indicator", regions, lang), t("figure3_title", lang), notes,
                  t("source_text_14", lang))


def _figure3(data: pd.DataFrame, lang: str):
    """Left: the enrolled students by year, every year of the original figure on the axis and
    the unpublished ones marked; right, apart from the time axis: admitted and graduates."""
    stock = data[data["panel"] == "by_year"].set_index("reference_period")["value"]
    flows = data[data["panel"] == "period_not_stated"].set_index("indicator")["value"].reindex(list(TVET_FLOWS)).dropna()
    known = [int(p) for p in stock.index]
    years = list(range(min([*FIGURE3_YEARS, *known]), max([*FIGURE3_YEARS, *known]) + 1))
    panels = 2 if len(flows) else 1
    fig, axes = new_figure("page", 2.8, 1, panels, sharey=True, width_ratios=[len(years), 2] if panels == 2 else None)
    axes = np.atleast_1d(axes)
    ax = axes[0]
    values = stock.reindex([str(y) for y in years])
    x = np.arange(len(years))
    bars = ax.bar(x, values.to_numpy(dtype=float), 0.6, color=PALETTE[0])
    ax.bar_label(bars, labels=[integer(v) if pd.notna(v) else "" for v in values], fontsize=7, padding=1)
    for xi, v in zip(x, values, strict=True):
        if pd.isna(v):
            ax.text(xi, 0, t("figure3_not_published", lang), ha="center", va="bottom", fontsize=7, color="#555555")
    ax.set_xticks(x, [str(y) for y in years])
    ax.set_ylabel(t("figure3_ylabel", lang))
    ax.set_title(t("figure3_panel_stock", lang))
    top = np.nanmax([*values.to_numpy(dtype=float), *flows.to_numpy(dtype=float)])
    ax.set_ylim(0, top * 1.12)
    if len(flows):
        right = axes[1]
        fx = np.arange(len(flows))
        bars = right.bar(fx, flows.to_numpy(), 0.6, color=[PALETTE[1 + i] for i in range(len(flows))])
        right.bar_label(bars, labels=[integer(v) for v in flows], fontsize=7, padding=1)
        right.set_xticks(fx, [t(k, lang) for k in flows.index])
        right.set_xlim(-0.6, len(flows) - 0.4)
        right.set_title(wrap(t("figure3_panel_flows", lang), 28))
        right.tick_params(axis="y", labelleft=True)  # its own axis, on the left panel's scale
        right.set_ylabel(t("figure3_ylabel", lang))
    localise_numbers(fig, lang)
    missing = _missing_years([p for p in stock.index], FIGURE3_YEARS)
    notes = [t("figure3_caption", lang, periods=", ".join(period_label(p, lang) for p in stock.index), missing=missing)
             if missing else t("figure_caption_complete", lang)]
    if len(flows) == len(TVET_FLOWS):
        notes.append(t("figure3_note_flows", lang, admitted=integer(flows[TVET_FLOWS[0]]),
                       graduates=integer(flows[TVET_FLOWS[1]])))
    return fig, notes
