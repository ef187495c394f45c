"""Every kind of bad raw input stops the cleaning with one clear message naming file, line and
column, and leaves the processed folder byte-for-byte (and mtime-for-mtime) as it was."""

from __future__ import annotations

import re

import pytest

from analysis import clean
from analysis.errors import RawDataError

T1 = "table1_preschools_2023.csv"
T2 = "table2_teacher_shortage_2023.csv"
TEXT = "text_statistics_2023.csv"


def run_expecting_error(data_copy) -> RawDataError:
    before = data_copy.processed_state()
    assert before, "the copy must start with processed files to protect"
    with pytest.raises(RawDataError) as caught:
        clean.run(2023, data_copy.raw, data_copy.processed, data_copy.package, data_copy.root / "results")
    assert data_copy.processed_state() == before, "processed files changed after a failed run"
    assert not [p for p in data_copy.processed.iterdir() if p.name.startswith(".")], "temporary file left behind"
    return caught.value


def assert_names(err: RawDataError, file: str, line: int | None, column: str | None, problem: str) -> None:
    message = str(err)
    assert err.file.endswith(f"raw/{file}"), message
    assert message.startswith(err.file), message
    assert err.line == line, message
    assert err.column == column, message
    if line is not None:
        assert f"line {line}" in message
    if column is not None:
        assert f"column '{column}'" in message
    assert re.search(problem, message), message


def test_missing_column(data_copy):
    data_copy.edit(T1, lambda t: "\n".join(",".join(line.split(",")[:4]) if "85,9" not in line
                                            else line.rsplit(",", 1)[0] for line in t.splitlines()) + "\n")
    err = run_expecting_error(data_copy)
    assert_names(err, T1, 1, "sen_children", r"missing column")


def test_extra_column(data_copy):
    data_copy.edit(T2, lambda t: "\n".join(line + (",note" if i == 0 else ",") for i, line in enumerate(t.splitlines())) + "\n")
    err = run_expecting_error(data_copy)
    assert_names(err, T2, 1, "note", r"unexpected column")


def test_text_in_number_column(data_copy):
    data_copy.edit(T1, lambda t: t.replace("АҚТӨБЕ,385,", "АҚТӨБЕ,three hundred,"))
    err = run_expecting_error(data_copy)
    assert_names(err, T1, 5, "preschools_total", r"expected a whole number, found 'three hundred'")
    assert err.row_label == "АҚТӨБЕ"


def test_negative_count(data_copy):
    data_copy.edit(T2, lambda t: t.replace("Жамбыл,408,223,185,178,230", "Жамбыл,408,223,185,-178,586"))
    err = run_expecting_error(data_copy)
    assert_names(err, T2, 9, "shortage_state", r"must be at least 0: found -178$")
    assert err.row_label == "Жамбыл"


def test_unknown_region(data_copy):
    data_copy.edit(T1, lambda t: t.replace("ЖАМБЫЛ,", "ЖАМБЫЛЬ,"))
    err = run_expecting_error(data_copy)
    assert_names(err, T1, 9, "region_as_printed", r"unknown region 'ЖАМБЫЛЬ'")


def test_duplicate_region(data_copy):
    # Table 2 without correction C001 in force: the second БҚО stays БҚО.
    data_copy.edit("corrections.yml", lambda t: t.replace("status: applied\n\n- id: C002", "status: withdrawn\n\n- id: C002"),
                   record_hash=False)
    err = run_expecting_error(data_copy)
    assert_names(err, T2, 8, "region_as_printed", r"duplicate region: \['БҚО', 'БҚО'\] on lines \[8, 16\] all map to KZ-27$")


def test_wrong_encoding(data_copy):
    text = (data_copy.raw / T1).read_text(encoding="utf-8")
    data_copy.write_bytes(T1, text.encode("kz1048"))  # Kazakh Windows code page
    err = run_expecting_error(data_copy)
    assert_names(err, T1, 2, "region_as_printed", r"not valid UTF-8")


def test_empty_file(data_copy):
    data_copy.write_bytes(TEXT, b"")
    err = run_expecting_error(data_copy)
    assert_names(err, TEXT, None, None, r"the file is empty")


def test_hash_mismatch(data_copy):
    data_copy.edit(T1, lambda t: t.replace("АБАЙ,283,", "АБАЙ,284,"), record_hash=False)
    err = run_expecting_error(data_copy)
    assert_names(err, T1, None, None, r"sha256 is [0-9a-f]{64}, but .*datapackage.json records [0-9a-f]{64}: the raw file has changed")


def test_totals_do_not_add_up(data_copy):
    data_copy.edit(T2, lambda t: t.replace("ҚР,13828,8278,5550,3617,10211", "ҚР,13828,8278,5550,3617,10221"))
    err = run_expecting_error(data_copy)
    assert_names(err, T2, 2, "shortage_private", r"printed total 10221 does not match the 20 regions \(sum of regions: 10211\)")


def test_row_that_does_not_add_up(data_copy):
    data_copy.edit(T2, lambda t: t.replace("Атырау,683,447,236,", "Атырау,683,447,237,"))
    err = run_expecting_error(data_copy)
    assert_names(err, T2, 7, "shortage_total", r"urban \+ rural does not equal the total")


def test_share_inconsistent_with_counts(data_copy):
    data_copy.edit(T1, lambda t: t.replace("АТЫРАУ,243,52,21.4,", "АТЫРАУ,243,52,24.1,"))
    err = run_expecting_error(data_copy)
    assert_names(err, T1, 7, "inclusive_share_pct", r"printed share is not 100 \* preschools_inclusive / preschools_total")


def test_missing_region(data_copy):
    data_copy.edit(T1, lambda t: "".join(line for line in t.splitlines(keepends=True) if not line.startswith("ҰЛЫТАУ,")))
    err = run_expecting_error(data_copy)
    assert_names(err, T1, None, "region_as_printed", r"1 of the 20 regions missing: KZ-62 \(Ulytau Region\)")


def test_unknown_region_in_text_statistics(data_copy):
    data_copy.edit(TEXT, lambda t: t.replace(",Жетісуда,", ",Жетысуда,"))
    err = run_expecting_error(data_copy)
    assert_names(err, TEXT, 18, "region_as_printed", r"unknown region 'Жетысуда'")


def test_text_statistic_not_a_number(data_copy):
    data_copy.edit(TEXT, lambda t: t.replace(",2958,", ",2958 adam,"))
    err = run_expecting_error(data_copy)
    assert_names(err, TEXT, 21, "value_as_printed", r"expected a number as printed")


def test_correction_that_no_longer_matches(data_copy):
    data_copy.edit(T1, lambda t: t.replace('"85,9"', "85.9"))
    err = run_expecting_error(data_copy)
    assert_names(err, T1, 22, "inclusive_share_pct", r"correction C002 expects the printed value '85,9', found '85.9'")


def test_ragged_row(data_copy):
    data_copy.edit(T2, lambda t: t.replace("Ақтөбе,178,71,107,114,64", "Ақтөбе,178,71,107,114"))
    err = run_expecting_error(data_copy)
    assert_names(err, T2, 5, "shortage_private", r"row has 5 fields, the header has 6")
