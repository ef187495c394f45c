"""The public source of every legal fact: ``data/raw/legal_sources.csv``.

``data/raw/legal_acts.csv`` holds facts about the acts the article names (dates, instruments,
periods, targets). They were first recorded from memory; each one has since been looked up among
stored public pages (the UN, adilet.zan.kz, UNESCO, government and news sites) and
``legal_sources.csv`` records the outcome, one row per fact (``act_id`` x ``field``):

``status``
    ``verified``: a public page states the value (URL, the document's own identifier, a short
    quote); ``corrected``: a page stated another value, the fact was corrected to it, and the
    value first recorded is kept in ``replaced_value``; ``unverified``: no stored page states it,
    or the pages disagree among themselves (then both are quoted), and the ``note`` says which.
``verified_part``
    ``whole``, or ``year`` when the source confirms only the year of a recorded date (the
    deposit day of the CRC's ratification); ``none`` for an unverified fact.

:func:`validate` refuses, with the file, line and column, a fact of ``legal_acts.csv`` without a
row here, a row whose value differs from the fact, a verified row without an http(s) URL, an
identifier or a quote, and an act whose ``confidence`` or ``source_url`` does not match its rows.
:meth:`LegalSource.supports` is what the ``legal_fact`` check asks before it may call a claim
consistent or inconsistent: a claim that rests on an unverified fact is ``not_checkable``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import RawDataError

#: The columns of ``legal_acts.csv`` that state facts (each non-empty one needs a source row).
FACT_FIELDS = ("adopted_by", "adoption_date", "adoption_instrument", "period", "kz_signature_date", "kz_action",
               "kz_action_date", "kz_instrument", "key_provision", "target_indicator", "target_value")
STATUSES = ("verified", "corrected", "unverified")
#: The statuses whose value a public source states.
SOURCED = ("verified", "corrected")
PARTS = ("whole", "year", "none")
#: ``legal_fact`` comparisons that read only the year of a date (a year-only source supports them).
YEAR_MATCHES = ("year", "decade")
#: Separators of several URLs (and their titles) and of their quotes, in that order.
URL_SEP, QUOTE_SEP = " ; ", " | "
#: ``legal_acts.csv``'s ``confidence``: every fact sourced, some, or none.
CONFIDENCE = ("verified", "partly_verified", "unverified")
#: The columns of ``results/claims/legal_sources.csv`` (one row per fact, with the claims using it).
OUTPUT_COLUMNS = ["act_id", "title_en", "title_ru", "field", "value", "status", "verified_part", "replaced_value", "source_url",
                  "source_title", "identifier", "quote", "quote_rechecked", "note", "claim_ids"]


@dataclass(frozen=True)
class LegalSource:
    act_id: str
    field: str
    value: str
    status: str
    verified_part: str
    replaced_value: str = ""
    urls: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    identifier: str = ""
    quotes: tuple[str, ...] = ()
    quote_rechecked: str = "no"
    note: str = ""
    line: int | None = None

    @property
    def sourced(self) -> bool:
        return self.status in SOURCED

    def supports(self, match: str = "exact") -> bool:
        """Does the source back a comparison by ``match`` (a ``legal_fact`` match)? A year-only
        source backs only comparisons of the year."""
        return self.sourced and (self.verified_part == "whole"
                                 or (self.verified_part == "year" and match in YEAR_MATCHES))

    @property
    def url(self) -> str:
        return URL_SEP.join(self.urls)

    @property
    def quote(self) -> str:
        return QUOTE_SEP.join(self.quotes)

    @property
    def title(self) -> str:
        return URL_SEP.join(self.titles)

    def cited(self) -> str:
        """'A/RES/44/25 <http://...>' for the errata and the report (URLs in angle brackets)."""
        links = " ".join(f"<{u}>" for u in self.urls)
        return f"{self.identifier} {links}".strip()


def _split(text: str, sep: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in str(text).split(sep) if part.strip())


def _is_http(url: str) -> bool:
    return (url.startswith("http://") or url.startswith("https://")) and " " not in url and len(url) > len("https://x")


def _row_problem(src: LegalSource) -> tuple[str, str] | None:
    """(column, problem) of one row on its own, or None."""
    expected_part = {"verified": ("whole", "year"), "corrected": ("whole",), "unverified": ("none",)}[src.status]
    if src.verified_part not in expected_part:
        return "verified_part", f"a {src.status} fact needs verified_part {' or '.join(expected_part)}, found {src.verified_part!r}"
    if src.status == "corrected":
        if not src.replaced_value or src.replaced_value == src.value:
            return "replaced_value", "a corrected fact keeps the value first recorded, different from the new value"
    elif src.replaced_value:
        return "replaced_value", f"only a corrected fact has a replaced value (status is {src.status})"
    bad = next((u for u in src.urls if not _is_http(u)), None)
    if bad is not None:
        return "source_url", f"not an http(s) URL: {bad!r} (several URLs are separated by '{URL_SEP}')"
    if src.sourced:
        if not src.urls:
            return "source_url", f"a {src.status} fact needs the URL of the page that states it"
        if not src.identifier:
            return "identifier", f"a {src.status} fact needs the document's own identifier"
        if not src.quotes:
            return "quote", f"a {src.status} fact needs a short quote from the page"
    if src.urls and len(src.quotes) != len(src.urls):
        return "quote", (f"{len(src.urls)} URL(s) but {len(src.quotes)} quote(s): give one quote per URL, "
                         f"separated by '{QUOTE_SEP}'")
    if src.titles and len(src.titles) != len(src.urls):
        return "source_title", f"{len(src.urls)} URL(s) but {len(src.titles)} title(s), separated by '{URL_SEP}'"
    if src.status != "verified" and not src.note:
        return "note", f"a {src.status} fact needs a note saying why (the evidence, or what was searched)"
    return None


def confidence(sources: list[LegalSource]) -> str:
    """An act's confidence from its facts: all sourced in whole, none sourced, or in between."""
    if sources and all(s.supports("exact") for s in sources):
        return "verified"
    if not any(s.sourced for s in sources):
        return "unverified"
    return "partly_verified"


