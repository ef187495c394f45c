"""Reading raw files strictly and writing outputs atomically.

Raw CSV files are read as text, cell for cell, with the line number of every row kept as the
frame's index, so that any later error can name the line. Outputs are written to a temporary
file beside the target and moved into place only when complete; a file whose bytes would not
change is not touched (its modification time stays, so ``make`` sees nothing new).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.errors import RawDataError

#: Name of the index that holds each row's line number in its file (header = line 1).
LINE = "line"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    return sha256_bytes(Path(path).read_bytes())


def decode_utf8(data: bytes, file: str | Path) -> str:
    """Decode ``data`` as UTF-8 (a leading byte-order mark is dropped) or raise naming the line
    and the column of the first byte that is not UTF-8."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line_no = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        prefix = data[line_start : err.start].decode("utf-8")  # valid: the error is the first bad byte
        field_index = len(next(csv.reader([prefix + "x"]))) - 1  # quote-aware count of fields before it
        header = next(csv.reader([data.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")]))
        column = header[field_index] if field_index < len(header) else f"field {field_index + 1}"
        raise RawDataError(
            file,
            f"not valid UTF-8 (byte 0x{data[err.start]:02x}); raw files must be UTF-8 encoded",
            line=line_no,
            column=column,
        ) from None


def read_csv_text(path: str | Path, expected_columns: Sequence[str]) -> pd.DataFrame:
    """Read a raw CSV as strings, checking encoding, emptiness, the header and every row's width.

    Returns a frame with exactly ``expected_columns`` (the header must list them in this order),
    every cell a ``str`` as printed, indexed by the line each row starts on (``LINE``; the header
    is line 1). Blank lines are skipped; a row of empty cells is kept (and fails validation).
    """
    path = Path(path)
    text = decode_utf8(path.read_bytes(), path)
    if not text.strip():
        raise RawDataError(path, "the file is empty; expected a header and data rows")
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(rows)
        missing = [c for c in expected_columns if c not in header]
        if missing:
            raise RawDataError(path, f"missing column; the header has {header}, expected {list(expected_columns)}",
                               line=1, column=missing[0])
        extra = [c for c in header if c not in expected_columns]
        if extra:
            raise RawDataError(path, f"unexpected column; expected exactly {list(expected_columns)}",
                               line=1, column=extra[0])
        if len(set(header)) != len(header):
            dup = next(c for c in header if header.count(c) > 1)
            raise RawDataError(path, "column appears twice in the header", line=1, column=dup)
        if header != list(expected_columns):
            moved = next(h for h, e in zip(header, expected_columns, strict=True) if h != e)
            raise RawDataError(path, f"columns out of order; expected {list(expected_columns)}", line=1, column=moved)
        records, lines = [], []
        start = rows.line_num + 1
        for record in rows:
            if record:  # csv yields [] for a blank line
                if len(record) != len(header):
                    column = header[len(record)] if len(record) < len(header) else f"field {len(record)}"
                    raise RawDataError(path, f"row has {len(record)} fields, the header has {len(header)}",
                                       line=start, column=column)
                records.append(record)
                lines.append(start)
            start = rows.line_num + 1
    except csv.Error as err:
        raise RawDataError(path, f"not readable as CSV: {err}", line=rows.line_num) from None
    if not records:
        raise RawDataError(path, "the file has a header but no data rows", line=2)
    return pd.DataFrame(records, columns=header, index=pd.Index(lines, name=LINE), dtype=object)


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


def atomic_write_bytes(path: str | Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return False (and touch nothing) if unchanged."""
    path = Path(path)
    remove_stale_temporaries(path)
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def atomic_write_all(files: dict[Path, bytes]) -> list[Path]:
    """Write several files, each atomically, after all their contents exist in memory.

    Returns the paths whose contents changed.
    """
    return [path for path, data in files.items() if atomic_write_bytes(path, data)]
