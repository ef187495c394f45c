"""How to rerun the analysis, and what it was run from: the section at the top of every index page.

The inputs' fingerprint is a content hash, not a timestamp or a commit id (either would change the
page on every run or every commit, and break byte-identity): the sha256 of the list
``path<TAB>sha256`` of every raw data file, every notebook's cells (their source, not their
outputs, which the run writes), every file of ``src/analysis`` and the lock. Two checkouts with the
same inputs show the same fingerprint; any edit to data, code or pins changes it.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

from analysis import paths
from analysis.lockfile import METHODS_PACKAGES, locked_versions

LOCK = paths.PROJECT_ROOT / "requirements.lock"
PYPROJECT = paths.PROJECT_ROOT / "pyproject.toml"
SOURCE = paths.PROJECT_ROOT / "src" / "analysis"
#: Files of src/analysis that are not inputs (caches).
SKIP = ("__pycache__",)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def notebook_source(path: Path) -> bytes:
    """A notebook's cells (type and source), without outputs or metadata the run writes."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return json.dumps([[c["cell_type"], "".join(c["source"])] for c in cells], ensure_ascii=False).encode("utf-8")


def input_files(raw_dir: Path, notebooks_dir: Path) -> list[tuple[str, bytes]]:
    """(path shown, content) of every input, in a fixed order."""
    out = []
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        out.append((paths.shown(path), path.read_bytes()))
    for path in sorted(notebooks_dir.glob("*.ipynb")):
        out.append((paths.shown(path), notebook_source(path)))
    # The code is the step's `uses` (every file of src/analysis, declared in steps.yml), not a data
    # input: read for the fingerprint without recording each file in the manifest.
    for path in sorted(p for p in SOURCE.rglob("*") if p.is_file() and not any(s in p.parts for s in SKIP)):
        out.append((paths.shown(path), path.read_bytes()))
    out.append((paths.shown(LOCK), LOCK.read_bytes()))
    return out


def provenance(raw_dir: Path, notebooks_dir: Path) -> dict:
    """Python, the key packages and the lock's sha256 (from the lock), the inputs' fingerprint."""
    files = input_files(raw_dir, notebooks_dir)
    listing = "".join(f"{name}\t{_sha256(data)}\n" for name, data in files)
    versions = locked_versions(LOCK)
    python = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["requires-python"]
    return {"python": python, "packages": {name: ", ".join(dict.fromkeys(versions[name])) for name in METHODS_PACKAGES},
            "lock_sha256": _sha256(LOCK.read_bytes()), "inputs_sha256": _sha256(listing.encode("utf-8")),
            "n_files": len(files)}