def source_urls(sources: list[LegalSource]) -> str:
    """An act's ``source_url``: the distinct URLs of its sourced facts, in the order of their rows."""
    urls = []
    for src in sources:
        if src.sourced:
            urls += [u for u in src.urls if u not in urls]
    return URL_SEP.join(urls)


def validate(frame: pd.DataFrame, file: str | Path, acts: pd.DataFrame, acts_file: str | Path
             ) -> dict[tuple[str, str], LegalSource]:
    """The rows of ``legal_sources.csv`` (text, indexed by line) checked against themselves and
    against ``legal_acts.csv`` (text, indexed by line); the first problem stops with its file,
    line and column. Returns the sources by (act_id, field)."""
    acts_by_id = {str(r["act_id"]): (line, r) for line, r in acts.iterrows()}
    sources: dict[tuple[str, str], LegalSource] = {}
    for line, r in frame.iterrows():
        act, field = str(r["act_id"]), str(r["field"])
        label = f"{act} {field}"

        def fail(column: str, message: str, line=line, label=label):
            raise RawDataError(file, message, line=line, column=column, row_label=label)

        if act not in acts_by_id:
            fail("act_id", f"unknown act {act!r}; legal_acts.csv has {sorted(acts_by_id)}")
        if field not in FACT_FIELDS:
            fail("field", f"unknown field {field!r}; use one of {list(FACT_FIELDS)}")
        if (act, field) in sources:
            fail("field", f"a second row for {label} (first on line {sources[(act, field)].line})")
        if r["status"] not in STATUSES:
            fail("status", f"unknown status {r['status']!r}; use one of {list(STATUSES)}")
        if r["verified_part"] not in PARTS:
            fail("verified_part", f"unknown part {r['verified_part']!r}; use one of {list(PARTS)}")
        if r["quote_rechecked"] not in ("yes", "no"):
            fail("quote_rechecked", f"must be yes or no, found {r['quote_rechecked']!r}")
        act_line, act_row = acts_by_id[act]
        recorded = str(act_row[field])
        if str(r["value"]) != recorded:
            fail("value", f"{r['value']!r} differs from data/raw/legal_acts.csv, line {act_line}, column {field!r} "
                          f"({recorded!r}); the row must hold the fact as legal_acts.csv records it")
        src = LegalSource(act_id=act, field=field, value=str(r["value"]), status=str(r["status"]),
                          verified_part=str(r["verified_part"]), replaced_value=str(r["replaced_value"]),
                          urls=_split(r["source_url"], URL_SEP), titles=_split(r["source_title"], URL_SEP),
                          identifier=str(r["identifier"]), quotes=_split(r["quote"], QUOTE_SEP),
                          quote_rechecked=str(r["quote_rechecked"]), note=str(r["note"]), line=int(line))
        found = _row_problem(src)
        if found:
            fail(*found)
        sources[(act, field)] = src
    for act, (act_line, act_row) in acts_by_id.items():
        for field in FACT_FIELDS:
            if str(act_row.get(field, "")).strip() and (act, field) not in sources:
                raise RawDataError(acts_file, f"this fact has no row in {Path(file).name} (give its source, or mark it "
                                              "unverified with a note)", line=act_line, column=field, row_label=act)
        own = [s for s in sources.values() if s.act_id == act]
        for column, derived in (("confidence", confidence(own)), ("source_url", source_urls(own))):
            if str(act_row[column]) != derived:
                raise RawDataError(acts_file, f"{act_row[column]!r} does not match the act's rows in "
                                              f"{Path(file).name}, which give {derived!r}",
                                   line=act_line, column=column, row_label=act)
    return sources


