"""The one gate every raw file passes: its recorded sha256, then its schema, then canonical text.

Every file under ``data/raw`` is a resource of ``data/datapackage.json`` with its sha256 (the
tables, the region reference and spellings, the corrections, the claims registry, the legal acts,
the number tokens, the supplementary statements and their README). A reader never opens a raw
file itself: :func:`read_table` (CSV, as printed text, each column checked against the
resource's Table Schema) and :func:`read_document` (YAML, every string checked; other files as
text) first check the hash, then the content, with the same file/line/column messages.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import RawDataError
from analysis.fileio import sha256_file
from analysis.ingest.canonical import check_strings
from analysis.ingest.datapackage import field_names, field_scripts, load_package, raw_resources, resource
from analysis.ingest.rawio import read_csv_text, read_yaml

CHANGED = ("the raw file has changed. Raw files are transcribed once and never edited; record a fix in "
           "data/raw/corrections.yml instead. If the file was deliberately re-transcribed and reviewed, record its "
           "new hash with `make rehash`.")


def locate(name: str, raw_dir: str | Path = paths.RAW, package_path: str | Path = paths.DATAPACKAGE,
           package: dict | None = None) -> tuple[dict, Path]:
    """The resource ``name`` and its file under ``raw_dir``; a missing description or file is named."""
    package_path = paths.resolve(package_path)
    package = package if package is not None else load_package(package_path)
    try:
        res = resource(package, name)
    except KeyError:
        year = name.rsplit("-", 1)[-1]
        hint = (f"describe the raw file for {year} (schema, provenance, sha256) before cleaning it" if year.isdigit()
                else "describe the raw file (schema, provenance, sha256) there")
        raise RawDataError(package_path, f"no resource '{name}': {hint}") from None
    raw_dir = paths.resolve(raw_dir)
    if not res["path"].startswith("raw/") or ".." in Path(res["path"]).parts or Path(res["path"]).is_absolute():
        raise RawDataError(package_path, f"resource '{name}': its path {res['path']!r} is not a file under raw/; "
                           "every raw file lies in data/raw")
    path = raw_dir / res["path"].removeprefix("raw/")
    linked = next((p for p in (path, *path.parents) if p.is_symlink() and p.is_relative_to(raw_dir) and p != raw_dir),
                  None)
    if linked is not None:
        raise RawDataError(f"{paths.shown(linked.parent)}/{linked.name}", f"is a symbolic link (to {os.readlink(linked)}); raw files of resource '{name}' "
                           "must be regular files in data/raw: copy the file in, and record it with make rehash")
    if not path.is_file():
        raise RawDataError(path, f"raw file of resource '{name}' is missing" if not path.exists()
                           else f"raw file of resource '{name}' is not a regular file")
    return res, path


def verify(name: str, raw_dir: str | Path = paths.RAW, package_path: str | Path = paths.DATAPACKAGE,
           package: dict | None = None) -> tuple[dict, Path, str]:
    """Check the file of resource ``name`` against its recorded sha256; return (resource, path, hash)."""
    res, path = locate(name, raw_dir, package_path, package)
    recorded = res.get("hash", "").removeprefix("sha256:")
    actual = sha256_file(path)
    if actual != recorded:
        raise RawDataError(path, f"sha256 is {actual}, but {paths.shown(paths.resolve(package_path))} records "
                           f"{recorded or 'none'}: {CHANGED}")
    return res, path, actual


def read_table(name: str, raw_dir: str | Path = paths.RAW, package_path: str | Path = paths.DATAPACKAGE,
               package: dict | None = None) -> tuple[dict, Path, pd.DataFrame]:
    """Resource ``name`` as printed text (hash, header, width, canonical text checked), indexed by line."""
    res, path, _ = verify(name, raw_dir, package_path, package)
    return res, path, read_csv_text(path, field_names(res), field_scripts(res))


def read_document(name: str, raw_dir: str | Path = paths.RAW, package_path: str | Path = paths.DATAPACKAGE,
                  package: dict | None = None):
    """Resource ``name`` (YAML: the parsed data and the lines of its parts; other: text), hash checked."""
    res, path, _ = verify(name, raw_dir, package_path, package)
    if path.suffix in (".yml", ".yaml"):
        data, lines = read_yaml(path)
        check_strings(data, path, lines)
        return res, path, data, lines
    return res, path, path.read_text(encoding="utf-8"), None


def verify_all(names: list[str], raw_dir: str | Path = paths.RAW, package_path: str | Path = paths.DATAPACKAGE,
               package: dict | None = None) -> pd.DataFrame:
    """The hash check of several resources, as a table (resource, file, sha256, verified)."""
    package = package if package is not None else load_package(package_path)
    rows = []
    for name in names:
        _, path, digest = verify(name, raw_dir, package_path, package)
        rows.append({"resource": name, "file": paths.shown(path), "sha256": digest, "verified": True})
    return pd.DataFrame(rows)


def every_raw_file(package: dict | None = None) -> list[str]:
    """The names of every raw resource (for the check that every file under data/raw has one)."""
    return [res["name"] for res in raw_resources(package if package is not None else load_package())]
