"""Tables 1 and 2: rebuilt from processed data, compared cell by cell, rendered in three languages."""

from __future__ import annotations

import csv

import pandas as pd
import pandas.testing as pdt
import pytest

from analysis import paths, tables
from analysis.ingest.load import load_processed

SPECS = [tables.TABLE1, tables.TABLE2]
STEMS = {"table1": "table1_preschools", "table2": "table2_teacher_shortage"}


def tiny_shortage() -> pd.DataFrame:
    return pd.DataFrame({
        "region_iso": ["KZ-71", "KZ-10"], "year": [2023, 2023], "printed_order": [2, 1],
        "region_as_printed": ["Астана қ.", "Абай"],
        "shortage_total": [10, 5], "shortage_urban": [10, 2], "shortage_rural": [0, 3],
        "shortage_state": [4, 1], "shortage_private": [6, 4]})


def test_rebuild_puts_the_recomputed_total_first_then_the_printed_order():
    table = tables.rebuild(tiny_shortage(), tables.TABLE2)
    expected = pd.DataFrame({
        "region_iso": ["KZ", "KZ-10", "KZ-71"], "region_as_printed": ["ҚР", "Абай", "Астана қ."],
        "shortage_total": [15, 5, 10], "shortage_urban": [12, 2, 10], "shortage_rural": [3, 3, 0],
        "shortage_state": [5, 1, 4], "shortage_private": [10, 4, 6]})
    pdt.assert_frame_equal(table, expected)


def test_total_share_is_recomputed_from_summed_counts_half_up():
    processed = pd.DataFrame({"region_iso": ["KZ-10", "KZ-11"], "printed_order": [1, 2], "region_as_printed": ["A", "B"],
                              "preschools_total": [4, 4], "preschools_inclusive": [1, 0], "inclusive_share_pct": [25.0, 0.0],
                              "sen_children": [1, 2]})
    table = tables.rebuild(processed, tables.TABLE1)
    assert table.loc[0, "inclusive_share_pct"] == 12.5  # 1/8 = 12.5 exactly
    processed["preschools_total"] = [16, 16]
    processed["preschools_inclusive"] = [2, 0]
    assert tables.rebuild(processed, tables.TABLE1).loc[0, "inclusive_share_pct"] == 6.3  # 6.25 -> 6.3 half-up


def test_comparison_marks_same_corrected_and_unexplained_differences():
    table = tables.rebuild(tiny_shortage(), tables.TABLE2)
    printed = pd.DataFrame({
        "region_as_printed": ["ҚР", "Абай", "БҚО"], "shortage_total": ["15", "5", "10"],
        "shortage_urban": ["12", "2", "10"], "shortage_rural": ["3", "3", "0"], "shortage_state": ["5", "1", "4"],
        "shortage_private": ["10", "4", "7"]}, index=pd.Index([2, 3, 4], name="line"))
    log = pd.DataFrame({"correction_id": ["C9"], "resource": ["table2-teacher-shortage-2099"], "line": [4],
                        "column": ["region_as_printed"], "old_value": ["БҚО"], "new_value": ["Астана қ."], "reason": ["test"]})
    comparison = tables.compare_with_printed(table, printed, tables.TABLE2, log).set_index(["line", "column"])
    assert comparison.at[(4, "region_as_printed"), "status"] == "corrected"
    assert comparison.at[(4, "region_as_printed"), "note"].startswith("correction C9")
    assert comparison.at[(4, "shortage_private"), "status"] == "differs"
    assert (comparison.drop([(4, "region_as_printed"), (4, "shortage_private")])["status"] == "same").all()


def test_decimal_comma_is_a_difference_unless_corrected():
    assert not tables._same("85,9", "85.9", "inclusive_share_pct")
    assert tables._same("85.9", "85.9", "inclusive_share_pct")
    assert tables._same("44.0", "44.0", "inclusive_share_pct")
    assert not tables._same("44.1", "44.0", "inclusive_share_pct")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_localise_uses_printed_names_in_kazakh_and_the_reference_otherwise(lang):
    regions = load_processed("regions.csv")
    table = tables.rebuild(tiny_shortage(), tables.TABLE2)
    local = tables.localise(table, tables.TABLE2, regions, lang)
    expected = {"kk": ["ҚР", "Абай", "Астана қ."], "ru": ["РК", "Абайская обл.", "г. Астана"],
                "en": ["Kazakhstan", "Abai", "Astana city"]}[lang]
    assert list(local.iloc[:, 0]) == expected
    assert len(local.columns) == 1 + len(tables.TABLE2.columns)