def output_frame(sources: dict[tuple[str, str], LegalSource], acts: pd.DataFrame,
                 uses: dict[tuple[str, str], list[str]]) -> pd.DataFrame:
    """``results/claims/legal_sources.csv``: every fact with its source and the claims using it
    (``uses``: (act_id, field) -> claim ids), in the order of ``legal_sources.csv``."""
    titles = dict(zip(acts["act_id"], acts["title_en"], strict=True))
    titles_ru = dict(zip(acts["act_id"], acts["title_ru"], strict=True))
    rows = [{"act_id": s.act_id, "title_en": titles[s.act_id], "title_ru": titles_ru[s.act_id], "field": s.field,
             "value": s.value, "status": s.status, "verified_part": s.verified_part, "replaced_value": s.replaced_value, "source_url": s.url,
             "source_title": s.title, "identifier": s.identifier, "quote": s.quote,
             "quote_rechecked": s.quote_rechecked, "note": s.note,
             "claim_ids": "; ".join(uses.get((s.act_id, s.field), []))} for s in sources.values()]
    return pd.DataFrame(rows, columns=OUTPUT_COLUMNS)


def counts(sources: dict[tuple[str, str], LegalSource]) -> pd.DataFrame:
    """Facts by act and status (verified facts split by the part verified), with a total row."""
    frame = pd.DataFrame({"act_id": [s.act_id for s in sources.values()],
                          "status": [s.status if s.verified_part != "year" else "verified (year only)"
                                     for s in sources.values()]})
    columns = ["verified", "verified (year only)", "corrected", "unverified"]
    table = pd.crosstab(frame["act_id"], frame["status"]).reindex(columns=columns, fill_value=0)
    table = table.reindex(list(dict.fromkeys(frame["act_id"])))
    table.loc["total"] = table.sum(axis=0)
    return table.rename_axis("act_id").reset_index().rename_axis(None, axis=1)
