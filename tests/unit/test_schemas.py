"""Unit tests for analysis.ingest.schemas: Table Schema -> pandera, and one clear error per failure."""

from __future__ import annotations

import re

import pandas as pd
import pandas.testing as pdt
import pandera.pandas as pa
import pytest

from analysis.errors import RawDataError
from analysis.ingest.rawio import LINE
from analysis.ingest.schemas import ROW_CHECKS, base_name, pandera_schema, validate

FILE = "data/raw/test_2099.csv"


def field(name: str, kind: str = "string", **constraints) -> dict:
    return {"name": name, "type": kind, "constraints": constraints}


def resource(name: str, fields: list[dict]) -> dict:
    return {"name": name, "path": f"processed/{name}.csv", "schema": {"fields": fields}}


def lines(*numbers: int) -> pd.Index:
    return pd.Index(list(numbers), name=LINE)


def raised(frame: pd.DataFrame, res: dict, label_column: str | None = None) -> RawDataError:
    with pytest.raises(RawDataError) as caught:
        validate(frame, res, FILE, label_column=label_column)
    return caught.value


# --- base_name -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("teacher-shortage-2023", "teacher-shortage"),
        ("teacher-shortage-2099", "teacher-shortage"),
        ("preschool-inclusion-2023", "preschool-inclusion"),
        ("regions", "regions"),
        ("corrections-log", "corrections-log"),
        ("printed-totals-2023", "printed-totals"),
    ],
)
def test_base_name(name, base):
    assert base_name(name) == base


# --- column rules from the Table Schema ----------------------------------------------------

WIDGETS = resource("widgets-2099", [
    field("code", required=True, unique=True, pattern="^W[0-9]{2}$"),
    field("kind", required=True, enum=["a", "b"]),
    field("count", "integer", required=True, minimum=0, maximum=10),
    field("note"),
])


def widgets(**columns) -> pd.DataFrame:
    data = {"code": ["W01", "W02", "W03"], "kind": ["a", "b", "a"], "count": [0, 5, 10], "note": ["x", None, "y"]}
    data.update(columns)
    return pd.DataFrame(data, index=lines(2, 3, 4))


def test_pandera_schema_is_built_from_the_table_schema():
    schema = pandera_schema(WIDGETS)
    assert isinstance(schema, pa.DataFrameSchema)
    assert schema.name == "widgets-2099"
    assert list(schema.columns) == ["code", "kind", "count", "note"]
    assert schema.strict is True and schema.ordered is True
    assert schema.columns["code"].unique is True
    assert schema.columns["code"].nullable is False
    assert schema.columns["note"].nullable is True
    assert str(schema.columns["count"].dtype) == "int64"
    assert schema.checks == []  # no rules across columns for an unknown base name


def test_a_good_frame_passes_unchanged():
    frame = widgets()
    pdt.assert_frame_equal(validate(frame, WIDGETS, FILE), frame)


@pytest.mark.parametrize(
    ("columns", "line", "column", "problem"),
    [
        ({"code": ["W01", "X2", "W03"]}, 3, "code", r"must match \^W\[0-9\]\{2\}\$: found 'X2'$"),
        ({"kind": ["a", "c", "a"]}, 3, "kind", r"must be one of \['a', 'b'\]: found 'c'$"),
        ({"count": [0, 5, -1]}, 4, "count", r"must be at least 0: found -1$"),
        ({"count": [0, 11, 10]}, 3, "count", r"must be at most 10: found 11$"),
        ({"code": ["W01", "W02", None]}, 4, "code", r"value is missing$"),
        ({"code": ["W01", "W03", "W03"]}, 3, "code", r"duplicate value 'W03'; it appears on lines 3, 4$"),
    ],
    ids=["pattern", "enum", "minimum", "maximum", "required", "unique"],
)
def test_column_rules_are_enforced(columns, line, column, problem):
    err = raised(widgets(**columns), WIDGETS)
    assert (err.file, err.line, err.column) == (FILE, line, column)
    assert str(err).startswith(f"{FILE}, line {line}, column '{column}': ")
    assert re.search(problem, str(err)), str(err)


def test_required_string_may_not_be_blank():
    res = resource("names-2099", [field("name", required=True)])
    frame = pd.DataFrame({"name": ["a", "  ", "c"]}, index=lines(2, 3, 4))
    err = raised(frame, res)
    assert (err.line, err.column) == (3, "name")
    assert "must not be empty" in str(err)


