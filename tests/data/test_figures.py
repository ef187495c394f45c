"""Figures: the data they show, every language without a missing glyph, and a complete series
(a made-up fixture) drawn whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import paths
from analysis.figures import article as figures
from analysis.figures import shares
from analysis.figures.layout import figure_bytes
from analysis.figures.style import KAZAKH_LETTERS, MissingGlyphError, new_figure, no_missing_glyphs, use_style
from analysis.ingest.datapackage import rehash
from analysis.ingest.load import load_processed

from support import clean_and_write

FIXTURE = Path(__file__).parents[1] / "fixtures" / "FIXTURE_full_series_text_statistics.csv"
LANGS = ["kk", "ru", "en"]


@pytest.fixture(scope="module", autouse=True)
def style():
    use_style()
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def data():
    return {"indicators": load_processed("national_indicators.csv"), "regions": load_processed("regions.csv"),
            "preschools": load_processed("preschool_inclusion_2023.csv")}


def draw_all(d, lang):
    ind, reg, pre = d["indicators"], d["regions"], d["preschools"]
    return [figures.figure1(ind, reg, lang), figures.figure2(ind, reg, lang), figures.figure3(ind, reg, lang),
            shares.tile_map(pre, reg, 2023, lang), shares.dot_plot(pre, reg, 2023, lang)]


@pytest.mark.parametrize("lang", LANGS)
def test_every_figure_renders_without_a_missing_glyph(data, lang):
    with no_missing_glyphs():
        for drawn in draw_all(data, lang):
            figure_bytes(drawn.figure, "png")
            figure_bytes(drawn.figure, "svg")
            assert drawn.title and drawn.source and "label" in drawn.data.columns
            assert not [t for t in drawn.figure.texts if t.get_text()], "no title or note drawn into the figure"
            assert not [ax.get_title() for ax in drawn.figure.axes if drawn.title in ax.get_title()]
            plt.close(drawn.figure)


def test_missing_glyph_check_can_fail():
    with pytest.raises(MissingGlyphError, match="missing from"):
        with no_missing_glyphs(), matplotlib.rc_context({"font.sans-serif": ["cmr10"], "font.family": "sans-serif"}):
            fig, ax = new_figure("column", 2)
            ax.set_title(KAZAKH_LETTERS)
            figure_bytes(fig, "png")
    plt.close("all")


def caption(drawn, lang="en") -> str:
    return drawn.caption(lang, "2x_figure")


def test_published_figure_data_and_captions_say_what_is_missing(data):
    f1 = figures.figure1_data(data["indicators"])
    assert set(f1["reference_period"]) == {"2024-01-01"}
    assert f1.loc[f1["indicator"] != figures.SPECIAL_ORG_TOTAL, "value"].sum() == 510
    drawn = figures.figure1(data["indicators"], data["regions"], "en")
    assert "2019\u20132022" in caption(drawn) and "513" in caption(drawn) and "510" in caption(drawn)
    assert drawn.title == "Special education organisations by type, start of 2024", "one time point: not 'over time'"
    f2 = figures.figure2_data(data["indicators"], data["regions"])
    assert list(f2["region_iso"]) == ["KZ-39", "KZ-11", "KZ-61"]
    assert "other 17 regions are not published" in caption(figures.figure2(data["indicators"], data["regions"], "en"))
    assert "for 2022" in caption(figures.figure3(data["indicators"], data["regions"], "en"))
    plt.close("all")


@pytest.mark.parametrize("lang", LANGS)
def test_figure3_draws_admitted_and_graduates_apart_from_the_years(data, lang):
    """Claim R24h: the text does not say which period 1 343 admitted and 1 001 graduates describe."""
    f3 = figures.figure3_data(data["indicators"])
    flows = f3[f3["indicator"].isin(figures.TVET_FLOWS)]
    assert (flows["panel"] == "period_not_stated").all() and flows["reference_period"].isna().all()
    drawn = figures.figure3(data["indicators"], data["regions"], lang)
    years, apart = drawn.figure.axes
    assert [t.get_text() for t in years.get_xticklabels()] == ["2021", "2022", "2023"]
    assert {int(p.get_height()) for p in years.patches if p.get_height() == p.get_height()} == {2448, 2622}
    assert sorted(int(p.get_height()) for p in apart.patches) == [1001, 1343]
    assert not any(t.get_text().isdigit() for t in apart.get_xticklabels()), "no year under admitted and graduates"
    assert "R24h" in caption(drawn, lang) and "1 343" in caption(drawn, lang)
    plt.close(drawn.figure)


def test_shares_and_national_line(data):
    table = shares.share_data(data["preschools"])
    assert len(table) == 20 and table["share_recomputed_pct"].is_monotonic_increasing
    assert shares.national_share(data["preschools"]) == pytest.approx(100 * 2442 / 5555)


def test_tile_grid_places_each_region_once(data):
    grid = shares.tile_grid()
    assert sorted(grid["region_iso"]) == sorted(data["regions"]["region_iso"])
    assert not grid.duplicated(["col", "row"]).any()


@pytest.fixture(scope="module")
def full_series(tmp_path_factory):
    """The made-up complete series appended to a copy of the raw text statistics, then cleaned."""
    root = tmp_path_factory.mktemp("full") / "data"
    shutil.copytree(paths.DATA, root)
    raw = root / "raw" / "text_statistics_2023.csv"
    extra = FIXTURE.read_text(encoding="utf-8").split("\n", 1)[1]
    raw.write_text(raw.read_text(encoding="utf-8") + extra, encoding="utf-8")
    rehash(root / "datapackage.json")
    clean_and_write(2023, root / "raw", root / "processed", root / "datapackage.json", root / "results")
    return load_processed("national_indicators.csv", root / "processed"), load_processed("regions.csv", root / "processed")


def test_fixture_is_marked_as_made_up():
    frame = pd.read_csv(FIXTURE, dtype=str)
    assert (frame["quote"] == "MADE-UP FIXTURE, not data").all()


def test_complete_series_figure1_shows_every_year(full_series):
    indicators, regions = full_series
    data = figures.figure1_data(indicators)
    assert sorted(data["reference_period"].unique()) == [f"{y}-01-01" for y in range(2020, 2025)]
    drawn = figures.figure1(indicators, regions, "kk")
    fig = drawn.figure
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"{y} ж. басы" for y in range(2020, 2025)]
    assert len(ax.patches) == len(figures.SPECIAL_ORG_TYPES) * 5
    assert drawn.notes == ["Барлық кезеңдер деректерде бар."]
    assert drawn.title.endswith("2020 ж. басы \u2013 2024 ж. басы")
    figure_bytes(fig, "png")
    plt.close(fig)


def test_complete_series_figure2_shows_every_region(full_series):
    indicators, regions = full_series
    data = figures.figure2_data(indicators, regions)
    assert data["region_iso"].nunique() == 20
    drawn = figures.figure2(indicators, regions, "en")
    fig = drawn.figure
    assert len(fig.axes[0].patches) == 20
    assert drawn.notes == ["All 20 regions are present in the data."]
    figure_bytes(fig, "png")
    plt.close(fig)


def test_complete_series_figure3_shows_every_year(full_series):
    indicators, regions = full_series
    data = figures.figure3_data(indicators)
    stock = data[data["indicator"] == figures.TVET_STOCK]
    assert sorted(stock["reference_period"]) == ["2019", "2020", "2021", "2022", "2023"]
    drawn = figures.figure3(indicators, regions, "ru")
    fig = drawn.figure
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["2019", "2020", "2021", "2022", "2023"]
    assert drawn.notes[0] == "Все периоды есть в данных."
    figure_bytes(fig, "png")
    plt.close(fig)


@pytest.mark.parametrize("stem", ["figure1_special_organisations", "figure2_inclusive_schools", "figure3_tvet_students",
                                  "map_preschool_inclusion", "dotplot_preschool_inclusion"])
@pytest.mark.parametrize("lang", LANGS)
def test_stored_figure_files_exist_with_their_data(stem, lang):
    for ext in ("png", "svg", "csv", "txt"):
        path = paths.RESULTS / "figures" / f"{stem}_{lang}.{ext}"
        assert path.exists() and path.stat().st_size > 0, path
    data = pd.read_csv(paths.RESULTS / "figures" / f"{stem}_{lang}.csv")
    assert "label" in data.columns and data["label"].notna().all()
