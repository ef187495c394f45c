"""``results/manifest.csv``: every output file, its producing notebook, its inputs, its sha256.

Each notebook writes its own fragment ``results/manifest/<notebook>.csv`` (see
:mod:`analysis.session.outputs`); ``python -m analysis.pipeline.manifest`` (the last step of ``make reproduce``)
merges them, and writes ``results/datapackage.json``, the Frictionless description of every
results CSV (:mod:`analysis.resultschema`). :func:`check` is what the tests run: every file under ``results/`` and
``data/processed/`` is listed exactly once and every hash holds.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.fileio import atomic_write_bytes, csv_bytes, sha256_file
from analysis.ingest.datapackage import dump_package
from analysis.resultschema import package

MANIFEST = paths.RESULTS / "manifest.csv"
#: Each step's fragment is ``<results>/manifest/<notebook>.csv``, with these columns.
MANIFEST_DIR_NAME = "manifest"
MANIFEST_COLUMNS = ["file", "notebook", "inputs", "sha256"]
RESULTS_PACKAGE = paths.RESULTS / "datapackage.json"
#: Files under results/ that no notebook produces: the manifest, the data package written with
#: it.
NOT_OUTPUTS = {"results/manifest.csv", "results/datapackage.json"}


def merged(root: Path = paths.PROJECT_ROOT) -> pd.DataFrame:
    fragments = sorted((root / "results" / MANIFEST_DIR_NAME).glob("*.csv"))
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in fragments]
    if not frames:
        return pd.DataFrame(columns=MANIFEST_COLUMNS)
    return pd.concat(frames, ignore_index=True)[MANIFEST_COLUMNS].sort_values("file", ignore_index=True)


def results_package(frame: pd.DataFrame) -> dict:
    """The data package of every results CSV in the merged manifest ``frame``."""
    csvs = frame[frame["file"].str.startswith("results/") & frame["file"].str.endswith(".csv")]
    return package([(f.removeprefix("results/"), h) for f, h in zip(csvs["file"], csvs["sha256"], strict=True)])


def write(root: Path = paths.PROJECT_ROOT) -> pd.DataFrame:
    frame = merged(root)
    atomic_write_bytes(root / "results" / "manifest.csv", csv_bytes(frame))
    atomic_write_bytes(root / "results" / "datapackage.json", dump_package(results_package(frame)))
    return frame


def check(root: Path = paths.PROJECT_ROOT) -> list[str]:
    """Problems with the manifest (empty list when every output is listed once with its hash)."""
    stored = pd.read_csv(root / "results" / "manifest.csv", dtype=str, keep_default_na=False)
    problems = []
    if not stored.equals(merged(root)):
        problems.append("results/manifest.csv is not the merge of results/manifest/*.csv: run make reproduce")
    duplicated = stored.loc[stored["file"].duplicated(), "file"].tolist()
    problems += [f"{f} is listed twice (two producing notebooks?)" for f in duplicated]
    on_disk = {p.relative_to(root).as_posix() for d in ("results", "data/processed")
               for p in (root / d).rglob("*") if p.is_file() and not p.name.startswith(".")}
    on_disk -= NOT_OUTPUTS
    on_disk = {f for f in on_disk if not f.startswith(f"results/{MANIFEST_DIR_NAME}/")}
    problems += [f"{f} is not in the manifest" for f in sorted(on_disk - set(stored["file"]))]
    problems += [f"{f} is in the manifest but missing" for f in sorted(set(stored["file"]) - on_disk)]
    for row in stored.itertuples():
        path = root / row.file
        if path.exists() and sha256_file(path) != row.sha256:
            problems.append(f"{row.file}: sha256 differs from the manifest")
    return problems


def main() -> int:
    frame = write()
    print(f"==> {paths.shown(MANIFEST)}: {len(frame)} output files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
