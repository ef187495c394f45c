"""What an edition was built from: Python, the key packages, the lock's sha256 and the inputs'
fingerprint (the box at the end of every index page, and the version line of the errata letter).

The inputs' fingerprint is a content hash, not a timestamp or a commit id (either would change the
pages on every run or every commit, and break byte-identity): the sha256 of the list
``path<TAB>sha256`` of every raw data file, every notebook's cells (their source, not their
outputs, which the run writes), every file of ``src/analysis`` and the lock. Two checkouts with the
same inputs show the same fingerprint; any edit to data, code or pins changes it. Every function
takes plain paths (notebook 90 passes them).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from analysis import paths
from analysis.fileio import sha256_bytes, sha256_file
from analysis.lockfile import METHODS_PACKAGES, locked_versions

#: Files of src/analysis that are not inputs (caches).
SKIP = ("__pycache__",)


def notebook_source(path: Path) -> bytes:
    """A notebook's cells (type and source), without outputs or metadata the run writes."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    return json.dumps([[c["cell_type"], "".join(c["source"])] for c in cells], ensure_ascii=False).encode("utf-8")


def input_files(raw_dir: Path, notebooks_dir: Path, source_dir: Path, lock: Path) -> list[tuple[str, bytes]]:
    """(path shown, content) of every input, in a fixed order."""
    out = [(paths.shown(p), p.read_bytes()) for p in sorted(q for q in Path(raw_dir).rglob("*") if q.is_file())]
    out += [(paths.shown(p), notebook_source(p)) for p in sorted(Path(notebooks_dir).glob("*.ipynb"))]
    out += [(paths.shown(p), p.read_bytes()) for p in sorted(q for q in Path(source_dir).rglob("*")
                                                             if q.is_file() and not any(s in q.parts for s in SKIP))]
    out.append((paths.shown(lock), Path(lock).read_bytes()))
    return out


def provenance(raw_dir: Path, notebooks_dir: Path, own_notebook: Path | None = None,
               source_dir: Path = paths.PROJECT_ROOT / "src" / "analysis", lock: Path = paths.PROJECT_ROOT / "requirements.lock",
               pyproject: Path = paths.PROJECT_ROOT / "pyproject.toml") -> dict:
    """Python, the key packages and the lock's sha256 (from the lock), the inputs' fingerprint."""
    files = input_files(raw_dir, notebooks_dir, source_dir, lock)
    listing = "".join(f"{name}\t{sha256_bytes(data)}\n" for name, data in files)
    versions = locked_versions(lock)
    python = tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))["project"]["requires-python"]
    return {"python": python, "packages": {name: ", ".join(dict.fromkeys(versions[name])) for name in METHODS_PACKAGES},
            "lock_sha256": sha256_file(lock), "inputs_sha256": sha256_bytes(listing.encode("utf-8")),
            "n_files": len(files)}
