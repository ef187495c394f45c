"""Beyond the article: the share of public preschools with inclusive conditions by region, as a
tile-grid map (20 squares placed roughly where each region lies, no GIS data) and a sorted dot
plot, in Kazakh, Russian or English; each returns an :class:`analysis.figures.Figure`.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.figures import Figure
from analysis.figures.article import labelled
from analysis.figures.style import PALETTE, localise_numbers, new_figure, wrap
from analysis.i18n import decimal, official_region_names, t

TILE_GRID = Path(__file__).with_name("tile_grid.csv")


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
    fig = _tile_map(data, regions, lang)
    return Figure(fig, labelled(data, "region_iso", regions, lang), t("map_title", lang, year=year),
                  [t("map_caption", lang)], t("source_table1", lang))


def _tile_map(data: pd.DataFrame, regions: pd.DataFrame, lang: str):
    grid = tile_grid().merge(data, on="region_iso", how="left", validate="one_to_one")
    labels = official_region_names(regions, lang)
    cmap = plt.get_cmap("cividis")
    norm = plt.Normalize(0, 100)
    fig, ax = new_figure("page", 5.6)
    for row in grid.itertuples():
        share = row.share_recomputed_pct
        colour = cmap(norm(share)) if pd.notna(share) else "#dddddd"
        ax.add_patch(plt.Rectangle((row.col, -row.row), 0.94, 0.94, facecolor=colour, edgecolor="white"))
        name = labels[row.region_iso]  # the official name, never an abbreviation (СКО beside «Костанайская»)
        text_colour = "white" if pd.notna(share) and share < 55 else "black"
        lines = "\n".join(wrap(part, 13) for part in str(name).replace("-", "-\n").split("\n"))  # Северо-|Казахстанская
        ax.text(row.col + 0.47, -row.row + 0.64, lines, ha="center", va="center", fontsize=7, color=text_colour,
                linespacing=1.0)
        ax.text(row.col + 0.47, -row.row + 0.22, decimal(row.inclusive_share_pct, 1, lang) if pd.notna(share) else "\u2013",
                ha="center", va="center", fontsize=8, fontweight="bold", color=text_colour)
    ax.set_xlim(-0.05, grid["col"].max() + 1)
    ax.set_ylim(-grid["row"].max() - 0.05, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    colorbar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, orientation="horizontal", shrink=0.45,
                            aspect=30, pad=0.02)
    colorbar.set_label(t("map_colorbar", lang))
    localise_numbers(fig, lang)
    return fig


def dot_plot(preschools: pd.DataFrame, regions: pd.DataFrame, year: int, lang: str,
             named: dict[str, list[str]] | None = None) -> Figure:
    """Every region's share, sorted, with the regions the article names as having the highest and
    the lowest shares (``named``: ``{"highest": [...], "lowest": [...]}``, from the claims registry)
    marked: where the named regions stand in the full ranking. This is what the dot plot adds to
    the Wilson-interval figure of notebook 40, which shows the same shares with their intervals."""
    data = share_data(preschools)
    named = named or {}
    group = {iso: kind for kind in ("highest", "lowest") for iso in named.get(kind, [])}
    data = data.assign(named=data["region_iso"].map(group).fillna(""))
    fig = _dot_plot(data, regions, national_share(preschools), lang)
    return Figure(fig, labelled(data, "region_iso", regions, lang), t("dotplot_title", lang, year=year),
                  [t("dotplot_caption", lang, n=len(data))], t("source_table1", lang))


def _dot_plot(data: pd.DataFrame, regions: pd.DataFrame, national: float, lang: str):
    labels = official_region_names(regions, lang)
    fig, ax = new_figure("column", 4.6)
    y = np.arange(len(data))
    ax.hlines(y, 0, data["share_recomputed_pct"], color="#cccccc", linewidth=0.8)
    colours = {"highest": PALETTE[1], "lowest": PALETTE[2], "": "#888888"}
    for kind in ("", "highest", "lowest"):
        part = data["named"] == kind
        ax.plot(data.loc[part, "share_recomputed_pct"], y[part.to_numpy()], "o", color=colours[kind], ms=4,
                label=t(f"dotplot_named_{kind or 'none'}", lang))
    ax.set_yticks(y, [wrap(labels[c], 26) for c in data["region_iso"]], linespacing=1.0)
    ax.axvline(national, color=PALETTE[3], linestyle="--", linewidth=1)
    ax.text(national, len(data) - 0.4, " " + t("dotplot_national", lang, share=decimal(national, 1, lang)),
            color=PALETTE[3], fontsize=7, va="bottom")
    ax.set_ylim(-0.6, len(data) + 0.6)
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("dotplot_xlabel", lang))
    fig.legend(loc="outside lower center", ncol=1, frameon=False, fontsize=7)
    localise_numbers(fig, lang)
    return fig
