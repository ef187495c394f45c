"""Reading and validating the claims registry, the reference table of legal acts with the sources
of its facts, and the token list, and building the check context from the processed data.

``data/raw/claims.yml`` holds: ``article`` (citation, DOI, journal, and the page breaks the text
extraction shows), ``edition`` (the version and date of this edition of the report and errata:
set by the maintainers when they release, never taken from the clock), ``year``, ``sections`` (ids
in reading order) and ``claims``. A claim is a mapping with

- ``id``, ``section``, ``paragraph`` (number within the section, or a label such as
  ``"Table 2, row Алматы"``), optional ``cited`` (the source the sentence cites, ``[14]``) and
  ``page`` (the page of that source the article gives);
- ``lang`` and ``quote`` (the original-language text); ``statement_en`` and ``statement_ru``
  (what it says, in English and Russian; text claims), ``statement_kk`` where the quote is not Kazakh;
- ``reported``: the printed values, as printed (their decimals are the printed precision); a year
  or a list number that only dates or numbers the statement is context, not a printed value;
- ``check``: ``{name: <one of analysis.claims.checks.CHECKS>, args: {...}}``; an argument that is
  a text for a reader (``needs``, ``reason``, ``unchecked``, ``scope_note``) is given in ``kk``,
  ``ru`` and ``en``;
- optional ``ambiguity`` (``kk``, ``ru``, ``en``: how else the statement can be read, the caveat),
  ``stat_ids`` (rows of ``national_indicators.csv`` it prints), ``errata`` (``kk``, ``ru``, ``en``
  templates of the correction, used when the claim is an error or a minor point; ``{placeholders}``
  are filled from the check's values), ``query`` (``kk``, ``ru``, ``en``: the question to put to the
  authors where the statement's meaning or basis is for them to clarify; the claim is then a
  query, whatever its check finds, and proposes no correction), ``minor`` (``kk``, ``ru``, ``en``:
  why an inconsistency lies within the printed precision; the claim is then a minor point).

Validation is strict: an unknown key, section, check name or argument, a reference of an
unknown kind, an index out of range or a reference to an unknown claim stops with a message
naming the claim.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.claims import legal_sources
from analysis.claims.checks import CHECKS
from analysis.claims.model import REF_KINDS, TABLES, Claim, Context, PageRef
from analysis.errors import RawDataError
from analysis.i18n import LANGUAGES
from analysis.ingest import gate
from analysis.ingest.load import load_processed
from analysis.precision import parse_printed

#: The raw resources the registry reads (data/datapackage.json), each through the gate.
CLAIMS_RESOURCE, LEGAL_RESOURCE, TOKENS_RESOURCE = "claims", "legal-acts", "article-number-tokens"
LEGAL_SOURCES_RESOURCE = "legal-sources"
CLAIMS_FILE = "claims.yml"
CLAIM_KEYS = {"id", "section", "paragraph", "cited", "page", "lang", "quote", "statement_en", "statement_ru",
              "statement_kk", "reported", "check", "ambiguity", "stat_ids", "errata", "query", "minor"}
#: Check arguments that are texts for a reader: given in every language.
TEXT_ARGS = ("needs", "reason", "unchecked", "scope_note")
#: Sections whose claims are table cells or captions (their statement is the table's own row).
TABLE_SECTIONS = ("table1", "table2")
REQUIRED_KEYS = {"id", "section", "paragraph", "quote", "reported", "check"}
ID_PATTERN = re.compile(r"^[A-Z][A-Za-z0-9-]*$")
#: Arguments that hold references to numbers (validated as such).
REF_ARGS = {"numerator", "denominator", "share", "total", "n", "table_value", "text", "original", "restated",
            "value", "bound", "part", "whole", "start", "end", "first", "second"}
REF_LIST_ARGS = {"parts", "shares"}


class RegistryError(ValueError):
    """The claims registry is malformed (the message names the claim; ``index`` is the claim's
    position in the registry's list, so that :func:`load_registry` can name its line)."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


def _check_ref(ref, claim_id: str, n_reported: int, ids: set[str], where: str) -> None:
    if not isinstance(ref, dict) or len(set(ref) & set(REF_KINDS)) != 1:
        raise RegistryError(f"claim {claim_id}: {where} must be one reference of kind {REF_KINDS}, got {ref!r}")
    if "reported" in ref and not 0 <= int(ref["reported"]) < n_reported:
        raise RegistryError(f"claim {claim_id}: {where} refers to reported value {ref['reported']}, out of range")
    if "claim" in ref and ref["claim"] not in ids:
        raise RegistryError(f"claim {claim_id}: {where} refers to unknown claim {ref['claim']!r}")
    if "table" in ref:
        if ref["table"] not in TABLES or not {"region", "column"} <= set(ref):
            raise RegistryError(f"claim {claim_id}: {where} must name a known table, a region and a column")
    if "literal" in ref:
        parse_printed(ref["literal"])
    if "sum" in ref:
        for i, part in enumerate(ref["sum"]):
            _check_ref(part, claim_id, n_reported, ids, f"{where}.sum[{i}]")


def _page(cid: str, page) -> int | None:
    if page is None:
        return None
    if isinstance(page, bool) or not isinstance(page, int) or page <= 0:
        raise RegistryError(f"claim {cid}: page must be a positive whole number")
    return page


def validate_claim(raw: dict, ids: set[str], sections: set[str]) -> Claim:
    """One registry entry checked (keys, section, check and its arguments, references, texts in
    every language) and made a :class:`~analysis.claims.model.Claim`; a problem is a RegistryError
    naming the claim."""
    cid = raw.get("id", "?")
    unknown = set(raw) - CLAIM_KEYS
    if unknown:
        raise RegistryError(f"claim {cid}: unknown keys {sorted(unknown)}")
    missing = REQUIRED_KEYS - set(raw)
    if missing:
        raise RegistryError(f"claim {cid}: missing keys {sorted(missing)}")
    if not ID_PATTERN.match(str(cid)):
        raise RegistryError(f"claim {cid}: id must match {ID_PATTERN.pattern}")
    if raw["section"] not in sections:
        raise RegistryError(f"claim {cid}: unknown section {raw['section']!r}")
    reported = raw["reported"]
    if not isinstance(reported, list) or not reported or not all(isinstance(v, str) for v in reported):
        raise RegistryError(f"claim {cid}: 'reported' must be a non-empty list of strings (as printed)")
    spec = raw["check"]
    if not isinstance(spec, dict) or set(spec) - {"name", "args"} or "name" not in spec:
        raise RegistryError(f"claim {cid}: 'check' must be {{name: ..., args: {{...}}}}")
    name, args = spec["name"], spec.get("args") or {}
    if name not in CHECKS:
        raise RegistryError(f"claim {cid}: unknown check {name!r}; known: {sorted(CHECKS)}")
    try:
        inspect.signature(CHECKS[name]).bind(None, None, **args)
    except TypeError as err:
        raise RegistryError(f"claim {cid}: arguments of {name}: {err}") from None
    for key, arg in args.items():
        if key in REF_ARGS and isinstance(arg, dict):
            _check_ref(arg, cid, len(reported), ids, key)
        if key in REF_LIST_ARGS:
            for i, ref in enumerate(arg):
                _check_ref(ref, cid, len(reported), ids, f"{key}[{i}]")
    texts = {key: _in_every_language(cid, key, raw.get(key)) for key in ("errata", "query", "minor", "ambiguity")}
    for key in TEXT_ARGS:
        if key in args:
            args[key] = _in_every_language(cid, f"check argument {key}", args[key])
    if texts["query"] and texts["minor"]:
        raise RegistryError(f"claim {cid}: a claim is a query or a minor point, not both")
    lang = raw.get("lang", "kk")
    statement = {code: " ".join(str(raw[f"statement_{code}"]).split()) for code in LANGUAGES if raw.get(f"statement_{code}")}
    if raw["section"] not in TABLE_SECTIONS:
        needed = {"en", "ru"} | ({"kk"} if lang != "kk" else set())
        missing_text = sorted(needed - set(statement))
        if missing_text:
            raise RegistryError(f"claim {cid}: what the statement says is needed in {', '.join(missing_text)} "
                                f"(statement_{missing_text[0]})")
    return Claim(
        id=cid, section=raw["section"], paragraph=raw["paragraph"], quote=str(raw["quote"]).strip(),
        reported=tuple(reported), check=name, args=dict(args), lang=lang,
        cited=raw.get("cited", "") or "", page=_page(cid, raw.get("page")), statement=statement,
        ambiguity=texts["ambiguity"], stat_ids=tuple(raw.get("stat_ids") or ()), errata=texts["errata"],
        query=texts["query"], minor=texts["minor"],
    )


def _in_every_language(cid: str, key: str, value) -> dict:
    """A text for a reader as ``{kk, ru, en}``, whitespace collapsed; empty when absent."""
    if value is None or value == "" or value == {}:
        return {}
    if not isinstance(value, dict) or set(value) != set(LANGUAGES):
        raise RegistryError(f"claim {cid}: {key} needs exactly the languages {', '.join(LANGUAGES)}")
    return {k: " ".join(str(v).split()) for k, v in value.items()}


def parse_registry(data: dict) -> tuple[dict, dict[str, Claim]]:
    """(header, claims by id in registry order) from the parsed YAML."""
    if not isinstance(data, dict) or "claims" not in data or "sections" not in data:
        raise RegistryError("the registry needs 'sections' and 'claims'")
    if not isinstance(data["sections"], list) or not all(isinstance(x, dict) and "id" in x for x in data["sections"]):
        raise RegistryError("'sections' must be a list of mappings, each with an 'id'")
    sections = [x["id"] for x in data["sections"]]
    raw_claims = data["claims"]
    if not isinstance(raw_claims, list):
        raise RegistryError("'claims' must be a list of claims")
    for index, raw in enumerate(raw_claims):
        if not isinstance(raw, dict):
            raise RegistryError(f"claim entry {index + 1}: expected a mapping with {sorted(REQUIRED_KEYS)}, "
                                f"found {type(raw).__name__} {str(raw)[:60]!r}", index)
        if "id" not in raw:
            raise RegistryError(f"claim entry {index + 1}: has no 'id' (its keys: {sorted(map(str, raw))})", index)
    ids = [c["id"] for c in raw_claims]
    duplicated = sorted({str(i) for i in ids if ids.count(i) > 1})
    if duplicated:
        raise RegistryError(f"claim ids used twice: {duplicated}", ids.index(duplicated[0]) if duplicated[0] in ids else None)
    claims = {}
    for index, raw in enumerate(raw_claims):
        try:
            claims[raw["id"]] = validate_claim(raw, set(ids), set(sections))
        except RegistryError as err:
            raise RegistryError(str(err), index) from None
        except (TypeError, ValueError, AttributeError, KeyError) as err:  # a value of the wrong kind
            raise RegistryError(f"claim {raw['id']}: {type(err).__name__}: {err}", index) from None
    header = {k: v for k, v in data.items() if k != "claims"}
    breaks = _page_breaks(header, sections)
    claims = {cid: dataclasses.replace(c, article_page=page_of(c, sections, breaks)) for cid, c in claims.items()}
    return header, claims


def _page_breaks(header: dict, sections: list[str]) -> list[tuple[int, str, int]]:
    """The page breaks the registry records (``article.page_breaks``): (page that begins, section,
    paragraph it begins in), in reading order."""
    out = []
    for item in (header.get("article") or {}).get("page_breaks") or []:
        if not isinstance(item, dict) or set(item) != {"page", "section", "paragraph", "split"}:
            raise RegistryError("article.page_breaks: each break is {page, section, paragraph, split}")
        if item["section"] not in sections or not isinstance(item["paragraph"], int) or not isinstance(item["page"], int):
            raise RegistryError(f"article.page_breaks: {item!r} names no known section and paragraph number")
        out.append((item["page"], item["section"], item["paragraph"], bool(item["split"])))
    return out


def _position(section: str, paragraph, sections: list[str]) -> tuple[int, float]:
    """Where a paragraph stands in reading order. Tables and captions are placed by the paragraph
    their label names the section of; a label without a number counts as the section's end."""
    if section in TABLE_SECTIONS and "results" in sections:  # the tables stand inside Results, after its page break
        return sections.index("results"), float("inf")
    return sections.index(section), float(paragraph) if isinstance(paragraph, int) else float("inf")


def page_of(claim: Claim, sections: list[str], breaks) -> PageRef | None:
    """The article's page(s) the claim stands on, from the recorded page breaks: between the break
    before it and the break after it (a paragraph a break splits spans both pages)."""
    if not breaks:
        return None
    here = _position(claim.section, claim.paragraph, sections)
    first, last = None, None
    for page, section, paragraph, split in breaks:
        at = (sections.index(section), float(paragraph))
        if here > at or (here == at and not split):
            first = page
        elif here == at and split:
            first, last = page - 1, page
            return PageRef(first, last)
        else:
            last = page - 1 if last is None else last
            break
    return PageRef(first, last)


def load_registry(raw_dir: str | Path = paths.RAW, package_path: str | Path = paths.DATAPACKAGE
                  ) -> tuple[dict, dict[str, Claim]]:
    """The registry, through the raw-file gate (sha256, canonical text), checked; any problem is a
    RawDataError naming the file, the line of the claim and its id."""
    _, path, data, lines = gate.read_document(CLAIMS_RESOURCE, raw_dir, package_path)
    try:
        return parse_registry(data)
    except RegistryError as err:
        message = str(err)
        claims = data.get("claims") if isinstance(data, dict) else None
        line, item = None, None
        if err.index is not None and isinstance(claims, list):
            line = lines.item(claims, err.index)
            raw = claims[err.index]
            if isinstance(raw, dict) and "id" in raw:
                item = f"claim {raw['id']}"
                message = message.removeprefix(f"claim {raw['id']}: ")
        raise RawDataError(path, message, line=line, item=item) from None


def load_legal_acts(raw_dir: str | Path = paths.RAW, package_path: str | Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """The reference table of legal acts, through the gate (sha256, header, canonical text)."""
    return _as_frame(gate.read_table(LEGAL_RESOURCE, raw_dir, package_path)[2])


def load_legal_sources(raw_dir: str | Path = paths.RAW, package_path: str | Path = paths.DATAPACKAGE
                       ) -> dict[tuple[str, str], legal_sources.LegalSource]:
    """The source (or unverified mark) of every legal fact, through the gate, checked row by row
    and against the reference table of legal acts (see :func:`analysis.claims.legal_sources.validate`)."""
    _, path, frame = gate.read_table(LEGAL_SOURCES_RESOURCE, raw_dir, package_path)
    _, acts_path, acts = gate.read_table(LEGAL_RESOURCE, raw_dir, package_path)
    return legal_sources.validate(frame, path, acts, acts_path)


def load_tokens(raw_dir: str | Path = paths.RAW, package_path: str | Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """The number tokens of the article, through the gate."""
    return _as_frame(gate.read_table(TOKENS_RESOURCE, raw_dir, package_path)[2])


def _as_frame(text: pd.DataFrame) -> pd.DataFrame:
    return text.reset_index(drop=True).astype(str)


def load_context(claims: dict[str, Claim], processed_dir: str | Path = paths.PROCESSED,
                 raw_dir: str | Path = paths.RAW, year: int = paths.ARTICLE_YEAR) -> Context:
    """Processed region tables, printed totals and regions, the legal acts and their sources."""
    tables = {name: load_processed(spec["file"].format(year=year), processed_dir) for name, spec in TABLES.items()}
    return Context(
        tables=tables,
        printed_totals=load_processed(f"printed_totals_{year}.csv", processed_dir),
        regions=load_processed("regions.csv", processed_dir),
        legal_acts=load_legal_acts(raw_dir),
        legal_sources=load_legal_sources(raw_dir),
        claims=claims,
        year=year,
        corrections=load_processed("corrections_log.csv", processed_dir),
    )
