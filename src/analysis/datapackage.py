"""The Frictionless Data Package ``data/datapackage.json``: lookup, and recording raw hashes.

The package describes every raw resource (Table Schema, provenance, ``sha256`` hash) and every
processed resource (Table Schema). The cleaning step refuses a raw file whose hash differs from
the one recorded here. ``python -m analysis.datapackage rehash`` records the current hashes: run
it only after a deliberate, reviewed re-transcription of a raw file (``make rehash``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from analysis import paths
from analysis.rawio import atomic_write_bytes, sha256_file


def load_package(path: str | Path = paths.DATAPACKAGE) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def dump_package(package: dict) -> bytes:
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def resource(package: dict, name: str) -> dict:
    for res in package["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"data package has no resource '{name}'")


def field_names(res: dict) -> list[str]:
    return [f["name"] for f in res["schema"]["fields"]]


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
    raise KeyError(f"data package has no processed resource '{base}'")


def processed_resource_for_file(package: dict, filename: str) -> dict:
    """The processed resource describing ``filename`` of any year ('teacher_shortage_2024.csv')."""
    return processed_resource(package, base_name(Path(filename).stem.replace("_", "-")))


def raw_resources(package: dict) -> list[dict]:
    return [res for res in package["resources"] if res["path"].startswith("raw/")]


def rehash(package_path: str | Path = paths.DATAPACKAGE) -> list[str]:
    """Record the sha256 of every raw file in the package; return the names that changed."""
    package_path = Path(package_path)
    package = load_package(package_path)
    changed = []
    for res in raw_resources(package):
        new = "sha256:" + sha256_file(package_path.parent / res["path"])
        if res.get("hash") != new:
            res["hash"] = new
            changed.append(res["name"])
    atomic_write_bytes(package_path, dump_package(package))
    return changed


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv != ["rehash"]:
        print("usage: python -m analysis.datapackage rehash", file=sys.stderr)
        return 2
    changed = rehash()
    print("hashes recorded; changed: " + (", ".join(changed) if changed else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
