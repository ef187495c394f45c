"""The errors a user can cause: each names the file, and the line, column, item or notebook.

Every problem with what a user gives the compendium (a raw file, the data package, the claims
registry, the corrections, a notebook, a runner parameter, a full or read-only disk) stops the
run with one of these, and its message is one line that starts with the file::

    data/raw/table2_teacher_shortage_2023.csv, line 2 (row 'ҚР'), column 'shortage_private': ...
    data/raw/claims.yml, claim R2e: 'check' must name one of ...
    notebooks/00_clean_extracts.ipynb, parameter 'yaer': unknown; the notebook's parameters are ...

Long lists in a message are capped (:func:`listing`: the first :data:`LISTED` items, then "and N
more"), so the message stays readable however large the input.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from analysis.paths import shown

#: How many offending items (lines, values) a message lists before "and N more".
LISTED = 10


def listing(items: Iterable, limit: int = LISTED) -> str:
    """``[3, 5, 8]`` as '3, 5, 8'; more than ``limit`` items as the first ``limit`` and 'and N more'."""
    items = [str(i) for i in items]
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


class UserError(ValueError):
    """Something a user gave cannot be used (or written) as it is.

    The message names the file (relative to the project root), then where in it: the line (the
    header is line 1) with the row's label where it has one, the column, or an ``item`` (a claim,
    a correction, a parameter, a character position), then says what is wrong and what was found.
    """

    def __init__(self, file: str | Path, problem: str, *, line: int | None = None, column: str | None = None,
                 row_label: str | None = None, item: str | None = None) -> None:
        self.file = shown(file) if isinstance(file, Path) else str(file)
        self.problem = problem
        self.line = line
        self.column = column
        self.row_label = row_label
        self.item = item
        where = [self.file]
        if line is not None:
            where.append(f"line {line}" + (f" (row '{row_label}')" if row_label else ""))
        if column is not None:
            where.append(f"column '{column}'")
        if item is not None:
            where.append(item)
        super().__init__(", ".join(where) + ": " + problem)

    def __reduce__(self):  # picklable with its keyword arguments (worker processes report it)
        return (_rebuild, (type(self), self.file, self.problem, self.line, self.column, self.row_label, self.item))


def _rebuild(cls, file, problem, line, column, row_label, item):
    return cls(file, problem, line=line, column=column, row_label=row_label, item=item)


class RawDataError(UserError):
    """A raw input (data file, data package, corrections, claims registry) that cannot be used."""


class OutputError(UserError):
    """An output that cannot be written (full disk, read-only folder) or may not be (it belongs to
    another run, or another year)."""


class NotebookError(UserError):
    """A notebook that cannot be run as asked: unreadable, or an unknown or mistyped parameter."""


def os_error(path: str | Path, err: OSError, doing: str = "cannot write", consequence: str = "") -> OutputError:
    """An OSError while writing ``path`` as an :class:`OutputError` naming the path."""
    reason = err.strerror or str(err)
    return OutputError(path, f"{doing}: {reason} (errno {err.errno})" + (f"; {consequence}" if consequence else ""))
