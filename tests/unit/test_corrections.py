"""Unit tests for analysis.ingest.corrections: the record of printing errors and how it is applied."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pandas.testing as pdt
import pytest
import yaml

from analysis import paths
from analysis.errors import RawDataError
from analysis.ingest import datapackage
from analysis.ingest.corrections import LOG_COLUMNS, Correction, apply_corrections, load_corrections
from analysis.ingest.rawio import LINE

FILE = paths.RAW / "table9_test.csv"  # shown in the log as data/raw/table9_test.csv
RESOURCE = "table9-test-2099"


def entry(**changes) -> dict:
    """One valid corrections.yml entry, with some keys changed (a value of None removes the key)."""
    base = {
        "id": "C101", "resource": RESOURCE, "match": {"region": "БҚО", "total": "310"},
        "column": "region", "old": "БҚО", "new": "СҚО", "action": "replace",
        "reason": "printed twice", "evidence": "order of Table 1", "status": "applied",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def correction(**changes) -> Correction:
    return Correction(**entry(**changes))


def write_yaml(tmp_path, entries) -> object:
    path = tmp_path / "corrections.yml"
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"region": ["ҚР", "БҚО", "Павлодар", "БҚО"], "total": ["13828", "330", "144", "310"]},
        index=pd.Index([2, 8, 15, 16], name=LINE),
        dtype=object,
    )


# --- load_corrections: the committed file --------------------------------------------------

@pytest.fixture(scope="module")
def committed() -> list[Correction]:
    return load_corrections(paths.CORRECTIONS)


def test_committed_ids(committed):
    assert [c.id for c in committed] == ["C001", "C002"]
    assert all(isinstance(c, Correction) for c in committed)


def test_committed_entries_are_documented(committed):
    for corr in committed:
        assert corr.reason.strip() and corr.reason != "None", corr.id
        assert corr.evidence.strip() and corr.evidence != "None", corr.id
        assert corr.status in ("applied", "withdrawn"), corr.id
        assert corr.action == "replace", corr.id


def test_committed_entries_name_real_resources_and_columns(committed):
    package = datapackage.load_package(paths.DATAPACKAGE)
    for corr in committed:
        fields = datapackage.field_names(datapackage.resource(package, corr.resource))
        assert corr.column in fields, corr.id
        assert set(corr.match) <= set(fields), corr.id


def test_committed_c001_and_c002(committed):
    c001, c002 = committed
    assert (c001.resource, c001.match, c001.column, c001.old, c001.new) == (
        "table2-teacher-shortage-2023", {"region_as_printed": "БҚО", "shortage_total": "310"},
        "region_as_printed", "БҚО", "СҚО")
    assert (c002.resource, c002.match, c002.column, c002.old, c002.new) == (
        "table1-preschools-2023", {"region_as_printed": "ШЫМКЕНТ қ."}, "inclusive_share_pct", "85,9", "85.9")


# --- load_corrections: bad files -----------------------------------------------------------

def test_a_valid_written_file_loads(tmp_path):
    path = write_yaml(tmp_path, [entry(), entry(id="C102", status="withdrawn")])
    loaded = load_corrections(path)
    assert [dataclasses.replace(c, line=None) for c in loaded] == [correction(), correction(id="C102", status="withdrawn")]
    assert [c.line for c in loaded] == [1, 13], "each correction knows its line, for messages"


def test_quoted_values_are_kept_as_printed_text(tmp_path):
    path = tmp_path / "corrections.yml"
    path.write_text(
        "- {id: C1, resource: r, match: {total: '310'}, column: share, old: '1.10', new: '1.1',\n"
        "   action: replace, reason: r, evidence: e, status: applied}\n", encoding="utf-8")
    (corr,) = load_corrections(path)
    assert (corr.match, corr.old, corr.new) == ({"total": "310"}, "1.10", "1.1")


@pytest.mark.parametrize(("line", "problem"), [
    ("match: {total: 310}, column: total, old: '310', new: '301'", r"'match' must map column names to printed values, all quoted"),
    ("match: {total: '310'}, column: share, old: 1.10, new: '1.1'", r"'old' must be a quoted string, found 1.1"),
    ("match: {total: '310'}, column: share, old: '1.10', new: yes", r"'new' must be a quoted string, found True"),
], ids=["match-number", "old-number", "new-boolean"])
def test_unquoted_printed_values_are_refused(tmp_path, line, problem):
    """YAML would turn 1.10 into 1.1 and yes into True: the printed text would be lost."""
    path = tmp_path / "corrections.yml"
    path.write_text(f"- {{id: C1, resource: r, {line},\n   action: replace, reason: r, evidence: e, status: applied}}\n",
                    encoding="utf-8")
    with pytest.raises(RawDataError, match=problem):
        load_corrections(path)


@pytest.mark.parametrize("key", ["reason", "evidence"])
def test_reason_and_evidence_must_be_filled_in(tmp_path, key):
    path = write_yaml(tmp_path, [entry(**{key: ""})])
    with pytest.raises(RawDataError, match=f"'{key}' must not be empty"):
        load_corrections(path)


def test_empty_file_has_no_corrections(tmp_path):
    path = tmp_path / "corrections.yml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert load_corrections(path) == []


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        ([entry(reason=None)], r"line 1, correction C101: expected the keys"),
        ([entry(note="extra")], r"line 1, correction C101: expected the keys"),
        ([entry(action="delete")], r"unknown action 'delete'"),
        ([entry(status="pending")], r"unknown status 'pending'"),
        ([entry(), entry()], r"line 13, correction C101: id 'C101' is used twice"),
        ([entry(match="БҚО")], r"'match' must map column names to printed values"),
        ([entry(match={})], r"'match' must map column names to printed values"),
        (["C101"], r"line 1, entry 1: expected the keys .*, found str 'C101'"),
        ({"C101": entry()}, r"expected a list of corrections"),
    ],
    ids=["missing-key", "extra-key", "unknown-action", "unknown-status", "duplicate-id",
         "match-not-a-mapping", "empty-match", "entry-not-a-mapping", "not-a-list"],
)
def test_malformed_file_is_an_error(tmp_path, entries, problem):
    path = write_yaml(tmp_path, entries)
    with pytest.raises(RawDataError, match=problem) as caught:
        load_corrections(path)
    assert caught.value.file.endswith("corrections.yml")


def test_invalid_yaml_is_an_error(tmp_path):
    path = tmp_path / "corrections.yml"
    path.write_text("- id: C1\n  match: {a: [\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="not valid YAML"):
        load_corrections(path)


# --- apply_corrections ---------------------------------------------------------------------

def test_apply_replaces_the_cell_and_logs_it(frame):
    before = frame.copy()
    corr = correction(reason="printed\n  twice", evidence="order  of\nTable 1")
    out, log = apply_corrections(frame, RESOURCE, [corr], FILE, label_column="region")

    expected = before.copy()
    expected.at[16, "region"] = "СҚО"
    pdt.assert_frame_equal(out, expected)
    pdt.assert_frame_equal(frame, before)  # the input is not modified in place

    expected_log = pd.DataFrame({
        "correction_id": ["C101"], "resource": [RESOURCE], "file": ["data/raw/table9_test.csv"],
        "line": [16], "row_label": ["БҚО"], "column": ["region"], "old_value": ["БҚО"],
        "new_value": ["СҚО"], "action": ["replace"], "reason": ["printed twice"],
        "evidence": ["order of Table 1"],
    }).astype({c: "str" for c in LOG_COLUMNS if c != "line"}).astype({"line": "int64"})
    assert list(log.columns) == LOG_COLUMNS
    pdt.assert_frame_equal(log, expected_log)


def test_apply_several_corrections_in_order(frame):
    first = correction()
    second = correction(id="C102", match={"region": "Павлодар"}, column="total", old="144", new="145")
    out, log = apply_corrections(frame, RESOURCE, [first, second], FILE)
    assert out.loc[[8, 15, 16]].to_dict("list") == {"region": ["БҚО", "Павлодар", "СҚО"], "total": ["330", "145", "310"]}
    assert log["correction_id"].tolist() == ["C101", "C102"]
    assert log["line"].tolist() == [16, 15]


def test_withdrawn_and_other_resources_are_ignored(frame):
    ignored = [correction(status="withdrawn"), correction(id="C102", resource="another-2099")]
    out, log = apply_corrections(frame, RESOURCE, ignored, FILE)
    pdt.assert_frame_equal(out, frame)
    assert log.empty
    assert list(log.columns) == LOG_COLUMNS


@pytest.mark.parametrize(("match", "count"), [({"region": "СҚО"}, 0), ({"region": "БҚО"}, 2)])
def test_match_must_select_exactly_one_row(frame, match, count):
    with pytest.raises(RawDataError, match=f"correction C101 must match exactly one row, matches {count}") as caught:
        apply_corrections(frame, RESOURCE, [correction(match=match)], FILE)
    assert caught.value.column == "region"
    assert caught.value.file == "data/raw/table9_test.csv"


def test_cell_must_hold_the_printed_old_value(frame):
    corr = correction(match={"total": "144"}, column="total", old="414", new="141")
    with pytest.raises(RawDataError, match=r"expects the printed value '414', found '144'") as caught:
        apply_corrections(frame, RESOURCE, [corr], FILE, label_column="region")
    err = caught.value
    assert (err.line, err.column, err.row_label) == (15, "total", "Павлодар")
    assert "line 15 (row 'Павлодар'), column 'total'" in str(err)


@pytest.mark.parametrize(
    ("changes", "column"),
    [({"column": "regoin"}, "regoin"), ({"match": {"total": "310", "name": "x"}}, "name")],
)
def test_named_column_must_exist(frame, changes, column):
    with pytest.raises(RawDataError, match="names a column the file does not have") as caught:
        apply_corrections(frame, RESOURCE, [correction(**changes)], FILE)
    assert caught.value.column == column


def test_failed_apply_leaves_the_input_alone(frame):
    before = frame.copy()
    good = correction()
    bad = correction(id="C102", match={"region": "Павлодар"}, column="total", old="999", new="1")
    with pytest.raises(RawDataError):
        apply_corrections(frame, RESOURCE, [good, bad], FILE)
    pdt.assert_frame_equal(frame, before)


def test_correction_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        correction().new = "x"  # type: ignore[misc]
