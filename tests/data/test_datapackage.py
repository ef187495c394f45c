"""data/datapackage.json describes every data file, records the raw hashes, and validates."""

from __future__ import annotations

import csv

import pytest

from analysis import paths
from analysis.fileio import sha256_file
from analysis.ingest.datapackage import field_names, load_package, raw_resources, rehash

PACKAGE = load_package()
#: Raw files that are data but not tables (YAML records read by their own tested loaders).


def test_frictionless_validates_the_whole_package():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(paths.DATAPACKAGE))
    problems = [(task.name, [(e.type, e.note) for e in task.errors]) for task in report.tasks if not task.valid]
    assert report.valid, problems


def test_every_raw_file_is_described_with_its_sha256():
    described = {res["path"] for res in raw_resources(PACKAGE)}
    on_disk = {p.relative_to(paths.DATA).as_posix() for p in paths.RAW.rglob("*") if p.is_file()}
    assert on_disk == described, "every file under data/raw is a resource of data/datapackage.json"
    for res in raw_resources(PACKAGE):
        assert res["hash"] == "sha256:" + sha256_file(paths.DATA / res["path"]), res["name"]


TABLES = [r for r in raw_resources(PACKAGE) if r.get("profile") == "tabular-data-resource"]


@pytest.mark.parametrize("res", raw_resources(PACKAGE), ids=[r["name"] for r in raw_resources(PACKAGE)])
def test_raw_resource_has_provenance(res):
    for key in ("title", "description", "sources", "hash"):
        assert res.get(key), f"{res['name']} lacks {key}"


@pytest.mark.parametrize("res", TABLES, ids=[r["name"] for r in TABLES])
def test_raw_table_has_transcription_notes_and_matching_header(res):
    for key in ("x-article-location", "x-transcription-notes"):
        assert res.get(key), f"{res['name']} lacks {key}"
    with open(paths.DATA / res["path"], encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == field_names(res)


def test_rehash_records_changed_hashes(tmp_path):
    import shutil

    root = tmp_path / "data"
    shutil.copytree(paths.DATA, root)
    assert rehash(root / "datapackage.json") == []
    (root / "raw" / "region_aliases.csv").write_text("alias,region_iso,language,form,where_used\n", encoding="utf-8")
    assert rehash(root / "datapackage.json") == ["region-aliases"]
    assert (root / "datapackage.json").read_bytes() != paths.DATAPACKAGE.read_bytes()
