"""What a statistical referee checks in results/stats: bounded limits, p-values with their Monte-Carlo
error, seed-independent conclusions, collapsed series, census statements, and METHODS.md."""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pytest

from analysis import paths
from analysis.ingest.load import load_processed
from analysis.ingest.regions import load_adjacency
from analysis.stats import association, shortage
from tools.lock import versions_table

STATS = paths.RESULTS / "stats"
LANGS = ("kk", "ru", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_no_funnel_limit_leaves_0_to_100_percent(lang):
    funnel = pd.read_csv(STATS / f"40_funnel_{lang}.csv")
    limits = funnel[[c for c in funnel.columns if c.startswith(("binom_", "bb_"))]]
    assert limits.notna().any().all()
    assert ((limits >= 0) & (limits <= 100)).where(limits.notna(), True).all().all()


def test_no_rate_figure_has_limits_and_no_rate_is_negative():
    for lang in LANGS:
        rates = pd.read_csv(STATS / f"41_shortage_rates_{lang}.csv")
        assert not [c for c in rates.columns if "low" in c or "high" in c]
        assert (rates.select_dtypes("number") >= 0).all().all()


def test_every_association_p_value_is_exact_or_carries_its_monte_carlo_error():
    stats = pd.read_csv(STATS / "41_teacher_shortage_statistics.csv")
    spearman = stats[stats["test"] == "spearman"]
    assert len(spearman) >= 3
    for row in spearman.itertuples():
        assert row.resamples >= 1_000_000 or "exact" in str(row.method).lower(), row
        assert not pd.isna(row.p_mcse) or "exact" in str(row.method).lower(), row


def test_a_second_seed_gives_the_same_conclusions():
    inclusion = load_processed("preschool_inclusion_2023.csv")
    regions = load_processed("regions.csv")
    table = load_processed("teacher_shortage_2023.csv")
    data = shortage.prepare(table, inclusion, regions)
    stored = pd.read_csv(STATS / "41_teacher_shortage_statistics.csv")
    holm = stored[stored["test"] == "holm"].set_index("quantity")
    spearman = stored[stored["test"] == "spearman"].set_index("quantity")
    again = shortage.associations(data, seed=987654321, n_permutations=association.MIN_PERMUTATIONS).table
    for r in again.itertuples():
        assert r.decision != "undetermined"
        assert holm.loc[r.key, "method"].endswith(f": {r.decision}"), (r.key, r.decision, holm.loc[r.key, "method"])
        assert abs(r.p_value - float(spearman.loc[r.key, "p_value"])) < 4 * 2 * r.p_mcse + 1e-3


def test_an_inferred_date_never_decides_which_statement_a_year_keeps():
    collapsed = pd.read_csv(STATS / "42_collapsed_statements.csv")
    rows = pd.read_csv(STATS / "42_supplementary_rows.csv").set_index("line")
    kept = collapsed[collapsed["kept_line"].notna() & collapsed["collapse_rule"].isin(["latest", "earliest"])]
    assert (rows.loc[kept["kept_line"].astype(int), "date_quality"] == "exact").all()
    # KPPK 2023: both statements inferred (208 and 211), so the year keeps their median under every rule
    k23 = collapsed[(collapsed["indicator"] == "kppk") & (collapsed["reference_date"].str[:4] == "2023")
                    & (collapsed["analysis_set"] == "all_dates")]
    assert k23["kept_line"].isna().all() and (k23["kept_value"] == 209.5).all()


def test_the_trend_family_is_tarone_s_and_kppk_s_robustness_is_computed():
    tests = pd.read_csv(STATS / "42_trend_tests_by_indicator.csv")
    main = tests[(tests["analysis_set"] == "all_dates") & (tests["collapse_rule"] == "latest")]
    family = main[main["in_family"]]
    assert (family["smallest_p"] <= 0.05).all() and (main.loc[~main["in_family"], "smallest_p"].dropna() > 0.025).all()
    stats = pd.read_csv(STATS / "42_trends_statistics.csv")
    robust = stats[stats["test"] == "trend_robustness"].set_index("subject")["note"]
    assert robust["kppk [all_dates]"].startswith("not robust") and robust["pmpk [all_dates]"].startswith("robust rise")


def test_trend_tables_report_n_after_collapsing_and_no_model_interval():
    tests = pd.read_csv(STATS / "42_trend_tests_by_indicator.csv")
    collapsed = pd.read_csv(STATS / "42_collapsed_statements.csv")
    assert (tests["n"] <= tests["n_statements"]).all()
    assert set(tests["collapse_rule"]) == {"latest", "earliest", "median"}
    for row in tests.itertuples():
        gone = collapsed[(collapsed["analysis_set"] == row.analysis_set) & (collapsed["collapse_rule"] == row.collapse_rule)
                         & (collapsed["indicator"] == row.indicator)]
        medians = gone.loc[gone["kept_line"].isna(), "reference_date"].str[:4].nunique()
        assert row.n == row.n_statements - len(gone) + medians, row
    kppk = tests[(tests["analysis_set"] == "all_dates") & (tests["indicator"] == "kppk")].iloc[0]
    assert kppk["n"] == 5, "kppk 211 twice in July 2022 is one observation"
    assert not [c for c in tests.columns if c.startswith("glm")]
    stats = pd.read_csv(STATS / "42_trends_statistics.csv")
    assert not stats["test"].str.contains("poisson_trend|glm").any()
    shown = tests[tests["sen_interval"] == "shown"]
    assert (shown["sen_coverage"] >= 0.90).all()
    assert all(len(set(v.split())) == len(v.split()) for v in shown["values"]), "no Sen interval on tied counts"
    tvet = stats[stats["subject"] == "tvet_students_figure3"]
    assert tvet["ci_low"].isna().all() and tvet["p_value"].isna().all(), "no test and no interval of two stock counts"
    assert not stats["test"].str.contains("poisson").any()


def test_moran_shrinkage_sensitivity_and_methods_exist():
    stats40 = pd.read_csv(STATS / "40_regional_disparity_statistics.csv")
    stats41 = pd.read_csv(STATS / "41_teacher_shortage_statistics.csv")
    assert (stats40["test"] == "morans_i").sum() == 1 and (stats41["test"] == "morans_i").sum() == 1
    regions = pd.read_csv(STATS / "40_regional_disparity_regions.csv")
    assert (regions["test"] == "shrinkage").sum() == 20
    assert regions.loc[regions["test"] == "shrinkage", ["ci_low", "ci_high"]].notna().all().all()
    assert regions.loc[regions["test"] == "shrinkage", "note"].str.contains("conditional on the fitted alpha and beta").all()
    sensitivity = pd.read_csv(STATS / "40_sensitivity.csv")
    assert {"all_regions", "without_cities", "logit_scale"} <= set(sensitivity["subject"])
    assert (paths.PROJECT_ROOT / "METHODS.md").exists()


@pytest.mark.parametrize("stem", ["40_regional_disparity", "41_teacher_shortage", "42_trends"])
def test_summaries_open_with_the_census_statement_and_claim_nothing_the_method_cannot(stem):
    text = (STATS / f"{stem}_summary_en.md").read_text(encoding="utf-8")
    first_paragraph = text.split("\n\n")[1]
    assert "census" in first_paragraph.lower() and "superpopulation" in first_paragraph
    assert "chosen in advance" not in text
    assert "pre-registered" not in text.replace("not pre-registered", "")
    assert not re.search(r"\bnan\b", text)


def test_methods_names_the_locked_versions_and_every_stats_module():
    methods = (paths.PROJECT_ROOT / "METHODS.md").read_text(encoding="utf-8")
    assert versions_table() in methods, "run: make lock (tools/lock.py)"
    for module in ("betabinom", "funnel", "spatial", "association", "trend", "timeseries", "inequality", "disparity"):
        assert f"`{module}." in methods or f"(`{module}`" in methods, module


def test_adjacency_used_is_the_raw_file():
    assert len(load_adjacency()) == 35


NUMBER = re.compile(r"(?<![\w.])[−-]?\d+(?:[\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")


def _numbers(text: str) -> Counter:
    """Every number of a summary, written one way (point, no grouping, hyphen-minus); code spans
    (file names) left out."""
    text = re.sub(r"`[^`]*`", "", text)
    return Counter(re.sub(r"[\u00a0\u202f ]", "", m).replace(",", ".").replace("−", "-") for m in NUMBER.findall(text))


@pytest.mark.parametrize("stem", ["40_regional_disparity", "41_teacher_shortage", "42_trends"])
def test_the_three_editions_of_a_summary_state_the_same_numbers(stem):
    english = _numbers((STATS / f"{stem}_summary_en.md").read_text(encoding="utf-8"))
    assert sum(english.values()) > 50
    for lang in ("kk", "ru"):
        text = (STATS / f"{stem}_summary_{lang}.md").read_text(encoding="utf-8")
        assert _numbers(text) == english, lang
        assert not re.search(r"\d\.\d", re.sub(r"`[^`]*`", "", text)), f"{lang}: a decimal point in a comma language"
