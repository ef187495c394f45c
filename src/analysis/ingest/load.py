"""Reading the processed tables with the types the data package declares."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.ingest.datapackage import field_names, load_package, processed_resource_for_file
from analysis.ingest.schemas import pandas_dtypes


def load_processed(name: str, processed_dir: str | Path = paths.PROCESSED) -> pd.DataFrame:
    """``data/processed/<name>`` with declared dtypes (missing values as <NA>/NaN)."""
    res = processed_resource_for_file(load_package(), name)
    path = paths.resolve(processed_dir) / name
    return pd.read_csv(path, dtype=pandas_dtypes(res), keep_default_na=False,
                       na_values={c: [""] for c in field_names(res)})
