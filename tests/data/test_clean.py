"""The processed tables equal the article's printed tables cell for cell, after the recorded
corrections, and the cleaning is deterministic."""

from __future__ import annotations

import csv
from decimal import Decimal

import pandas as pd
import pandas.testing as pdt
import pytest

from analysis import paths
from analysis.ingest import clean

from support import write_processed


def printed_rows(name: str) -> list[dict[str, str]]:
    """The raw table as printed, read with the csv module alone (independent of analysis.ingest.rawio)."""
    with open(paths.RAW / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def cleaned() -> clean.CleanedExtracts:
    return clean.clean_extracts(2023)


@pytest.mark.parametrize(
    ("raw_name", "output"),
    [("table1_preschools_2023.csv", "preschool_inclusion_2023.csv"),
     ("table2_teacher_shortage_2023.csv", "teacher_shortage_2023.csv")],
)
def test_processed_table_equals_printed_table_after_corrections(cleaned, raw_name, output):
    printed = [row for row in printed_rows(raw_name) if row["region_as_printed"] != "ҚР"]
    processed = cleaned.outputs[output]
    log = cleaned.corrections_log
    corrected = {(int(r.line) - 3, r.column): (r.old_value, r.new_value)
                 for r in log[log["file"] == f"data/raw/{raw_name}"].itertuples()}
    assert len(processed) == len(printed) == 20
    changed = 0
    for i, row in enumerate(printed):
        for column, text in row.items():
            got = processed.at[i, column]
            if (i, column) in corrected:
                old, new = corrected[(i, column)]
                assert text == old
                text, changed = new, changed + 1
            if column == "region_as_printed":
                assert got == text
            else:
                assert Decimal(str(got)) == Decimal(text), (i, column, got, text)
    assert changed == len(corrected) >= 1
    assert list(processed["printed_order"]) == list(range(1, 21))


def test_corrections_are_the_two_recorded_ones(cleaned):
    log = cleaned.corrections_log.set_index("correction_id")
    assert list(log.index) == ["C001", "C002"]
    assert (log.at["C001", "old_value"], log.at["C001", "new_value"], log.at["C001", "line"]) == ("БҚО", "СҚО", 16)
    assert (log.at["C002", "old_value"], log.at["C002", "new_value"], log.at["C002", "line"]) == ("85,9", "85.9", 22)


def test_table2_second_bko_row_becomes_north_kazakhstan(cleaned):
    t2 = cleaned.outputs["teacher_shortage_2023.csv"].set_index("region_iso")
    assert t2.at["KZ-59", "shortage_total"] == 310
    assert t2.at["KZ-27", "shortage_total"] == 330


def test_printed_totals_are_checked_against_the_regions(cleaned):
    totals = cleaned.printed_totals
    printed_total_rows = {name: next(r for r in printed_rows(name) if r["region_as_printed"] == "ҚР")
                          for name in ("table1_preschools_2023.csv", "table2_teacher_shortage_2023.csv")}
    expected_columns = sum(len(row) - 1 for row in printed_total_rows.values())
    assert len(totals) == expected_columns == 9
    assert totals["consistent"].all()
    t1 = cleaned.outputs["preschool_inclusion_2023.csv"]
    t2 = cleaned.outputs["teacher_shortage_2023.csv"]
    sums = totals[totals["rule"] == "sum of regions"]
    for row in sums.itertuples():
        table = t1 if row.resource.startswith("table1") else t2
        assert row.recomputed == table[row.column].sum() == row.printed
    share = totals.set_index("column").loc["inclusive_share_pct"]
    assert share["printed_as"] == "44.0"
    assert share["recomputed"] == pytest.approx(100 * t1["preschools_inclusive"].sum() / t1["preschools_total"].sum(), abs=1e-4)


def test_national_indicators_parse_printed_numbers(cleaned):
    ind = cleaned.outputs["national_indicators.csv"].set_index("stat_id")
    assert ind.at["S08", "value_as_printed"] == "5 555" and ind.at["S08", "value"] == 5555
    assert ind.at["S12", "value_as_printed"] == "85,9" and ind.at["S12", "value"] == pytest.approx(85.9)
    assert ind.at["S12", "region_iso"] == "KZ-79" and ind.at["S12", "scope"] == "region"
    assert pd.isna(ind.at["S01", "region_iso"]) and ind.at["S01", "scope"] == "national"
    assert ind.at["S01", "reference_period"] == "2024-01-01"
    assert ind.at["S22", "region_iso"] == "KZ-19" and ind.at["S22", "value"] == 2054


def test_cleaning_is_deterministic(tmp_path):
    first = write_processed(clean.clean_extracts(2023), tmp_path / "a", tmp_path / "ra")
    second = write_processed(clean.clean_extracts(2023), tmp_path / "b", tmp_path / "rb")
    pdt.assert_series_equal(first["sha256"], second["sha256"])


def test_stored_processed_files_are_what_the_cleaning_writes(cleaned, tmp_path):
    written = write_processed(cleaned, tmp_path, tmp_path / "results")
    for row in written.itertuples():
        name = row.file.rsplit("/", 1)[-1]
        assert (paths.PROCESSED / name).read_bytes() == (tmp_path / name).read_bytes(), f"{name} is stale: run make reproduce"


def test_unchanged_outputs_are_not_rewritten(cleaned, tmp_path):
    out = tmp_path / "processed"
    write_processed(cleaned, out, tmp_path / "results")
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    write_processed(cleaned, out, tmp_path / "results")
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == mtimes


def test_unknown_year_names_the_missing_resource(tmp_path):
    from analysis.errors import RawDataError

    with pytest.raises(RawDataError, match=r"datapackage.json: no resource 'table1-preschools-2031'"):
        clean.clean_extracts(2031)
