"""The article's two printed tables: what each holds, and where its raw, processed and result files are."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableSpec:
    """What one printed table holds and where its data are: the one place that maps a table to its
    raw resource and file, its processed resource and file, and its result files."""

    key: str
    #: The table as the article labels it (Table 1) and the stem of its result files.
    label: str
    stem: str
    #: The processed table: its name in the claims registry and data package, without the year.
    processed_stem: str
    columns: tuple[str, ...]
    #: share column -> (numerator, denominator, decimals printed)
    shares: dict

    @property
    def raw_resource(self) -> str:
        """The raw resource's name in the data package, with ``{year}`` to fill in."""
        return self.stem.replace("_", "-") + "-{year}"

    @property
    def processed_resource(self) -> str:
        """The processed resource's name without its year (one schema serves every year)."""
        return self.processed_stem.replace("_", "-")

    def processed_name(self, year: int) -> str:
        """The processed file of ``year`` under ``data/processed``."""
        return f"{self.processed_stem}_{year}.csv"

    def raw_name(self, year: int) -> str:
        """The raw file of ``year`` under ``data/raw``."""
        return f"{self.stem}_{year}.csv"


TABLE1 = TableSpec(
    key="table1", label="Table 1", stem="table1_preschools", processed_stem="preschool_inclusion",
    columns=("preschools_total", "preschools_inclusive", "inclusive_share_pct", "sen_children"),
    shares={"inclusive_share_pct": ("preschools_inclusive", "preschools_total", 1)},
)
TABLE2 = TableSpec(
    key="table2", label="Table 2", stem="table2_teacher_shortage", processed_stem="teacher_shortage",
    columns=("shortage_total", "shortage_urban", "shortage_rural", "shortage_state", "shortage_private"),
    shares={},
)
TABLES = {spec.key: spec for spec in (TABLE1, TABLE2)}