def test_latex_is_booktabs_and_escaped():
    regions = load_processed("regions.csv")
    table = tables.rebuild(tiny_shortage(), tables.TABLE2)
    tex = tables.to_latex(tables.localise(table, tables.TABLE2, regions, "en"), tables.TABLE2, "50% & more", "n_b", "tab:x")
    assert all(rule in tex for rule in (r"\toprule", r"\midrule", r"\bottomrule"))
    assert r"50\% \& more" in tex and r"n\_b" in tex
    assert "Kazakhstan & 15 & 12 & 3 & 5 & 10" in tex


def test_markdown_keeps_printed_decimals():
    processed = load_processed("preschool_inclusion_2023.csv")
    table = tables.rebuild(processed, tables.TABLE1)
    md = tables.to_markdown(tables.localise(table, tables.TABLE1, load_processed("regions.csv"), "kk"), tables.TABLE1, "T", "N")
    assert "| ҚР | 5555 | 2442 | 44.0 | 9139 |" in md


@pytest.mark.parametrize("lang, row, tex_row", [
    ("ru", "| РК | 5 555 | 2 442 | 44,0 | 9 139 |", r"РК & 5\,555 & 2\,442 & 44,0 & 9\,139 \\"),
    ("en", "| Kazakhstan | 5 555 | 2 442 | 44.0 | 9 139 |", r"Kazakhstan & 5\,555 & 2\,442 & 44.0 & 9\,139 \\")])
def test_russian_and_english_tables_write_numbers_as_their_language_does(lang, row, tex_row):
    processed = load_processed("preschool_inclusion_2023.csv")
    table = tables.rebuild(processed, tables.TABLE1)
    local = tables.localise(table, tables.TABLE1, load_processed("regions.csv"), lang)
    assert row in tables.to_markdown(local, tables.TABLE1, "T", "N", lang)
    assert tex_row in tables.to_latex(local, tables.TABLE1, "T", "N", "tab:x", lang)
    assert tables.formatted(local, tables.TABLE1)[0][1:] == ["5555", "2442", "44.0", "9139"], "the CSV keeps the printed form"


@pytest.mark.parametrize("spec", SPECS, ids=[s.key for s in SPECS])
def test_results_tables_equal_the_printed_tables_cell_for_cell(spec):
    """results/tables/<table>_kk.csv against the raw extract as printed: every cell the same,
    total row included, except cells a recorded correction changed."""
    with open(paths.RAW / spec.raw_name(2023), encoding="utf-8", newline="") as handle:
        printed = list(csv.reader(handle))[1:]
    with open(paths.RESULTS / "tables" / f"{STEMS[spec.key]}_kk.csv", encoding="utf-8", newline="") as handle:
        reproduced = list(csv.reader(handle))[1:]
    log = load_processed("corrections_log.csv")
    corrected = {(int(r.line), r.column, r.old_value, r.new_value) for r in log.itertuples()
                 if r.file == f"data/raw/{spec.raw_name(2023)}"}
    columns = ["region_as_printed", *spec.columns]
    differences = {(line, columns[j], p, r) for line, (prow, rrow) in enumerate(zip(printed, reproduced, strict=True), start=2)
                   for j, (p, r) in enumerate(zip(prow, rrow, strict=True)) if p != r}
    assert len(printed) == len(reproduced) == 21
    assert differences == corrected and len(corrected) == 1


@pytest.mark.parametrize("spec", SPECS, ids=[s.key for s in SPECS])
def test_stored_comparison_has_no_unexplained_difference(spec):
    comparison = pd.read_csv(paths.RESULTS / "tables" / f"{STEMS[spec.key]}_comparison.csv", dtype=str, keep_default_na=False)
    assert set(comparison["status"]) == {"same", "corrected"}
    assert (comparison["status"] == "corrected").sum() == 1


@pytest.mark.parametrize("spec", SPECS, ids=[s.key for s in SPECS])
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_language_has_csv_markdown_and_latex(spec, lang):
    for ext in ("csv", "md", "tex"):
        path = paths.RESULTS / "tables" / f"{STEMS[spec.key]}_{lang}.{ext}"
        assert path.exists() and path.stat().st_size > 0, path
