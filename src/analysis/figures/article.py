"""Figures 1-3 of the article, a tile-grid map and a dot plot, in Kazakh, Russian or English.

The article's figures are images; only the numbers its text quotes survive (see the README).
Each ``*_data`` function takes the processed tables and returns the tidy data the figure shows;
each figure function draws it in one language and returns an :class:`analysis.figures.Figure`
(the figure, that data with the label shown for each row, the caption). The caption says which numbers come from the article and which parts of the
original series are not published. The data functions take whatever periods or regions the
processed data hold, so a complete series added to ``data/raw`` (same schema) is drawn whole.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.figures import Figure
from analysis.figures.style import PALETTE
from analysis.i18n import region_labels, t
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
TILE_GRID = Path(__file__).with_name("tile_grid.csv")


def _labelled(data: pd.DataFrame, column: str, regions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``data`` with the label each row is shown with (a region's name, an indicator's label)."""
    return data.assign(label=data[column].map(lambda v: label_for(v, regions, lang)))


def label_for(value: str, regions: pd.DataFrame, lang: str) -> str:
    """What a figure shows for ``value``: a region's name, an indicator's label, or the value."""
    from analysis.i18n import translations

    if value in set(regions["region_iso"]):
        return str(region_labels(regions, lang)[value])
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
    have = {_year(p) for p in periods}
    missing = [y for y in expected if y not in have]
    if not missing:
        return ""
    runs, start = [], missing[0]
    for a, b in zip(missing, [*missing[1:], None], strict=True):
        if b != a + 1:
            runs.append(f"{start}" if start == a else f"{start}-{a}")
            start = b
    return ", ".join(runs)


def _thousands(value: float) -> str:
    return f"{int(value):,}".replace(",", "\u202f")


def _caption(ax, text: str) -> None:
    """The caption under the axes, below the tick and axis labels, whatever the figure's height."""
    ax.annotate("\n".join(textwrap.wrap(text, 115)), xy=(0, 0), xycoords="axes fraction", xytext=(0, -44),
                textcoords="offset points", ha="left", va="top", fontsize=7, color="#333333")


# -- Figure 1 -------------------------------------------------------------------------------------
def figure1_data(indicators: pd.DataFrame) -> pd.DataFrame:
    rows = indicators[indicators["indicator"].isin([*SPECIAL_ORG_TYPES, SPECIAL_ORG_TOTAL])]
    out = rows[["reference_period", "indicator", "value", "stat_id"]].copy()
    out["type_order"] = out["indicator"].map({k: i for i, k in enumerate([*SPECIAL_ORG_TYPES, SPECIAL_ORG_TOTAL])})
    return out.sort_values(["reference_period", "type_order"], ignore_index=True).drop(columns="type_order")


def figure1(indicators: pd.DataFrame, regions: pd.DataFrame, lang: str) -> Figure:
    data = figure1_data(indicators)
    fig, caption = _figure1(data, lang)
    return Figure(fig, _labelled(data, "indicator", regions, lang), caption)


def _figure1(data: pd.DataFrame, lang: str):
    types = data[data["indicator"] != SPECIAL_ORG_TOTAL]
    periods = sorted(types["reference_period"].unique())
    fig, ax = plt.subplots(figsize=(7, 4))
    width = 0.8 / len(SPECIAL_ORG_TYPES)
    x = np.arange(len(periods))
    for i, kind in enumerate(SPECIAL_ORG_TYPES):
        values = types[types["indicator"] == kind].set_index("reference_period")["value"].reindex(periods)
        bars = ax.bar(x + (i - (len(SPECIAL_ORG_TYPES) - 1) / 2) * width, values.to_numpy(), width,
                      label=t(kind, lang), color=PALETTE[i % len(PALETTE)])
        if len(periods) <= 2:
            ax.bar_label(bars, labels=[_thousands(v) if pd.notna(v) else "" for v in values], fontsize=7, padding=1)
    ax.set_xticks(x, [period_label(p, lang) for p in periods])
    ax.set_ylabel(t("figure1_ylabel", lang))
    ax.set_title(t("figure1_title", lang), loc="left")
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    missing = _missing_years(periods, FIGURE1_YEARS)
    total = data[data["indicator"] == SPECIAL_ORG_TOTAL]
    latest = periods[-1]
    caption = (t("figure1_caption", lang, periods=", ".join(period_label(p, lang) for p in periods),
                 total=_thousands(total.loc[total["reference_period"] == latest, "value"].sum()),
                 types_sum=_thousands(types.loc[types["reference_period"] == latest, "value"].sum()),
                 missing=missing) if missing else t("figure_caption_complete", lang))
    _caption(ax, caption)
    return fig, caption


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
    fig, caption = _figure2(data, indicators, regions, lang)
    return Figure(fig, _labelled(data, "region_iso", regions, lang), caption)


