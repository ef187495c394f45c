"""Printed numbers, claims, check results and the data checks look at.

A registry argument that stands for a number is a *reference*, a one-key mapping:

``{reported: 0}``
    the claim's own printed value number 0 (as printed: ``"5 555"``, ``"85,9"``);
``{claim: R14a, index: 0}``
    a value printed by another claim (``index`` defaults to 0);
``{literal: "50"}``
    a number stated in words by the quote ("more than half" -> 50);
``{table: teacher_shortage, region: KZ-19, column: shortage_total}``
    a cell of a processed region table; ``region: total`` is the printed national total
    row (from ``printed_totals_<year>.csv``);
``{sum: [ref, ref, ...]}``
    the exact sum of other references.

References resolve to a :class:`Quantity`: an exact :class:`~decimal.Decimal`, the number as
printed (its decimals are the printed precision) and a label saying where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

from analysis.precision import parse_printed
from analysis.tables import TABLES as _TABLE_SPECS

VERDICTS = ("consistent", "inconsistent", "not_checkable")

#: The processed region tables a reference may name: file pattern, label, printed-total resource.
TABLES = {spec.processed_stem: {"file": spec.processed_stem + "_{year}.csv", "label": spec.label,
                                 "resource": spec.raw_resource} for spec in _TABLE_SPECS.values()}
REF_KINDS = ("reported", "claim", "literal", "table", "sum")


def as_text(value: Decimal | int, decimals: int | None = None) -> str:
    """A Decimal for people: integers without decimals, others with ``decimals`` decimals
    (rounded half-even for display only) or as few as exactly represent it."""
    value = Decimal(value)
    if decimals is not None:
        return f"{value.quantize(Decimal(10) ** -decimals):f}" if decimals > 0 else f"{value.quantize(Decimal(1)):f}"
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):f}"
    return f"{value.normalize():f}"


def signed(value: Decimal, decimals: int | None = None) -> str:
    text = as_text(value, decimals)
    return text if text.startswith("-") else f"+{text}"


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    printed: str
    label: str

    @property
    def decimals(self) -> int:
        text = "".join(self.printed.split()).rstrip("%").replace(",", ".")
        return len(text.split(".", 1)[1]) if "." in text else 0


@dataclass(frozen=True)
class Claim:
    id: str
    section: str
    paragraph: int | str
    quote: str
    reported: tuple[str, ...]
    check: str
    args: dict = field(default_factory=dict)
    lang: str = "kk"
    cited: str = ""
    page: int | None = None
    statement_en: str = ""
    ambiguity: str = ""
    stat_ids: tuple[str, ...] = ()
    errata: dict = field(default_factory=dict)
    #: The question to put to the authors (``en``, ``kk``) where the statement is a matter of wording.
    query: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    verdict: str
    recomputed: str = ""
    detail: str = ""
    difference: str = ""
    #: Named values an errata template may use ({reported}, {recomputed}, {difference}, ...).
    values: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; use one of {VERDICTS}")


@dataclass
class Context:
    """What checks may look at: processed region tables, printed totals, regions, legal acts and
    the sources of their facts, and the other claims (for restatements)."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    printed_totals: pd.DataFrame | None = None
    regions: pd.DataFrame | None = None
    legal_acts: pd.DataFrame | None = None
    #: (act_id, field) -> its public source or unverified mark (``data/raw/legal_sources.csv``).
    legal_sources: dict | None = None
    claims: dict[str, Claim] = field(default_factory=dict)
    year: int = 2023

    def table(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(f"unknown table {name!r}; use one of {sorted(TABLES)}")
        if name not in self.tables:
            raise KeyError(f"table {name!r} is not loaded")
        return self.tables[name]

    def region_name(self, iso: str, lang: str = "en") -> str:
        """The region's name: English short name ('Almaty city', 'Almaty Region', 'Abai'),
        or the full name in Kazakh or Russian ('Алматы облысы')."""
        if self.regions is None or iso not in set(self.regions["region_iso"]):
            return iso
        column = "short_en" if lang == "en" else f"name_{lang}"
        return str(self.regions.set_index("region_iso").at[iso, column])

    def legal_act(self, act: str) -> pd.Series:
        if self.legal_acts is None:
            raise KeyError("no reference table of legal acts is loaded")
        rows = self.legal_acts[self.legal_acts["act_id"] == act]
        if len(rows) != 1:
            raise KeyError(f"legal act {act!r} is not (once) in the reference table")
        return rows.iloc[0]

    def legal_source(self, act: str, fact: str):
        """The :class:`~analysis.claims.legal_sources.LegalSource` of a legal fact, or None when
        no source is recorded (then the fact counts as unverified)."""
        return (self.legal_sources or {}).get((act, fact))

    # -- references -------------------------------------------------------------------------
    def resolve(self, ref: Any, claim: Claim) -> Quantity:
        if not isinstance(ref, dict) or not (set(ref) & set(REF_KINDS)):
            raise ValueError(f"claim {claim.id}: {ref!r} is not a reference (one of {REF_KINDS})")
        if "reported" in ref:
            printed = claim.reported[int(ref["reported"])]
            return Quantity(parse_printed(printed), printed, "")
        if "claim" in ref:
            other = self.claims[ref["claim"]]
            printed = other.reported[int(ref.get("index", 0))]
            return Quantity(parse_printed(printed), printed, f"as printed in {other.id}")
        if "literal" in ref:
            printed = str(ref["literal"])
            return Quantity(parse_printed(printed), printed, "stated in words")
        if "sum" in ref:
            parts = [self.resolve(r, claim) for r in ref["sum"]]
            total = sum((p.value for p in parts), Decimal(0))
            return Quantity(total, as_text(total), " + ".join(p.printed for p in parts))
        return self._table_value(ref)

    def _table_value(self, ref: dict) -> Quantity:
        name, region, column = ref["table"], ref["region"], ref["column"]
        label = TABLES[name]["label"]
        if region == "total":
            resource = TABLES[name]["resource"].format(year=self.year)
            totals = self.printed_totals
            rows = totals[(totals["resource"] == resource) & (totals["column"] == column)]
            if len(rows) != 1:
                raise KeyError(f"no printed total for {resource}, column {column}")
            printed = str(rows.iloc[0]["printed_as"])
            return Quantity(parse_printed(printed), printed, f"{label}, national total row, {column}")
        frame = self.table(name)
        rows = frame[frame["region_iso"] == region]
        if len(rows) != 1:
            raise KeyError(f"{label} has no (single) row for region {region}")
        printed = str(rows.iloc[0][column])
        return Quantity(parse_printed(printed), printed, f"{label}, {self.region_name(region)}, {column}")
