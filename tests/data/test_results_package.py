"""results/datapackage.json describes every results CSV, the files meet it, and no number is written
with more digits than the precision policy allows (data/processed included)."""

from __future__ import annotations

import csv
import json

import pytest

from analysis import paths
from analysis.ingest.datapackage import load_package
from analysis.pipeline.manifest import merged, results_package
from analysis.precision import MAX_SIGNIFICANT, digits_allowed
from analysis.resultschema import declaration, schema_for

PACKAGE = paths.RESULTS / "datapackage.json"
RESULT_CSVS = sorted(p for p in paths.RESULTS.rglob("*.csv")
                     if p.parent.name != "manifest" and p.name != "manifest.csv")


def read(path):
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def test_the_package_is_current_and_lists_every_results_csv():
    stored = json.loads(PACKAGE.read_text(encoding="utf-8"))
    assert stored == results_package(merged()), "results/datapackage.json is stale: run make reproduce"
    listed = {res["path"] for res in stored["resources"]}
    assert listed == {p.relative_to(paths.RESULTS).as_posix() for p in RESULT_CSVS}


def test_frictionless_validates_every_results_csv():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(PACKAGE))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:10]


def test_every_number_field_declares_unit_or_description_and_precision():
    for res in json.loads(PACKAGE.read_text(encoding="utf-8"))["resources"]:
        for field in res["schema"]["fields"]:
            assert field.get("description"), f"{res['path']}: {field['name']} has no description"
            if field["type"] == "number":
                assert "precision" in field, f"{res['path']}: {field['name']} has no precision"


def _check_digits(path, fields):
    header, rows = read(path)
    by_name = {f["name"]: f for f in fields}
    problems = []
    for line, row in enumerate(rows, start=2):
        cells = dict(zip(header, row, strict=True))
        for name, text in cells.items():
            field = by_name[name]
            if field["type"] != "number" or text == "":
                continue
            rule = field["precision"]
            mc = cells.get(rule["monteCarloError"]) if "monteCarloError" in rule else None
            printed = cells.get(rule["decimalsOf"]) if "decimalsOf" in rule else None
            if not digits_allowed(text, rule, mc, printed):
                problems.append(f"{path.name}, line {line}, {name}: {text!r} has more digits than {rule}")
            mantissa = text.lstrip("-<").lower().split("e")[0].replace(".", "").strip("0")
            if len(mantissa) > MAX_SIGNIFICANT and "." in text:
                problems.append(f"{path.name}, line {line}, {name}: {text!r} has more than {MAX_SIGNIFICANT} digits")
    return problems


@pytest.mark.parametrize("path", RESULT_CSVS, ids=lambda p: p.relative_to(paths.RESULTS).as_posix())
def test_no_results_number_has_more_digits_than_declared(path):
    res = schema_for(path.relative_to(paths.RESULTS).as_posix())
    assert res is not None, f"{path} is not declared in results_schema.yml"
    assert _check_digits(path, res["schema"]["fields"]) == []


def test_no_processed_number_has_more_digits_than_declared():
    problems = []
    for res in load_package()["resources"]:
        if res["path"].startswith("processed/"):
            problems += _check_digits(paths.DATA / res["path"], res["schema"]["fields"])
    assert problems == []


def test_shared_fields_and_sets_are_all_used():
    decl = declaration()
    text = json.dumps([decl["resources"], decl["field_sets"]])
    unused = [name for name in decl["fields"] if f'"{name}"' not in text]
    unused += [name for name in decl["field_sets"] if f'"@{name}"' not in text]
    assert unused == []
