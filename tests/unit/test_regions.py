"""Unit tests for analysis.ingest.regions and the committed region reference and spellings."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pandas.testing as pdt
import pycountry
import pytest

from analysis import paths
from analysis.errors import RawDataError
from analysis.ingest import datapackage
from analysis.ingest.rawio import LINE, read_csv_text
from analysis.ingest.regions import ALIAS_COLUMNS, NATIONAL, REFERENCE_COLUMNS, alias_table, harmonise, normalise_name

PACKAGE = datapackage.load_package(paths.DATAPACKAGE)


def read_resource(name: str) -> tuple[pd.DataFrame, object]:
    res = datapackage.resource(PACKAGE, name)
    path = paths.DATA / res["path"]
    return read_csv_text(path, datapackage.field_names(res)), path


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return read_resource("regions-reference")[0]


@pytest.fixture(scope="module")
def aliases() -> pd.DataFrame:
    return read_resource("region-aliases")[0]


@pytest.fixture(scope="module")
def table(reference, aliases) -> dict[str, str]:
    return alias_table(reference, aliases, paths.RAW / "region_aliases.csv")


def alias_frame(rows: list[tuple[str, str]], first_line: int = 2) -> pd.DataFrame:
    """A tiny alias table (alias, code) indexed by line numbers."""
    return pd.DataFrame(
        [[alias, code, "kk", "test", "test"] for alias, code in rows],
        columns=ALIAS_COLUMNS,
        index=pd.Index(range(first_line, first_line + len(rows)), name=LINE),
        dtype=object,
    )


# --- the committed reference ---------------------------------------------------------------

def test_datapackage_fields_match_the_module_columns():
    assert datapackage.field_names(datapackage.resource(PACKAGE, "regions-reference")) == REFERENCE_COLUMNS
    assert datapackage.field_names(datapackage.resource(PACKAGE, "region-aliases")) == ALIAS_COLUMNS


def test_codes_are_exactly_the_iso_subdivisions_of_kazakhstan(reference):
    iso = {sub.code: sub.type for sub in pycountry.subdivisions.get(country_code="KZ")}
    assert len(reference) == 20
    assert reference["region_iso"].is_unique
    assert set(reference["region_iso"]) == set(iso)
    ours = dict(zip(reference["region_iso"], reference["type"], strict=True))
    assert {code: ours[code] for code in iso} == {code: kind.lower() for code, kind in iso.items()}
    assert {kind for kind in iso.values()} == {"City", "Region"}


def test_seventeen_regions_and_three_cities(reference):
    counts = reference["type"].value_counts().to_dict()
    assert counts == {"region": 17, "city": 3}
    cities = reference.loc[reference["type"] == "city", "region_iso"]
    assert sorted(cities) == ["KZ-71", "KZ-75", "KZ-79"]


def test_the_2022_regions_and_their_parents(reference):
    by_code = reference.set_index("region_iso")
    new = by_code[by_code["formed_year"] != ""]
    assert new["parent_iso"].to_dict() == {"KZ-10": "KZ-63", "KZ-33": "KZ-19", "KZ-62": "KZ-35"}
    assert set(new["formed_year"]) == {"2022"}
    others = by_code.drop(index=["KZ-10", "KZ-33", "KZ-62"])
    assert set(others["parent_iso"]) == {""}
    assert set(new["parent_iso"]) <= set(by_code.index)


# --- normalise_name ------------------------------------------------------------------------

def test_normalise_name_folds_case_and_whitespace():
    assert normalise_name("АЛМАТЫ қ.") == "алматы қ."
    assert normalise_name("  Алматы \t\n қ. ") == "алматы қ."
    assert normalise_name("Алматы\u00a0қ.") == "алматы қ."  # no-break space is whitespace
    assert normalise_name("ЖЕТІСУ") == normalise_name("Жетісу") == "жетісу"
    assert normalise_name("ШҚО") == "шқо"


def test_normalise_name_applies_nfc():
    composed = "Қостанай"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert normalise_name(decomposed) == normalise_name(composed) == "қостанай"


def test_normalise_name_changes_nothing_else():
    assert normalise_name("Алматы") != normalise_name("Алматы қ.")
    assert normalise_name("Алматы-қ.") != normalise_name("Алматы қ.")
    assert normalise_name("ЖАМБЫЛЬ") != normalise_name("ЖАМБЫЛ")


# --- alias_table ---------------------------------------------------------------------------

def test_every_alias_maps_to_its_code(table, aliases):
    for line, alias, code in zip(aliases.index, aliases["alias"], aliases["region_iso"], strict=True):
        assert table[normalise_name(alias)] == code, f"line {line}: {alias}"


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("ЖЕТІСУ", "KZ-33"),
        ("АЛМАТЫ қ.", "KZ-75"),
        ("АЛМАТЫ", "KZ-19"),
        ("Алматы облысында", "KZ-19"),
        ("БҚО", "KZ-27"),
        ("СҚО", "KZ-59"),
        ("ШҚО", "KZ-63"),
        ("ҚР", NATIONAL),
        # names of the reference are spellings too
        ("Almaty Region", "KZ-19"),
        ("город Алматы", "KZ-75"),
        ("ВКО", "KZ-63"),
        ("Ұлытау облысы", "KZ-62"),
    ],
)
def test_alias_table_lookups(table, spelling, code):
    assert table[normalise_name(spelling)] == code


def test_almaty_city_and_region_are_different(table):
    assert table[normalise_name("АЛМАТЫ қ.")] != table[normalise_name("АЛМАТЫ")]
    assert NATIONAL == "KZ"


def test_keys_are_normalised(table):
    assert all(key == normalise_name(key) for key in table)


def test_same_spelling_twice_for_the_same_code_is_fine(reference):
    table = alias_table(reference, alias_frame([("Алматы", "KZ-19"), ("алматы", "KZ-19")]), "aliases.csv")
    assert table["алматы"] == "KZ-19"


def test_spelling_claimed_by_two_codes_is_an_error(reference):
    bad = alias_frame([("ЖЕТІСУ", "KZ-33"), ("Алматы", "KZ-75")])
    with pytest.raises(RawDataError, match=r"spelling 'алматы' maps to more than one code: \['KZ-19', 'KZ-75'\]") as caught:
        alias_table(reference, bad, "aliases.csv")
    assert caught.value.column == "alias"
    assert caught.value.file == "aliases.csv"


def test_alias_with_unknown_code_is_an_error(reference):
    bad = alias_frame([("ЖЕТІСУ", "KZ-33"), ("Атлантида", "KZ-99")], first_line=40)
    with pytest.raises(RawDataError, match=r"code 'KZ-99' is not in the region reference") as caught:
        alias_table(reference, bad, "aliases.csv")
    err = caught.value
    assert (err.line, err.column, err.row_label) == (41, "region_iso", "Атлантида")
    assert "line 41 (row 'Атлантида')" in str(err)


# --- harmonise -----------------------------------------------------------------------------

def test_harmonise_returns_codes_indexed_like_the_names(table):
    names = pd.Series(["ҚР", "ЖЕТІСУ", "Алматы  қ.", "алматы"], index=pd.Index([2, 3, 5, 6], name=LINE),
                      name="region_as_printed")
    expected = pd.Series(["KZ", "KZ-33", "KZ-75", "KZ-19"], index=pd.Index([2, 3, 5, 6], name=LINE),
                         name="region_iso", dtype="str")
    pdt.assert_series_equal(harmonise(names, table, "t.csv"), expected)


def test_harmonise_stops_at_the_first_unknown_name(table):
    names = pd.Series(["ҚР", "ЖАМБЫЛ", "ЖАМБЫЛЬ", "Атлантида"], index=pd.Index([2, 3, 9, 12], name=LINE),
                      name="region_as_printed")
    with pytest.raises(RawDataError, match=r"unknown region 'ЖАМБЫЛЬ'") as caught:
        harmonise(names, table, "t.csv")
    err = caught.value
    assert (err.file, err.line, err.column, err.row_label) == ("t.csv", 9, "region_as_printed", "ЖАМБЫЛЬ")
    assert str(err).startswith("t.csv, line 9 (row 'ЖАМБЫЛЬ'), column 'region_as_printed': ")


def test_harmonise_does_not_drop_an_empty_name(table):
    names = pd.Series(["ҚР", ""], index=pd.Index([2, 3], name=LINE), name="region_as_printed")
    with pytest.raises(RawDataError, match="unknown region ''") as caught:
        harmonise(names, table, "t.csv")
    assert caught.value.line == 3


# --- every printed spelling of the raw extracts --------------------------------------------

def test_table1_names_map_to_all_twenty_units_and_the_total(table, reference):
    frame, path = read_resource("table1-preschools-2023")
    codes = harmonise(frame["region_as_printed"], table, path)
    assert len(codes) == 21
    assert codes.is_unique
    assert set(codes) == set(reference["region_iso"]) | {NATIONAL}


def test_table2_names_map_before_correction(table, reference):
    frame, path = read_resource("table2-teacher-shortage-2023")
    codes = harmonise(frame["region_as_printed"], table, path)
    assert len(codes) == 21
    # As printed, БҚО (KZ-27) appears twice and СҚО (KZ-59) not at all: correction C001.
    assert codes.value_counts()["KZ-27"] == 2
    assert set(codes) == (set(reference["region_iso"]) - {"KZ-59"}) | {NATIONAL}


def test_text_statistics_names_map(table, reference):
    frame, path = read_resource("text-statistics-2023")
    printed = frame["region_as_printed"]
    named = printed[printed.str.strip() != ""]
    assert len(named) > 0
    codes = harmonise(named, table, path)
    assert set(codes) <= set(reference["region_iso"]) | {NATIONAL}
    assert codes[named == "Жетісуда"].tolist() == ["KZ-33"]