def test_optional_column_may_be_missing_but_is_still_checked():
    res = resource("things-2099", [field("code", required=True), field("size", "integer", minimum=1)])
    frame = pd.DataFrame({"code": ["a", "b"], "size": pd.array([None, 3], dtype="Int64")}, index=lines(2, 3))
    pdt.assert_frame_equal(validate(frame, res, FILE), frame)
    bad = frame.assign(size=pd.array([None, 0], dtype="Int64"))
    err = raised(bad, res)
    assert (err.line, err.column) == (3, "size")


def test_first_failing_line_is_reported_and_the_others_counted():
    # Line 4 fails in the first column, lines 2 and 3 in a later one: line 2 comes first in the file.
    frame = widgets(code=["W01", "W02", "bad"], count=[-2, -1, 10])
    err = raised(frame, WIDGETS, label_column="code")
    assert (err.line, err.column, err.row_label) == (2, "count", "W01")
    assert str(err).endswith("; 2 other lines of this file fail too")


def test_several_failures_on_one_line_count_as_one_line():
    frame = widgets(kind=["a", "c", "a"], count=[0, -1, 10], code=["W01", "W02", "bad"])
    err = raised(frame, WIDGETS)
    assert (err.line, err.column) == (3, "kind")
    assert "1 other line of this file" in str(err)  # line 4; the second failure of line 3 is not counted


def test_a_single_failure_mentions_no_other_lines():
    err = raised(widgets(kind=["a", "c", "a"]), WIDGETS)
    assert "other line" not in str(err)


def test_row_label_names_the_row():
    err = raised(widgets(kind=["a", "c", "a"]), WIDGETS, label_column="code")
    assert err.row_label == "W02"
    assert str(err).startswith(f"{FILE}, line 3 (row 'W02'), column 'kind': ")


# --- teacher-shortage: rules across columns ------------------------------------------------

SHORTAGE = resource("teacher-shortage-2099", [
    field("region_iso", required=True, unique=True, pattern="^KZ-[0-9]{2}$"),
    field("region_as_printed", required=True),
    *[field(f"shortage_{part}", "integer", required=True, minimum=0)
      for part in ("total", "urban", "rural", "state", "private")],
])


def shortage(**columns) -> pd.DataFrame:
    data = {
        "region_iso": ["KZ-27", "KZ-55", "KZ-59"],
        "region_as_printed": ["БҚО", "Павлодар", "СҚО"],
        "shortage_total": [330, 144, 310],
        "shortage_urban": [191, 68, 62],
        "shortage_rural": [139, 76, 248],
        "shortage_state": [138, 137, 289],
        "shortage_private": [192, 7, 21],
    }
    data.update(columns)
    return pd.DataFrame(data, index=lines(8, 15, 16))


def test_teacher_shortage_schema_has_its_row_checks():
    assert len(pandera_schema(SHORTAGE).checks) == len(ROW_CHECKS["teacher-shortage"]) == 2


def test_teacher_shortage_good_rows_pass():
    frame = shortage()
    pdt.assert_frame_equal(validate(frame, SHORTAGE, FILE), frame)


def test_urban_plus_rural_must_be_the_total():
    err = raised(shortage(shortage_urban=[191, 69, 62]), SHORTAGE, label_column="region_as_printed")
    assert (err.line, err.column, err.row_label) == (15, "shortage_total", "Павлодар")
    assert str(err).endswith("urban + rural does not equal the total (found 144)")


def test_state_plus_private_must_be_the_total():
    err = raised(shortage(shortage_private=[192, 7, 22]), SHORTAGE)
    assert (err.line, err.column) == (16, "shortage_total")
    assert str(err).endswith("state + private does not equal the total (found 310)")


def test_row_check_failures_on_two_lines_are_counted():
    err = raised(shortage(shortage_urban=[190, 69, 62]), SHORTAGE)
    assert err.line == 8
    assert re.search(r"\(found 330\); 1 other line of this file fails? too$", str(err)), str(err)


def test_duplicate_region_is_reported_in_region_as_printed():
    frame = shortage(region_iso=["KZ-27", "KZ-55", "KZ-27"], region_as_printed=["БҚО", "Павлодар", "БҚО"])
    err = raised(frame, SHORTAGE, label_column="region_as_printed")
    assert (err.line, err.column, err.row_label) == (8, "region_as_printed", "БҚО")
    assert str(err).endswith("duplicate region: 'БҚО', 'БҚО' on lines 8, 16 all map to KZ-27")


