"""The columns of every CSV under ``results/``, declared once in ``results_schema.yml``.

Each entry gives a CSV's columns: type, unit, description and precision (the precision policy,
:mod:`analysis.precision`). The output writer (:mod:`analysis.session.outputs`) looks up the
schema of every CSV a notebook adds (:func:`schema_for`), refuses columns that differ from it and
writes each number at its declared precision. ``python -m analysis.pipeline.manifest`` publishes
the declaration as the Frictionless Data Package ``results/datapackage.json``: one resource per
CSV, with its Table Schema and sha256 (:func:`package`).
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path

from analysis.precision import check_rule

SCHEMA_FILE = Path(__file__).with_name("results_schema.yml")
#: Placeholders of the declared paths and what they match.
PLACEHOLDERS = {"lang": "kk|ru|en", "year": r"\d{4}"}
_TRANSLATED = re.compile(r"^\{t:([A-Za-z0-9_]+)\}$")


@cache
def declaration() -> dict:
    """Shared fields, field sets and every results CSV (paths relative to the results folder)."""
    from analysis.ingest.rawio import read_yaml

    decl, _ = read_yaml(SCHEMA_FILE)
    resources = [{**r, "path": r["path"].removeprefix("results/")} for r in decl["resources"]]
    return {"fields": decl.get("fields", {}), "field_sets": decl.get("field_sets", {}), "resources": resources}


def _pattern(declared: str) -> re.Pattern:
    parts = re.split(r"(\{[a-z_]+\})", declared)
    regex = "".join(
        f"(?P<{p[1:-1]}>{PLACEHOLDERS.get(p[1:-1], '[^/]+')})" if p.startswith("{") and p.endswith("}") else re.escape(p)
        for p in parts)
    return re.compile(regex + r"\Z")


def _field(entry, shared: dict, where: str) -> dict:
    if isinstance(entry, str):
        if entry not in shared:
            raise ValueError(f"{where}: '{entry}' is not a shared field of {SCHEMA_FILE.name}")
        field = {"name": entry, **copy.deepcopy(shared[entry])}
    else:
        field = copy.deepcopy(entry)
    if field.get("type") == "number":
        if "precision" not in field:
            raise ValueError(f"{where}: number field '{field['name']}' declares no precision")
        check_rule(field["precision"], f"{where}, field '{field['name']}'")
    return field


def _fields(resource: dict, decl: dict) -> list[dict]:
    entries = resource["fields"]
    if isinstance(entries, str) and entries.startswith("@"):
        entries = decl["field_sets"][entries[1:]]
    return [_field(e, decl.get("fields", {}), resource["path"]) for e in entries]


def schema_for(relative_path: str, decl: dict | None = None) -> dict | None:
    """The resource (name, path, title, schema) describing ``relative_path`` (relative to
    ``results/``, e.g. ``stats/40_funnel_kk.csv``), or None if nothing declares it."""
    decl = decl or declaration()
    for resource in decl["resources"]:
        match = _pattern(resource["path"]).match(relative_path)
        if not match:
            continue
        lang = match.groupdict().get("lang")
        fields = []
        for field in _fields(resource, decl):
            named = _TRANSLATED.match(field["name"])
            if named:
                if lang is None:
                    raise ValueError(f"{resource['path']}: translated field names need {{lang}} in the path")
                from analysis.i18n import t

                field["name"] = t(named.group(1), lang)
            fields.append(field)
        out = {"name": resource_name(relative_path), "path": relative_path, "profile": "tabular-data-resource",
               "format": "csv", "encoding": "utf-8", "title": resource.get("title", "")}
        if resource.get("description"):
            out["description"] = resource["description"]
        out["schema"] = {"fields": fields}
        return out
    return None


def resource_name(relative_path: str) -> str:
    """A Frictionless resource name for a path ('stats/40_funnel_kk.csv' -> 'stats-40-funnel-kk')."""
    return re.sub(r"[^a-z0-9.-]+", "-", str(Path(relative_path).with_suffix("")).lower()).strip("-")


def package(files: list[tuple[str, str]]) -> dict:
    """The data package of ``files``: (path relative to results/, sha256) of every results CSV."""
    resources = []
    for relative, sha256 in sorted(files):
        res = schema_for(relative)
        if res is None:
            raise ValueError(f"results/{relative} is not declared in {SCHEMA_FILE.name}")
        res["hash"] = f"sha256:{sha256}"
        resources.append(res)
    return {
        "profile": "tabular-data-package",
        "name": "kz-inclusive-education-2025-results",
        "title": "Results of the compendium for Tamabayeva, Abildina, Zhekibayeva (2025)",
        "description": ("Every CSV the notebooks write under results/: tables, figure data, claim verdicts and "
                        "statistics. Each column has a type, a unit where it has one, a description, and for numbers "
                        "the precision it is written with (the project's precision policy: src/analysis/precision.py). "
                        "Written by `make reproduce` from src/analysis/results_schema.yml."),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "sources": [{"title": "data/datapackage.json: the raw and processed data of the compendium"}],
        "resources": resources,
    }
