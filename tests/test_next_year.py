"""Next year: the cleaning and table notebooks, run through papermill on a synthetic 2024 extract
(a made-up fixture) into a temporary folder, follow the fixture, not the 2023 data."""

from __future__ import annotations

import copy
import csv
import json
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.datapackage import rehash
from analysis.notebook_runner import run_notebook

FIXTURE = Path(__file__).parent / "fixtures" / "FIXTURE_next_year_2024"
YEAR = 2024


def rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def next_year(tmp_path_factory):
    root = tmp_path_factory.mktemp("next-year")
    data = root / "data"
    shutil.copytree(paths.DATA, data)
    for path in FIXTURE.glob("*.csv"):
        shutil.copy(path, data / "raw" / path.name)
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    for res in [r for r in package["resources"] if r["name"].endswith("-2023") and r["path"].startswith("raw/")]:
        new = copy.deepcopy(res)
        new["name"], new["path"] = res["name"].replace("2023", "2024"), res["path"].replace("2023", "2024")
        new["title"] = "MADE-UP FIXTURE for the next-year test"
        package["resources"].append(new)
    (data / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    rehash(data / "datapackage.json")
    before = {p: p.read_bytes() for p in [*paths.PROCESSED.iterdir(), *paths.RESULTS.rglob("*.csv")] if p.is_file()}
    common = {"year": YEAR, "processed_dir": str(data / "processed"), "results_dir": str(root / "results")}
    run_notebook(paths.NOTEBOOKS / "00_clean_extracts.ipynb", root / "00.ipynb",
                 {**common, "raw_dir": str(data / "raw"), "datapackage": str(data / "datapackage.json")}, progress=False)
    for name in ("10_table1_preschools", "11_table2_teacher_shortage"):
        run_notebook(paths.NOTEBOOKS / f"{name}.ipynb", root / f"{name}.ipynb",
                     {**common, "raw_dir": str(data / "raw"), "datapackage": str(data / "datapackage.json")}, progress=False)
    after = {p: p.read_bytes() for p in before}
    return {"root": root, "data": data, "stored_unchanged": before == after}


def test_processed_tables_follow_the_fixture(next_year):
    fixture = rows(FIXTURE / "table1_preschools_2024.csv")
    processed = rows(next_year["data"] / "processed" / "preschool_inclusion_2024.csv")
    header = processed[0]
    by_printed = {r[header.index("region_as_printed")]: r for r in processed[1:]}
    assert len(by_printed) == 20
    for printed in fixture[2:]:
        row = by_printed[printed[0]]
        assert row[header.index("year")] == str(YEAR)
        assert row[header.index("preschools_total")] == printed[1]
        assert row[header.index("preschools_inclusive")] == printed[2]


@pytest.mark.parametrize(("stem", "raw"), [("table1_preschools", "table1_preschools_2024.csv"),
                                           ("table2_teacher_shortage", "table2_teacher_shortage_2024.csv")])
def test_rebuilt_tables_follow_the_fixture_not_2023(next_year, stem, raw):
    fixture = rows(FIXTURE / raw)[1:]
    table = rows(next_year["root"] / "results" / "tables" / f"{stem}_kk.csv")[1:]
    stored_2023 = rows(paths.RESULTS / "tables" / f"{stem}_kk.csv")[1:]
    assert table == fixture, "every cell, total row included, equals the 2024 fixture"
    assert table[0] != stored_2023[0]
    assert "2024" in (next_year["root"] / "results" / "tables" / f"{stem}_en.md").read_text(encoding="utf-8")


def test_executed_notebooks_show_the_new_year(next_year):
    text = (next_year["root"] / "10_table1_preschools.ipynb").read_text(encoding="utf-8")
    assert "injected-parameters" in text and "2024" in text


def test_the_stored_2023_results_are_untouched(next_year):
    assert next_year["stored_unchanged"]
