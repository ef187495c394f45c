"""Reading the processed tables with the types the data package declares."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.datapackage import field_names, load_package
from analysis.schemas import base_name, pandas_dtypes


def processed_resource_for(name: str, package: dict | None = None) -> dict:
    """The processed resource describing file ``name`` (any year: 'teacher_shortage_2024.csv'
    is described by the resource of 'teacher_shortage_2023.csv')."""
    package = package or load_package()
    wanted = base_name(Path(name).stem.replace("_", "-"))
    for res in package["resources"]:
        if res["path"].startswith("processed/") and base_name(res["name"]) == wanted:
            return res
    raise KeyError(f"no processed resource describes {name}")


def load_processed(name: str, processed_dir: str | Path = paths.PROCESSED) -> pd.DataFrame:
    """``data/processed/<name>`` with declared dtypes (missing values as <NA>/NaN)."""
    res = processed_resource_for(name)
    path = paths.resolve(processed_dir) / name
    return pd.read_csv(path, dtype=pandas_dtypes(res), keep_default_na=False,
                       na_values={c: [""] for c in field_names(res)})
