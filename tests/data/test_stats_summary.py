"""Tidy records, number formatting, notebook-level analyses on small frames, and the summaries."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from scipy.stats import chi2

from analysis import figures
from analysis.figures import disparity
from analysis.figures import shortage as shortage_figures
from analysis.figures.layout import figure_bytes
from analysis.figures.style import no_missing_glyphs, use_style
from analysis.i18n import decimal
from analysis.ingest.load import load_processed
from analysis.ingest.regions import load_adjacency
from analysis.stats import disparity as disparity_stats
from analysis.stats import (
    regional,
    shortage,
    summary,
    tidy,
)
from analysis.stats.summary.regional import regional_disparity
from analysis.stats.summary.shortage import teacher_shortage
from analysis.stats.trend import smallest_n_for_exact_trend


def test_tidy_frame_has_the_standard_columns_and_keeps_full_precision():
    out = tidy.frame([tidy.record("t", "q", 1 / 3, p_value=float("nan"), n=5, method="m")])
    assert list(out.columns) == tidy.COLUMNS
    assert out.loc[0, "estimate"] == 1 / 3  # the writer rounds, by the precision policy
    assert pd.isna(out.loc[0, "p_value"]) and out.loc[0, "n"] == 5 and out.loc[0, "subject"] == "national"


def test_formatting():
    assert tidy.fmt_p(0.0004) == "p < 0.001" and tidy.fmt_p(0.0123) == "p = 0.012"
    assert tidy.fmt_int(13828) == "13 828"
    assert decimal(44.04, 1, "ru") == "44,0" and decimal(44.04, 1, "en") == "44.0"


def test_limits_used_in_the_summaries():
    assert smallest_n_for_exact_trend(0.05) == 5
    assert smallest_n_for_exact_trend(0.01) == 6
    v = disparity_stats.smallest_significant_v(5555, 19, 20, 2, 0.05)
    assert v == pytest.approx(math.sqrt(chi2.ppf(0.95, 19) / 5555))
    assert summary.v_words(0.33, "en") == "moderate" and summary.v_words(0.05, "en") == "negligible"
    assert summary.listing(["a", "b", "c"], "en") == "a, b and c"
    assert summary.listing(["a, %", "b"], "en") == "a, % and b"
    assert summary.listing(["a, %", "b", "c"], "en") == "a, %; b and c"
    assert summary.listing([], "en") == "none"
    f = summary.Numbers("ru")
    assert f.ci(-0.8, -0.09, 2) == "[−0,80; −0,09]" and f.ci(0.1, 0.2, 1, pct=True) == "10,0%–20,0%"


@pytest.fixture(scope="module")
def small():
    regions = pd.DataFrame({"region_iso": ["KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-71", "KZ-75"],
                            "type": ["region"] * 4 + ["city"] * 2,
                            "short_kk": list("ӘҒҚҢӨҰ"), "short_ru": list("абвгде"), "short_en": list("abcdef")})
    inclusion = pd.DataFrame({"region_iso": regions["region_iso"], "preschools_total": [283, 446, 385, 177, 103, 195],
                              "preschools_inclusive": [135, 140, 139, 72, 86, 152],
                              "sen_children": [223, 1124, 365, 89, 736, 678]})
    short = pd.DataFrame({"region_iso": regions["region_iso"], "shortage_total": [157, 565, 178, 2024, 1327, 2297],
                          "shortage_urban": [83, 205, 71, 235, 1327, 2297], "shortage_rural": [74, 360, 107, 1789, 0, 0],
                          "shortage_state": [62, 288, 114, 157, 171, 115],
                          "shortage_private": [95, 277, 64, 1867, 1156, 2182]})
    adjacency = pd.DataFrame({"region_iso_a": ["KZ-10", "KZ-10", "KZ-11", "KZ-15", "KZ-11", "KZ-15"],
                              "region_iso_b": ["KZ-11", "KZ-15", "KZ-19", "KZ-19", "KZ-71", "KZ-75"]})
    return regions, inclusion, short, adjacency


def test_regional_analysis_on_a_small_frame(small):
    regions, inclusion, _, adjacency = small
    res = regional.analyse(inclusion, regions, adjacency, seed=1, n_resamples=200)
    stats = res.tidy()
    assert list(stats.columns) == tidy.COLUMNS
    assert stats.loc[stats["quantity"] == "gini_from_lorenz_curve", "estimate"].iloc[0] == pytest.approx(
        stats.loc[stats["quantity"] == "gini_weighted", "estimate"].iloc[0], rel=1e-9)
    assert set(res.region_table()["subject"]) == set(inclusion["region_iso"])
    again = regional.analyse(inclusion, regions, adjacency, seed=1, n_resamples=200).tidy()
    pd.testing.assert_frame_equal(stats, again)
    text = regional_disparity(res, regions, 2023, ["x.csv"], "en")
    assert "nan" not in text and "What the tests cannot show" in text
    assert f"{res.homogeneity['dof']} degrees of freedom" in text
    assert text.split("\n")[2].startswith("**Tables 1 and 2 are censuses.**")
    assert "**The cities apart.**" in text and "**One Beta cannot separate the cities.**" in text
    assert "pre-registered" not in text.replace("not pre-registered", "")


def test_shortage_analysis_on_a_small_frame(small):
    regions, inclusion, short, adjacency = small
    res = shortage.analyse(short, inclusion, regions, adjacency, seed=2, n_permutations=720)
    assert res.splits.splits["urban_rural_excluded"] == ["KZ-71", "KZ-75"]
    assert res.splits.splits["urban_rural"]["groups"] == 4
    table = res.associations.table
    assert (table["p_holm"] >= table["p_decision"]).all()
    assert table["exact"].all(), "6 regions: every pairing enumerated"
    text = teacher_shortage(res, regions, 2023, ["x.csv"], "en")
    assert "nan" not in text and "ecological fallacy" in text.lower()
    assert text.split("\n")[2].startswith("**Tables 1 and 2 are censuses.**")
    assert "Planned, not pre-registered" in text and "**The matched scope is not shown.**" in text


def test_join_refuses_unmatched_regions(small):
    regions, inclusion, short, _ = small
    with pytest.raises(ValueError, match="only one of the two tables"):
        shortage.join(short.iloc[1:], inclusion, regions)


# Each figure in one language, the languages in turn: every figure and every language is drawn
# once here (notebooks 40-42 draw every figure in every language under nbval), at a third of
# the cost of all combinations.
FIGURE_LANGUAGES = [("wilson_figure", "kk"), ("funnel_figure", "ru"), ("shrinkage_figure", "en"), ("lorenz_figure", "kk"),
                    ("rates_figure", "ru"), ("split_figure", "en"), ("concentration_figure", "kk"),
                    ("association_figure", "ru")]
SHORTAGE_FIGURES = ("rates_figure", "split_figure", "concentration_figure", "association_figure")


@pytest.fixture(scope="module")
def analysed(small):
    regions, inclusion, short, adjacency = small
    return (regional.analyse(inclusion, regions, adjacency, seed=1, n_resamples=100),
            shortage.analyse(short, inclusion, regions, adjacency, seed=2, n_permutations=99))


@pytest.mark.parametrize(("figure", "lang"), FIGURE_LANGUAGES)
def test_figures_draw_in_every_language(small, analysed, figure, lang):
    use_style()
    regions = small[0]
    res, sres = analysed
    args = {"wilson_figure": (res.data, res.shares, regions, lang, 2023),
            "funnel_figure": (res.data, res.shares, res.one_beta, res.cities, regions, lang, 2023),
            "shrinkage_figure": (res.one_beta, regions, lang, 2023), "lorenz_figure": (res.lorenz, res.lorenz_gini, lang, 2023),
            "rates_figure": (sres.data, sres.rates, regions, lang, 2023),
            "split_figure": (sres.data, sres.splits, regions, lang, 2023),
            "concentration_figure": (sres.concentration, lang, 2023),
            "association_figure": (sres.data, sres.associations, lang, 2023)}[figure]
    module = shortage_figures if figure in SHORTAGE_FIGURES else disparity
    with no_missing_glyphs():
        drawn = getattr(module, figure)(*args)
        assert isinstance(drawn, figures.Figure)
        figure_bytes(drawn.figure, "png")  # a journal width, nothing drawn outside it
        assert len(drawn.data) > 0
        assert drawn.caption(lang, "4x_stats").splitlines()[-1].startswith(("Дереккөз:", "Источник:", "Source:"))
        assert not [t for t in drawn.figure.texts if t.get_text()], "the title goes to the caption file"
        plt.close(drawn.figure)


def test_real_data_national_share_is_the_printed_total():
    inclusion = load_processed("preschool_inclusion_2023.csv")
    regions = load_processed("regions.csv")
    res = regional.analyse(inclusion, regions, load_adjacency(codes=regions["region_iso"]), seed=1, n_resamples=50)
    assert res.shares.national["inclusive"] == inclusion["preschools_inclusive"].sum()
    printed = load_processed("printed_totals_2023.csv").set_index("column").loc["inclusive_share_pct", "printed"]
    assert 100 * res.shares.national["share"] == pytest.approx(printed, abs=0.05)


def test_results_show_as_one_column_without_hiding_tiny_p_values():
    from analysis.stats.tidy import as_column
    shown = as_column({"statistic": 611.1714, "dof": 19, "p_value": 2.2133e-117, "present": True, "method": "x"})
    assert shown["value"].tolist() == ["611.2", 19, "2.213e-117", True, "x"]
