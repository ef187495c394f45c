"""Reading raw files strictly: CSV as printed text, YAML and JSON, each error with its line.

Raw CSV files are read as text, cell for cell, with the line number of every row kept as the
frame's index, so that any later error can name the line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import yaml

from analysis.errors import RawDataError
from analysis.ingest.canonical import check_cell

#: Name of the index that holds each row's line number in its file (header = line 1).
LINE = "line"


def decode_utf8(data: bytes, file: str | Path) -> str:
    """Decode ``data`` as UTF-8 (a leading byte-order mark is dropped) or raise naming the line
    and the column of the first byte that is not UTF-8."""
    for bom, encoding in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                          (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if data.startswith(bom):
            raise RawDataError(file, f"encoded as {encoding} (it starts with the byte-order mark "
                               f"{bom.hex(' ').upper()}); raw files must be UTF-8 encoded", line=1)
    if b"\x00" in data:
        nul = data.index(b"\x00")
        raise RawDataError(file, f"contains NUL bytes (the first at byte {nul}): probably UTF-16 without a "
                           "byte-order mark; raw files must be UTF-8 encoded", line=data[:nul].count(b"\n") + 1)
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


def read_csv_text(path: str | Path, expected_columns: Sequence[str], scripts: dict[str, str] | None = None) -> pd.DataFrame:
    """Read a raw CSV as strings, checking encoding, emptiness, the header, every row's width and
    that every cell is canonical text (:mod:`analysis.ingest.canonical`; ``scripts`` gives the script a
    column's letters must be in).

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
        for column in header:
            check_cell(column, path, line=1, column=column)
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
    scripts = scripts or {}
    for line, record in zip(lines, records, strict=True):
        for column, value in zip(header, record, strict=True):
            check_cell(value, path, line=line, column=column, script=scripts.get(column))
    return pd.DataFrame(records, columns=header, index=pd.Index(lines, name=LINE), dtype=object)


class _StrictError(yaml.YAMLError):
    """What the strict loader refuses, with where (the mark of the offending node)."""

    def __init__(self, problem: str, mark) -> None:
        super().__init__(problem)
        self.problem, self.problem_mark = problem, mark


class _LineLoader(yaml.SafeLoader):
    """A strict safe YAML loader for files people edit: it refuses duplicate keys (the last would
    win, silently), anchors and aliases (a shared or recursive structure, or an exponential
    expansion), and every explicit tag; and it remembers the line of every mapping and list item."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.lines: dict[int, int] = {}
        self.item_lines: dict[int, list[int]] = {}

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _StrictError(f"alias '*{event.anchor}': anchors and aliases are not allowed here; "
                               "write the value out", event.start_mark)
        if getattr(event, "anchor", None):
            raise _StrictError(f"anchor '&{event.anchor}': anchors and aliases are not allowed here; "
                               "write the value out", event.start_mark)
        implicit = getattr(event, "implicit", False)
        if getattr(event, "tag", None) not in (None, "!") and not (implicit[0] if isinstance(implicit, tuple) else implicit):
            raise _StrictError(f"tag '{event.tag}': tags are not allowed here", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise _StrictError("a key must be a plain value", key_node.start_mark)
            if key in seen:
                raise _StrictError(f"key '{key}' appears twice in one mapping (also on line {seen[key]})",
                                   key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_map(self, node):
        data: dict = {}
        self.lines[id(data)] = node.start_mark.line + 1
        yield data
        data.update(self.construct_mapping(node))

    def construct_yaml_seq(self, node):
        data: list = []
        self.lines[id(data)] = node.start_mark.line + 1
        self.item_lines[id(data)] = [child.start_mark.line + 1 for child in node.value]
        yield data
        data.extend(self.construct_sequence(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_yaml_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_yaml_seq)


class YamlLines:
    """Where things are in a YAML file: :meth:`of` a mapping, :meth:`item` of a list."""

    def __init__(self, lines: dict[int, int], item_lines: dict[int, list[int]], data) -> None:
        self._lines, self._items, self._data = lines, item_lines, data  # _data keeps the ids alive

    def of(self, obj) -> int | None:
        """The line a mapping of the parsed data starts on (None if unknown)."""
        return self._lines.get(id(obj))

    def item(self, sequence: list, index: int) -> int | None:
        """The line item ``index`` of a list of the parsed data starts on (None if unknown)."""
        lines = self._items.get(id(sequence))
        return lines[index] if lines and 0 <= index < len(lines) else None


def read_yaml(path: str | Path) -> tuple[object, YamlLines]:
    """A YAML file (UTF-8), read strictly (:class:`_LineLoader`), with the line of each mapping
    and list item; bad YAML stops the run with a :class:`RawDataError` naming the file and line."""
    path = Path(path)
    text = decode_utf8(path.read_bytes(), path)
    try:
        loader = _LineLoader(text)
    except yaml.reader.ReaderError as err:  # a character YAML does not allow, found when reading starts
        line = text.count("\n", 0, err.position) + 1
        raise RawDataError(path, f"not valid YAML: character U+{err.character:04X} is not allowed in YAML",
                           line=line, item=f"character {err.position - text.rfind(chr(10), 0, err.position)}") from None
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        problem = " ".join(str(getattr(err, "problem", None) or err).split())
        prefix = "" if isinstance(err, _StrictError) else "not valid YAML: "
        raise RawDataError(path, f"{prefix}{problem}", line=None if mark is None else mark.line + 1,
                           item=None if mark is None else f"character {mark.column + 1}") from None
    finally:
        loader.dispose()
    return data, YamlLines(loader.lines, loader.item_lines, data)


def read_json(path: str | Path) -> object:
    """A JSON file (UTF-8); a malformed one stops the run naming the file, line and character."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RawDataError(path, "the file is missing") from None
    try:
        return json.loads(decode_utf8(data, path))
    except json.JSONDecodeError as err:
        raise RawDataError(path, f"not valid JSON: {err.msg}", line=err.lineno, item=f"character {err.colno}") from None