# --- preschool-inclusion: rules across columns ---------------------------------------------

INCLUSION = resource("preschool-inclusion-2099", [
    field("region_iso", required=True, unique=True, pattern="^KZ-[0-9]{2}$"),
    field("region_as_printed", required=True),
    field("preschools_total", "integer", required=True, minimum=0),
    field("preschools_inclusive", "integer", required=True, minimum=0),
    field("inclusive_share_pct", "number", required=True, minimum=0, maximum=100),
])


def inclusion(**columns) -> pd.DataFrame:
    data = {
        "region_iso": ["KZ-10", "KZ-71", "KZ-79"],
        "region_as_printed": ["АБАЙ", "АСТАНА қ.", "ШЫМКЕНТ қ."],
        "preschools_total": [283, 103, 71],
        "preschools_inclusive": [135, 86, 61],
        "inclusive_share_pct": [47.7, 83.5, 85.9],
    }
    data.update(columns)
    return pd.DataFrame(data, index=lines(3, 20, 22))


def test_preschool_inclusion_good_rows_pass():
    frame = inclusion()
    pdt.assert_frame_equal(validate(frame, INCLUSION, FILE), frame)


def test_inclusive_may_not_exceed_total():
    # 72 of 71 = 101.4 %: the share is consistent with the counts, only the counts are wrong.
    # (Without the 0-100 range on the share, so that the rule across columns is the only failure.)
    no_range = resource("preschool-inclusion-2099", [*INCLUSION["schema"]["fields"][:4],
                                                     field("inclusive_share_pct", "number", required=True)])
    frame = inclusion(preschools_inclusive=[135, 86, 72], inclusive_share_pct=[47.7, 83.5, 101.4])
    err = raised(frame, no_range)
    assert (err.line, err.column) == (22, "preschools_inclusive")
    assert "preschools with inclusive conditions exceed all preschools (found 72)" in str(err)
    assert "other line" not in str(err)


def test_printed_share_must_match_the_counts():
    err = raised(inclusion(inclusive_share_pct=[47.7, 83.5, 86.0]), INCLUSION, label_column="region_as_printed")
    assert (err.line, err.column, err.row_label) == (22, "inclusive_share_pct", "ШЫМКЕНТ қ.")
    assert str(err).endswith(
        "printed share is not 100 * preschools_inclusive / preschools_total at one decimal (found 86.0)")


def test_printed_share_at_an_exact_half_may_round_either_way():
    # 1 of 16 = 6.25 %: 6.2 and 6.3 are both acceptable, 6.1 is not.
    for printed in (6.2, 6.3):
        frame = inclusion(preschools_total=[283, 103, 16], preschools_inclusive=[135, 86, 1],
                          inclusive_share_pct=[47.7, 83.5, printed])
        pdt.assert_frame_equal(validate(frame, INCLUSION, FILE), frame)
    bad = inclusion(preschools_total=[283, 103, 16], preschools_inclusive=[135, 86, 1],
                    inclusive_share_pct=[47.7, 83.5, 6.1])
    assert raised(bad, INCLUSION).column == "inclusive_share_pct"


def test_zero_preschools_require_a_zero_share():
    good = inclusion(preschools_total=[283, 103, 0], preschools_inclusive=[135, 86, 0],
                     inclusive_share_pct=[47.7, 83.5, 0.0])
    pdt.assert_frame_equal(validate(good, INCLUSION, FILE), good)
    bad = good.assign(inclusive_share_pct=[47.7, 83.5, 5.0])
    err = raised(bad, INCLUSION)
    assert (err.line, err.column) == (22, "inclusive_share_pct")


def test_duplicate_region_in_preschool_inclusion():
    frame = inclusion(region_iso=["KZ-10", "KZ-79", "KZ-79"], region_as_printed=["АБАЙ", "Шымкент", "ШЫМКЕНТ қ."])
    err = raised(frame, INCLUSION)
    assert (err.line, err.column) == (20, "region_as_printed")
    assert str(err).endswith("duplicate region: 'Шымкент', 'ШЫМКЕНТ қ.' on lines 20, 22 all map to KZ-79")
