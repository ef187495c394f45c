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
printed (its decimals are the printed precision) and where it comes from (a
:class:`~analysis.claims.text.Text`, written in each language).

A claim's outcome comes in two steps. Its check gives a :class:`Result` whose verdict says what
the numbers show (:data:`VERDICTS`: consistent, inconsistent, not checkable). The registry then
triages it (:data:`OUTCOMES`, :func:`outcome`): an inconsistency is an *error* (a printed number or
fact that is wrong), or *minor* when the registry explains that it lies within the printed
precision (a rounding gap); a claim the registry puts a question on is a *query*, whatever its
check found (its meaning or basis is for the authors to clarify).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

from analysis import paths
from analysis.claims.text import Text
from analysis.precision import parse_printed
from analysis.tables import TABLES as _TABLE_SPECS

#: What a check can find.
VERDICTS = ("consistent", "inconsistent", "not_checkable")
#: What a claim is in the end, in the order the pages show them: errors, queries, minor points,
#: then the consistent and the not checkable claims.
OUTCOMES = ("error", "query", "minor", "consistent", "not_checkable")
#: The outcomes that go into the errata letter.
ERRATA_OUTCOMES = ("error", "query", "minor")

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
    """A difference with its sign always written ('+30', '-3'), as :func:`as_text` writes the number."""
    text = as_text(value, decimals)
    return text if text.startswith("-") else f"+{text}"


@dataclass(frozen=True)
class Quantity:
    """A number a check uses: exact, as printed, and where it comes from (None: the claim itself)."""

    value: Decimal
    printed: str
    source: Text | None = None

    @property
    def decimals(self) -> int:
        text = "".join(self.printed.split()).rstrip("%").replace(",", ".")
        return len(text.split(".", 1)[1]) if "." in text else 0


@dataclass(frozen=True)
class PageRef:
    """The article's own page(s) a claim stands on: ``first`` to ``last``; None where the text
    extraction does not tell (it marks only some page breaks): (None, 70) is 'p. 70 or earlier',
    (71, None) 'p. 71 or later'."""

    first: int | None
    last: int | None

    def key(self) -> str:
        """The translation key that writes it (``claims_page_*``) with its values."""
        if self.first is not None and self.first == self.last:
            return "claims_article_page"
        if self.first is not None and self.last is not None:
            return "claims_article_pages"
        return "claims_article_page_from" if self.first is not None else "claims_article_page_until"


@dataclass(frozen=True)
class Claim:
    """One statement of the article that prints a number or a legal fact, as the registry records it."""

    id: str
    section: str
    paragraph: int | str
    quote: str
    reported: tuple[str, ...]
    check: str
    args: dict = field(default_factory=dict)
    lang: str = "kk"
    #: The source the sentence cites (``[14]``) and that source's page (``278``).
    cited: str = ""
    page: int | None = None
    #: What the statement says, by language (``en`` always, ``ru``; ``kk`` where the quote is not Kazakh).
    statement: dict = field(default_factory=dict)
    #: How else the statement can be read, by language (the caveat).
    ambiguity: dict = field(default_factory=dict)
    stat_ids: tuple[str, ...] = ()
    #: The correction, by language (templates filled from the check's values): errors and minor points.
    errata: dict = field(default_factory=dict)
    #: The question to put to the authors, by language: the claim is a query.
    query: dict = field(default_factory=dict)
    #: Why an inconsistency lies within the printed precision, by language: the claim is minor.
    minor: dict = field(default_factory=dict)
    #: The article's page(s), from the page breaks the registry records.
    article_page: PageRef | None = None

    @property
    def statement_en(self) -> str:
        return self.statement.get("en", "")


@dataclass(frozen=True)
class Result:
    """What a check found: its verdict, the recomputed value, the evidence (sentences written in
    every language), the difference and the named values an erratum template may use."""

    verdict: str
    recomputed: str = ""
    evidence: tuple[Text, ...] = ()
    difference: str = ""
    #: Named values an errata template may use ({reported}, {recomputed}, {difference}, ...).
    values: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; use one of {VERDICTS}")

    def evidence_in(self, lang: str) -> str:
        """The evidence written in ``lang``."""
        from analysis.claims.text import render

        return render(self.evidence, lang)

    @property
    def detail(self) -> str:
        """The evidence in English."""
        return self.evidence_in("en")


def outcome(claim: Claim, result: Result) -> str:
    """The claim's place in the errata (one of :data:`OUTCOMES`): a query when the registry puts a
    question to the authors; minor when the check finds an inconsistency the registry explains as
    within the printed precision; an error for any other inconsistency; else the check's verdict."""
    if claim.query:
        return "query"
    if result.verdict == "inconsistent":
        return "minor" if claim.minor else "error"
    return result.verdict

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
    year: int = paths.ARTICLE_YEAR
    #: The corrections applied to the printed extracts (``processed/corrections_log.csv``).
    corrections: pd.DataFrame | None = None

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
            return Quantity(parse_printed(printed), printed, None)
        if "claim" in ref:
            other = self.claims[ref["claim"]]
            printed = other.reported[int(ref.get("index", 0))]
            return Quantity(parse_printed(printed), printed, Text("claims_src_claim", {"claim": other.id}))
        if "literal" in ref:
            printed = str(ref["literal"])
            return Quantity(parse_printed(printed), printed, Text("claims_src_words"))
        if "sum" in ref:
            parts = [self.resolve(r, claim) for r in ref["sum"]]
            total = sum((p.value for p in parts), Decimal(0))
            return Quantity(total, as_text(total), Text("claims_src_sum", {"parts": " + ".join(p.printed for p in parts)}))
        return self._table_value(ref)

    def region_names(self, iso: str) -> dict[str, str]:
        """The region's name in every language (``{lang: name}``)."""
        return {lang: self.region_name(iso, lang) for lang in ("kk", "ru", "en")}

    def _table_value(self, ref: dict) -> Quantity:
        name, region, column = ref["table"], ref["region"], ref["column"]
        if region == "total":
            resource = TABLES[name]["resource"].format(year=self.year)
            totals = self.printed_totals
            rows = totals[(totals["resource"] == resource) & (totals["column"] == column)]
            if len(rows) != 1:
                raise KeyError(f"no printed total for {resource}, column {column}")
            printed = str(rows.iloc[0]["printed_as"])
            return Quantity(parse_printed(printed), printed,
                            Text("claims_src_total_row", {"table": Text(f"claims_table_{name}"),
                                                          "column": Text(f"claims_column_{column}")}))
        frame = self.table(name)
        rows = frame[frame["region_iso"] == region]
        if len(rows) != 1:
            raise KeyError(f"{TABLES[name]['label']} has no (single) row for region {region}")
        printed = str(rows.iloc[0][column])
        return Quantity(parse_printed(printed), printed,
                        Text("claims_src_cell", {"table": Text(f"claims_table_{name}"), "region": self.region_names(region),
                                                 "column": Text(f"claims_column_{column}")}))