def _figure2(data: pd.DataFrame, indicators: pd.DataFrame, regions: pd.DataFrame, lang: str):
    labels = region_labels(regions, lang)
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.32 * len(data) + 1.2)))
    bars = ax.barh([labels[c] for c in data["region_iso"]], data[SCHOOLS], color=PALETTE[0])
    students = data[SCHOOL_STUDENTS] if SCHOOL_STUDENTS in data else pd.Series(np.nan, index=data.index)
    ax.bar_label(bars, labels=[t("figure2_bar_label", lang, schools=_thousands(s), students=_thousands(n))
                               if pd.notna(n) else _thousands(s) for s, n in zip(data[SCHOOLS], students, strict=True)],
                 fontsize=7, padding=2)
    ax.set_xlabel(t("figure2_xlabel", lang))
    ax.set_title(t("figure2_title", lang), loc="left")
    ax.set_xlim(0, data[SCHOOLS].max() * 1.45)
    national = indicators[(indicators["scope"] == "national")]
    n_schools = national.loc[national["indicator"] == SCHOOLS, "value"]
    n_share = national.loc[national["indicator"] == SCHOOLS_SHARE, "value"]
    shown = data["region_iso"].nunique()
    years = sorted({p[:4] for p in data["reference_period"]})
    caption = (t("figure2_caption", lang, shown=shown, year=", ".join(years),
                 national=_thousands(n_schools.iloc[0]) if len(n_schools) else "?",
                 national_share=f"{n_share.iloc[0]:g}" if len(n_share) else "?", missing=REGION_COUNT - shown)
               if shown < REGION_COUNT else t("figure2_caption_complete", lang))
    _caption(ax, caption)
    return fig, caption


# -- Figure 3 -------------------------------------------------------------------------------------
def figure3_data(indicators: pd.DataFrame) -> pd.DataFrame:
    rows = indicators[indicators["indicator"].isin([TVET_STOCK, *TVET_FLOWS])]
    return (rows[["reference_period", "indicator", "value", "stat_id"]]
            .sort_values(["indicator", "reference_period"], ignore_index=True))


def figure3(indicators: pd.DataFrame, regions: pd.DataFrame, lang: str) -> Figure:
    data = figure3_data(indicators)
    fig, caption = _figure3(data, lang)
    return Figure(fig, _labelled(data, "indicator", regions, lang), caption)


def _figure3(data: pd.DataFrame, lang: str):
    periods = sorted(data["reference_period"].unique())
    series = [TVET_STOCK, *TVET_FLOWS]
    fig, ax = plt.subplots(figsize=(7, 3.8))
    x = np.arange(len(periods))
    width = 0.8 / len(series)
    for i, kind in enumerate(series):
        values = data[data["indicator"] == kind].set_index("reference_period")["value"].reindex(periods)
        bars = ax.bar(x + (i - (len(series) - 1) / 2) * width, values.to_numpy(), width, label=t(kind, lang),
                      color=PALETTE[i])
        ax.bar_label(bars, labels=[_thousands(v) if pd.notna(v) else "" for v in values], fontsize=7, padding=1)
    ax.set_xticks(x, [period_label(p, lang) for p in periods])
    ax.set_ylabel(t("figure3_ylabel", lang))
    ax.set_title(t("figure3_title", lang), loc="left")
    ax.legend(fontsize=7, frameon=False)
    missing = _missing_years(data.loc[data["indicator"] == TVET_STOCK, "reference_period"], FIGURE3_YEARS)
    caption = (t("figure3_caption", lang, periods=", ".join(period_label(p, lang) for p in periods), missing=missing)
               if missing else t("figure_caption_complete", lang))
    _caption(ax, caption)
    return fig, caption


