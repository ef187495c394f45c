"""The one error bad input raises: it names the file, the row (line) and the column."""

from __future__ import annotations

from pathlib import Path

from analysis.paths import shown


class RawDataError(ValueError):
    """A raw input that cannot be used as it is.

    The message names the file (relative to the project root), the line of the file (the header
    is line 1), the row's label where it has one (the region as printed) and the column, then
    says what is wrong and what was found. ``line`` and ``column`` are ``None`` where the
    problem concerns the whole file (empty file, changed hash, missing regions).
    """

    def __init__(
        self,
        file: str | Path,
        problem: str,
        *,
        line: int | None = None,
        column: str | None = None,
        row_label: str | None = None,
    ) -> None:
        self.file = shown(file) if isinstance(file, Path) else str(file)
        self.problem = problem
        self.line = line
        self.column = column
        self.row_label = row_label
        where = [self.file]
        if line is not None:
            where.append(f"line {line}" + (f" (row '{row_label}')" if row_label else ""))
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(", ".join(where) + ": " + problem)
