"""The Frictionless Data Package ``data/datapackage.json``: lookup, and recording raw hashes.

The package describes every raw resource (Table Schema, provenance, ``sha256`` hash) and every
processed resource (Table Schema). The cleaning step refuses a raw file whose hash differs from
the one recorded here. ``python -m analysis.ingest.datapackage rehash`` records the current hashes: run
it only after a deliberate, reviewed re-transcription of a raw file (``make rehash``).
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

from analysis import paths
from analysis.errors import RawDataError, UserError
from analysis.fileio import atomic_write_bytes, sha256_file
from analysis.ingest.rawio import read_json

#: The Table Schema field types the compendium's data use.
FIELD_TYPES = ("string", "integer", "number", "boolean", "date")


class Package(dict):
    """The data package as read, remembering its file (to name it in messages)."""

    path: Path = paths.DATAPACKAGE


def load_package(path: str | Path = paths.DATAPACKAGE) -> dict:
    """The data package; a malformed one stops the run naming the file, line and character."""
    path = paths.resolve(path)
    package = read_json(path)
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise RawDataError(path, "expected a data package: an object with a list of 'resources'")
    for number, res in enumerate(package["resources"], start=1):
        if not isinstance(res, dict) or not {"name", "path"} <= set(res):
            raise RawDataError(path, "every resource needs a 'name' and a 'path'", item=f"resource {number}")
        for field in res.get("schema", {}).get("fields", []):
            where = f"resource '{res['name']}', field '{field.get('name')}'"
            if field.get("type", "string") not in FIELD_TYPES:
                raise RawDataError(path, f"unknown type {field.get('type')!r}; a field's type is one of "
                                   f"{', '.join(FIELD_TYPES)}", item=where)
            if res["path"].startswith("processed/") and field.get("type") == "number" and "precision" not in field:
                raise RawDataError(path, "a number the compendium writes needs a precision (decimals or "
                                   "significant digits: src/analysis/precision.py)", item=where)
    package = Package(package)
    package.path = path
    return package


def dump_package(package: dict) -> bytes:
    """The package as the bytes of ``data/datapackage.json`` (UTF-8, indented, one final newline)."""
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def resource(package: dict, name: str) -> dict:
    """The resource called ``name``; ``KeyError`` if the package has none."""
    for res in package["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"data package has no resource '{name}'")


def field_names(res: dict) -> list[str]:
    """The column names of a resource's Table Schema, in order."""
    return [f["name"] for f in res["schema"]["fields"]]


def field_scripts(res: dict) -> dict[str, str]:
    """Column -> the script its letters must be in (the ``script`` property of a field)."""
    return {f["name"]: f["script"] for f in res["schema"]["fields"] if f.get("script")}


def base_name(name: str) -> str:
    """Resource name without its year suffix ('teacher-shortage-2023' -> 'teacher-shortage')."""
    head, _, tail = name.rpartition("-")
    return head if tail.isdigit() else name


def processed_resource(package: dict, base: str) -> dict:
    """The processed resource whose name, without its year, is ``base`` (one schema serves every
    year: 'teacher-shortage' finds 'teacher-shortage-2023')."""
    for res in package["resources"]:
        if res["path"].startswith("processed/") and base_name(res["name"]) == base:
            return res
    raise RawDataError(getattr(package, "path", paths.DATAPACKAGE),
                       f"no processed resource '{base}': describe it (schema) before writing it")


def processed_resource_for_file(package: dict, filename: str) -> dict:
    """The processed resource describing ``filename`` of any year ('teacher_shortage_2024.csv')."""
    return processed_resource(package, base_name(Path(filename).stem.replace("_", "-")))


def raw_resources(package: dict) -> list[dict]:
    """Every resource whose file is under ``data/raw``."""
    return [res for res in package["resources"] if res["path"].startswith("raw/")]


def rehash(package_path: str | Path = paths.DATAPACKAGE) -> list[str]:
    """Record the sha256 of every raw file in the package; return the names that changed."""
    package_path = Path(package_path)
    package = load_package(package_path)
    changed = []
    for res in raw_resources(package):
        file = package_path.parent / res["path"]
        if not file.is_file():
            raise RawDataError(file, f"the raw file of resource '{res['name']}' is missing; nothing was recorded. "
                               f"Restore it (git checkout -- {paths.shown(file)}), or remove its resource from "
                               f"{paths.shown(package_path)}")
        new = "sha256:" + sha256_file(file)
        if res.get("hash") != new:
            res["hash"] = new
            changed.append(res["name"])
    atomic_write_bytes(package_path, dump_package(package))
    return changed


#: What a registered year's provenance says until someone has reviewed it.
UNREVIEWED = ("REGISTERED BY `make register-year` FROM THE {previous} SCHEMA, NOT YET REVIEWED: check the "
              "title, description, sources and transcription notes against the {year} extract, then delete this note.")


def register_year(year: int, package_path: str | Path = paths.DATAPACKAGE) -> list[str]:
    """Describe ``year``'s raw files with the schemas of the latest earlier year, and record their
    sha256. The files must already be in ``data/raw`` under that year's names. Returns the new
    resource names (none if the year is registered already)."""
    package_path = paths.resolve(package_path)
    package = load_package(package_path)
    names = {res["name"] for res in package["resources"]}
    earlier = sorted({int(res["name"].rsplit("-", 1)[1]) for res in raw_resources(package)
                      if res["name"].rsplit("-", 1)[-1].isdigit() and int(res["name"].rsplit("-", 1)[1]) < year})
    if not earlier:
        raise RawDataError(package_path, f"no year before {year} is registered to copy the schemas from")
    previous = earlier[-1]
    added = []
    for res in [r for r in raw_resources(package) if r["name"].endswith(f"-{previous}")]:
        new = copy.deepcopy(res)
        new["name"] = res["name"].removesuffix(str(previous)) + str(year)
        new["path"] = res["path"].replace(str(previous), str(year))
        if new["name"] in names:
            continue
        file = package_path.parent / new["path"]
        if not file.exists():
            raise RawDataError(file, f"missing: put the {year} extract here (same columns as {res['path']}) first")
        for key in ("title", "description"):
            if key in new:
                new[key] = new[key].replace(str(previous), str(year))
        new["x-transcription-notes"] = UNREVIEWED.format(previous=previous, year=year)
        new["hash"] = "sha256:" + sha256_file(file)
        package["resources"].append(new)
        added.append(new["name"])
    atomic_write_bytes(package_path, dump_package(package))
    return added


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.ingest.datapackage rehash | register YEAR`` (``make rehash``,
    ``make register-year``): 0 on success, 1 for bad input (one message), 2 for a wrong usage."""
    argv = sys.argv[1:] if argv is None else argv
    usage = "usage: python -m analysis.ingest.datapackage rehash | register YEAR"
    try:
        if argv == ["rehash"]:
            changed = rehash()
            print("hashes recorded; changed: " + (", ".join(changed) if changed else "none"))
            return 0
        if len(argv) == 2 and argv[0] == "register" and argv[1].isdigit():
            added = register_year(int(argv[1]))
            print(f"registered for {argv[1]}: " + (", ".join(added) if added else "nothing new (already registered)")
                  + "\nreview the entries marked NOT YET REVIEWED in data/datapackage.json, then commit")
            return 0
    except UserError as err:
        print(f"==> FAILED: {err}", file=sys.stderr)
        return 1
    print(usage, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
