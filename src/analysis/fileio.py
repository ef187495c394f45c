"""Writing outputs atomically, and the hashes and CSV form every output is recorded with.

A file is written to a temporary file beside the target and moved into place only when complete;
a file whose bytes would not change is not touched (its modification time stays, so ``make`` sees
nothing new). :func:`commit_all` writes several files as one step: all or none. :func:`stage` and
:func:`staged` hand a notebook's outputs to the runner, which commits them with the notebook.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from analysis.errors import os_error
from analysis.paths import shown


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    return sha256_bytes(Path(path).read_bytes())


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The canonical CSV serialisation of an output frame.

    UTF-8, ``\\n`` line ends, no index; floats with up to 15 significant digits and no
    trailing ``.0`` (513.0 -> ``513``, 85.9 -> ``85.9``), so files do not depend on float repr.
    """
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.15g").encode("utf-8")


def remove_stale_temporaries(path: Path) -> None:
    """Remove temporary files an interrupted earlier write of ``path`` left beside it."""
    if path.parent.is_dir():
        for stale in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
            stale.unlink(missing_ok=True)


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def stage_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path`` (flushed to disk) and return it; the
    caller moves it into place with :func:`os.replace`, or removes it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def unchanged(path: Path, data: bytes) -> bool:
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data


def atomic_write_bytes(path: str | Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return False (and touch nothing) if unchanged.

    A failure (full disk, read-only folder) is an :class:`~analysis.errors.OutputError` naming
    the path; ``path`` is then as it was."""
    path = Path(path)
    remove_stale_temporaries(path)
    if unchanged(path, data):
        return False
    tmp = None
    try:
        tmp = stage_bytes(path, data)
        os.replace(tmp, path)
    except OSError as err:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise os_error(path, err, consequence="the file was left as it was") from None
    return True


def commit_all(files: dict[Path, bytes], remove: list[Path] = ()) -> list[Path]:
    """Write several files as one step: all or none.

    Every changed file is first written to a temporary file beside its target; only when all of
    them exist are they moved into place (and the files in ``remove`` deleted). If any write
    fails, the temporaries are removed and nothing has changed. Unchanged files are not touched.
    Returns the paths that changed.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            remove_stale_temporaries(path)
            if not unchanged(path, data):
                try:
                    staged.append((stage_bytes(path, data), path))
                except OSError as err:
                    raise os_error(path, err, consequence="nothing of this step was written") from None
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for done, (tmp, path) in enumerate(staged):
        try:
            os.replace(tmp, path)
        except OSError as err:  # a rename in a folder we could just write to: rare; say which files moved
            for left, _ in staged[done:]:
                left.unlink(missing_ok=True)
            moved = [shown(p) for _, p in staged[:done]]
            raise os_error(path, err, consequence=f"already replaced: {', '.join(moved) or 'none'}") from None
    for path in remove:
        path.unlink(missing_ok=True)
    return [path for _, path in staged]


#: The environment variable through which the runner asks a notebook to hand over its outputs
#: (the folder to stage them in) instead of writing them.
STAGING = "ANALYSIS_STAGING"
STAGED_INDEX = "staged.json"


def stage(folder: Path, files: dict[Path, bytes], remove: list[Path]) -> None:
    """Hand a step's outputs to the runner: each file's bytes into ``folder``, with an index."""
    index = {"files": {}, "remove": [str(p) for p in remove]}
    try:
        for number, (path, data) in enumerate(files.items()):
            (folder / f"{number}.out").write_bytes(data)
            index["files"][str(path)] = f"{number}.out"
        (folder / STAGED_INDEX).write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    except OSError as err:  # the runner's temporary folder (TMPDIR) is full
        raise os_error(folder.parent, err, consequence="nothing of this step was written") from None


def staged(folder: Path) -> tuple[dict[Path, bytes], list[Path]]:
    """The outputs a notebook handed to the runner in ``folder`` (nothing if it wrote none)."""
    index_file = folder / STAGED_INDEX
    if not index_file.exists():
        return {}, []
    index = json.loads(index_file.read_text(encoding="utf-8"))
    return ({Path(p): (folder / f).read_bytes() for p, f in index["files"].items()},
            [Path(p) for p in index["remove"]])
