"""Data validation layer: the stored processed tables, read back from disk, meet their contract.

Independent of the cleaning code path: files are read with pandas and the dtypes the data
package declares, then validated with the pandera schemas built from the same package.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import paths
from analysis.ingest.datapackage import field_names, load_package
from analysis.ingest.schemas import pandas_dtypes, validate

PACKAGE = load_package()
PROCESSED = [res for res in PACKAGE["resources"] if res["path"].startswith("processed/")]

CONTRACT = {
    "regions.csv": ["region_iso", "type", "name_kk", "name_ru", "name_en", "parent_iso"],
    "preschool_inclusion_2023.csv": ["region_iso", "year", "preschools_total", "preschools_inclusive",
                                     "inclusive_share_pct", "sen_children"],
    "teacher_shortage_2023.csv": ["region_iso", "year", "shortage_total", "shortage_urban", "shortage_rural",
                                  "shortage_state", "shortage_private"],
    "national_indicators.csv": ["indicator", "reference_period", "region_iso", "value", "unit", "article_location"],
    "corrections_log.csv": ["correction_id", "file", "line", "column", "old_value", "new_value", "reason", "evidence"],
}


def read(res: dict) -> pd.DataFrame:
    frame = pd.read_csv(paths.DATA / res["path"], dtype=pandas_dtypes(res), keep_default_na=False,
                        na_values={c: [""] for c in field_names(res)})
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="line")  # line numbers, header = 1
    return frame


@pytest.mark.parametrize("res", PROCESSED, ids=[r["name"] for r in PROCESSED])
def test_processed_file_meets_its_schema(res):
    frame = read(res)
    assert list(frame.columns) == field_names(res)
    validate(frame, res, paths.DATA / res["path"])


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_contract_columns_present(name):
    columns = pd.read_csv(paths.PROCESSED / name, nrows=0).columns
    assert set(CONTRACT[name]) <= set(columns)


def test_every_processed_file_is_described():
    described = {res["path"] for res in PROCESSED}
    on_disk = {f"processed/{p.name}" for p in paths.PROCESSED.iterdir() if p.suffix == ".csv"}
    assert on_disk == described


@pytest.mark.parametrize("name", ["preschool_inclusion_2023.csv", "teacher_shortage_2023.csv"])
def test_region_tables_hold_exactly_the_twenty_regions(name):
    regions = pd.read_csv(paths.PROCESSED / "regions.csv")
    table = pd.read_csv(paths.PROCESSED / name)
    assert len(table) == 20
    assert sorted(table["region_iso"]) == sorted(regions["region_iso"])
    assert not table["region_iso"].str.fullmatch("KZ").any(), "no national total rows in region files"


def test_regions_reference_shape():
    regions = pd.read_csv(paths.PROCESSED / "regions.csv")
    assert regions["type"].value_counts().to_dict() == {"region": 17, "city": 3}
    parents = regions.dropna(subset=["parent_iso"]).set_index("region_iso")["parent_iso"].to_dict()
    assert parents == {"KZ-10": "KZ-63", "KZ-33": "KZ-19", "KZ-62": "KZ-35"}


def test_split_sums_hold():
    t2 = pd.read_csv(paths.PROCESSED / "teacher_shortage_2023.csv")
    assert (t2["shortage_urban"] + t2["shortage_rural"] == t2["shortage_total"]).all()
    assert (t2["shortage_state"] + t2["shortage_private"] == t2["shortage_total"]).all()


def test_printed_shares_match_counts_at_one_decimal():
    t1 = pd.read_csv(paths.PROCESSED / "preschool_inclusion_2023.csv")
    exact = 100 * t1["preschools_inclusive"] / t1["preschools_total"]
    assert ((exact - t1["inclusive_share_pct"]).abs() <= 0.05 + 1e-9).all()


def test_printed_totals_all_consistent():
    totals = pd.read_csv(paths.PROCESSED / "printed_totals_2023.csv")
    assert len(totals) == 9 and totals["consistent"].all()


def test_regional_indicators_have_codes_national_ones_do_not():
    ind = pd.read_csv(paths.PROCESSED / "national_indicators.csv", dtype={"region_iso": "str"})
    assert ind.loc[ind["scope"] == "region", "region_iso"].notna().all()
    assert ind.loc[ind["scope"] == "national", "region_iso"].isna().all()
    assert ind["stat_id"].is_unique
    assert (ind.loc[ind["unit"] == "percent", "value"] <= 100).all()