# -- Tile map and dot plot --------------------------------------------------------------------------
def share_data(preschools: pd.DataFrame) -> pd.DataFrame:
    """Per region: counts, printed share and the share recomputed from the counts."""
    out = preschools[["region_iso", "preschools_total", "preschools_inclusive", "inclusive_share_pct"]].copy()
    out["share_recomputed_pct"] = 100 * out["preschools_inclusive"] / out["preschools_total"]
    return out.sort_values(["share_recomputed_pct", "region_iso"], ignore_index=True)


def national_share(preschools: pd.DataFrame) -> float:
    return 100 * preschools["preschools_inclusive"].sum() / preschools["preschools_total"].sum()


def tile_grid() -> pd.DataFrame:
    return pd.read_csv(TILE_GRID, dtype={"region_iso": str, "col": int, "row": int})


def tile_map(preschools: pd.DataFrame, regions: pd.DataFrame, year: int, lang: str) -> Figure:
    data = share_data(preschools)
    fig, caption = _tile_map(data, regions, year, lang)
    return Figure(fig, _labelled(data, "region_iso", regions, lang), caption)


def _tile_map(data: pd.DataFrame, regions: pd.DataFrame, year: int, lang: str):
    grid = tile_grid().merge(data, on="region_iso", how="left", validate="one_to_one")
    ref = regions.set_index("region_iso")
    abbrev = {"kk": "abbrev_kk", "ru": "abbrev_ru"}.get(lang)
    labels = region_labels(regions, lang)
    cmap = plt.get_cmap("cividis")
    norm = plt.Normalize(0, 100)
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    for row in grid.itertuples():
        share = row.share_recomputed_pct
        colour = cmap(norm(share)) if pd.notna(share) else "#dddddd"
        ax.add_patch(plt.Rectangle((row.col, -row.row), 0.94, 0.94, facecolor=colour, edgecolor="white"))
        name = ref.at[row.region_iso, abbrev] if abbrev and pd.notna(ref.at[row.region_iso, abbrev]) else labels[row.region_iso]
        text_colour = "white" if pd.notna(share) and share < 55 else "black"
        ax.text(row.col + 0.47, -row.row + 0.6, "\n".join(textwrap.wrap(str(name), 11)), ha="center", va="center",
                fontsize=6.5, color=text_colour)
        ax.text(row.col + 0.47, -row.row + 0.2, f"{row.inclusive_share_pct:.1f}" if pd.notna(share) else "–",
                ha="center", va="center", fontsize=8, fontweight="bold", color=text_colour)
    ax.set_xlim(-0.1, grid["col"].max() + 1)
    ax.set_ylim(-grid["row"].max() - 0.1, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    colorbar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.7)
    colorbar.set_label(t("map_colorbar", lang))
    ax.set_title(t("map_title", lang, year=year), loc="left")
    caption = t("map_caption", lang)
    _caption(ax, caption)
    return fig, caption


def dot_plot(preschools: pd.DataFrame, regions: pd.DataFrame, year: int, lang: str) -> Figure:
    data = share_data(preschools)
    fig, caption = _dot_plot(data, regions, national_share(preschools), year, lang)
    return Figure(fig, _labelled(data, "region_iso", regions, lang), caption)


def _dot_plot(data: pd.DataFrame, regions: pd.DataFrame, national: float, year: int, lang: str):
    labels = region_labels(regions, lang)
    fig, ax = plt.subplots(figsize=(6.5, 5.6))
    y = np.arange(len(data))
    ax.hlines(y, 0, data["share_recomputed_pct"], color="#cccccc", linewidth=0.8)
    ax.plot(data["share_recomputed_pct"], y, "o", color=PALETTE[0])
    ax.set_yticks(y, [labels[c] for c in data["region_iso"]])
    ax.axvline(national, color=PALETTE[3], linestyle="--", linewidth=1)
    ax.text(national, len(data) - 0.3, " " + t("dotplot_national", lang, share=f"{national:.1f}"),
            color=PALETTE[3], fontsize=7, va="bottom")
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("dotplot_xlabel", lang))
    ax.set_title(t("dotplot_title", lang, year=year), loc="left")
    caption = t("dotplot_caption", lang)
    _caption(ax, caption)
    return fig, caption
