"""The public source of every legal fact: ``data/raw/legal_sources.csv``.

``data/raw/legal_acts.csv`` holds facts about the acts the article names (dates, instruments,
periods, targets). They were first recorded from memory; each one has since been looked up among
stored public pages (the UN, adilet.zan.kz, UNESCO, government and news sites) and
``legal_sources.csv`` records the outcome, one row per fact (``act_id`` x ``field``):

``status``
    ``verified``: a *primary* page states the value: the issuing body's own page or a recognised
    legal database (:data:`PRIMARY_DOMAINS`; URL, the document's own identifier, a short quote);
    ``corroborated``: only secondary pages (mirrors, news, other sites) state it;
    ``corrected``: a primary page stated another value, the fact was corrected to it, and the value
    first recorded is kept in ``replaced_value``; ``unverified``: no stored page states it, or the
    pages disagree among themselves (then both are quoted); ``searched`` says where it was looked for.
``verified_part``
    ``whole``; ``year`` when the sources confirm only the year of a recorded date (the deposit day
    of the CRC's ratification); ``derived`` when the value follows from what the source states by a
    rule the ``note`` gives (a deposit date from the entry into force); ``none`` for an unverified
    fact. A partial fact's ``note`` says what was and was not verified.
``quote_lang``, ``translation_kk``, ``translation_ru``, ``translation_en``
    the language of each quote and its translation into the other languages (each separated by
    ``' | '`` like the quotes; empty where the quote is in that language), so that every page shows
    a quote in another language with its translation beside it;
``note``, ``note_kk``, ``note_ru``
    the note in English, Kazakh and Russian.

A source's kind comes from its URL's domain (:func:`source_kind`), never from what a row says;
a source's title names its site, and the site must be the URL's (:func:`title_problem`).

:func:`validate` refuses, with the file, line and column, a fact of ``legal_acts.csv`` without a
row here, a row whose value differs from the fact, a verified row without an http(s) URL, an
identifier or a quote, and an act whose ``confidence`` or ``source_url`` does not match its rows.
:meth:`LegalSource.supports` is what the ``legal_fact`` check asks before it may call a claim
consistent or inconsistent: a claim that rests on an unverified fact is ``not_checkable``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.claims.legal_text import act_title, counts, fact_value  # noqa: F401  (counts: part of this module's interface)
from analysis.claims.primary import PRIMARY_DOMAINS, domain, source_kind, title_problem  # noqa: F401  (part of this module's interface)
from analysis.errors import RawDataError

#: The columns of ``legal_acts.csv`` that state facts (each non-empty one needs a source row).
FACT_FIELDS = ("adopted_by", "adoption_date", "adoption_instrument", "period", "kz_signature_date", "kz_action",
               "kz_action_date", "kz_instrument", "key_provision", "target_indicator", "target_value")
STATUSES = ("verified", "corroborated", "corrected", "unverified")
#: The statuses whose value a public source states.
SOURCED = ("verified", "corroborated", "corrected")
#: The statuses whose value a primary source states.
PRIMARY_STATUSES = ("verified", "corrected")
PARTS = ("whole", "year", "derived", "none")
LANGS = ("kk", "ru", "en")
#: ``legal_fact`` comparisons that read only the year of a date (a year-only source supports them).
YEAR_MATCHES = ("year", "decade")
#: Separators of several URLs (and their titles) and of their quotes, in that order.
URL_SEP, QUOTE_SEP = " ; ", " | "
#: ``legal_acts.csv``'s ``confidence``: every fact verified in whole by a primary source, some
#: sourced, or none.
CONFIDENCE = ("verified", "partly_verified", "unverified")
#: The columns of ``results/claims/legal_sources.csv`` (one row per fact, with the claims using it).
OUTPUT_COLUMNS = ["act_id", "title_kk", "title_ru", "title_en", "field", "value", "value_kk", "value_ru", "value_en",
                  "status", "verified_part", "replaced_value", "source_url", "source_kind", "source_title", "identifier",
                  "quote", "quote_lang", "translation_kk", "translation_ru", "translation_en", "quote_rechecked",
                  "searched", "note", "note_kk", "note_ru", "claim_ids"]


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
    quote_langs: tuple[str, ...] = ()
    #: {lang: (translation of each quote, "" where the quote is in that language)}
    translations: dict = field(default_factory=dict)
    searched: str = ""
    notes: dict = field(default_factory=dict)

    @property
    def sourced(self) -> bool:
        return self.status in SOURCED

    @property
    def kinds(self) -> tuple[str, ...]:
        """``primary`` or ``secondary`` for each URL, from its domain."""
        return tuple(source_kind(u) for u in self.urls)

    def supports(self, match: str = "exact") -> bool:
        """Does the source back a comparison by ``match`` (a ``legal_fact`` match)? A year-only
        source backs only comparisons of the year; a derived value backs an exact comparison only
        as far as its rule holds, so it backs none but the year's."""
        return self.sourced and (self.verified_part == "whole"
                                 or (self.verified_part in ("year", "derived") and match in YEAR_MATCHES))

    def note_in(self, lang: str) -> str:
        """The note in ``lang``."""
        return self.note if lang == "en" else self.notes.get(lang, "")

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


def _cells(text: str, n: int) -> tuple[str, ...]:
    """``n`` cells separated by ``' | '`` (empty cells kept: a quote in that language has none)."""
    parts = [part.strip() for part in str(text).split(QUOTE_SEP.strip())] if str(text).strip() else []
    return tuple(parts) + ("",) * (n - len(parts))


def _is_http(url: str) -> bool:
    return (url.startswith("http://") or url.startswith("https://")) and " " not in url and len(url) > len("https://x")


def _row_problem(src: LegalSource) -> tuple[str, str] | None:
    """(column, problem) of one row on its own, or None."""
    expected_part = {"verified": ("whole", "year", "derived"), "corroborated": ("whole", "year", "derived"),
                     "corrected": ("whole",), "unverified": ("none",)}[src.status]
    if src.verified_part not in expected_part:
        return "verified_part", f"a {src.status} fact needs verified_part {' or '.join(expected_part)}, found {src.verified_part!r}"
    if src.status == "corrected" and not src.replaced_value:
        return "replaced_value", "a corrected fact keeps the value first recorded, different from the new value"
    if src.replaced_value and (src.status not in ("corrected", "corroborated") or src.replaced_value == src.value):
        return "replaced_value", (f"only a fact changed to what a source states (corrected, or corroborated) keeps a "
                                  f"replaced value different from the new one (status is {src.status})")
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
    for title, url in zip(src.titles, src.urls, strict=False):
        problem = title_problem(title, url)
        if problem:
            return "source_title", problem
    if src.status in PRIMARY_STATUSES and "primary" not in src.kinds:
        return "status", (f"a {src.status} fact needs a primary source (a page of {', '.join(PRIMARY_DOMAINS)}); "
                          f"{', '.join(map(domain, src.urls)) or 'no page'} can only corroborate it: "
                          "mark it corroborated")
    if src.status == "corroborated" and "primary" in src.kinds:
        return "status", "a primary source states this fact: mark it verified"
    if len(src.quote_langs) != len(src.quotes) or any(len(q) != 2 or not q.isalpha() for q in src.quote_langs):
        return "quote_lang", (f"give the language (a two-letter code: kk, ru, en, es, ...) of each of the {len(src.quotes)} "
                              f"quote(s), separated by '{QUOTE_SEP}'")
    for lang in LANGS:
        given = src.translations.get(lang, ())
        for i, quote_lang in enumerate(src.quote_langs):
            has = i < len(given) and given[i].strip()
            if quote_lang != lang and not has:
                return f"translation_{lang}", f"quote {i + 1} is in {quote_lang}: give its translation into {lang}"
            if quote_lang == lang and has:
                return f"translation_{lang}", f"quote {i + 1} is already in {lang}: leave its translation empty"
    if src.status == "unverified" and not src.searched:
        return "searched", "an unverified fact says where it was looked for (sites and search terms)"
    if (src.status != "verified" or src.verified_part != "whole") and not src.note:
        return "note", f"a {src.status} fact ({src.verified_part}) needs a note saying what was and was not verified"
    if src.note and not all(src.notes.get(lang) for lang in ("kk", "ru")):
        return "note_kk" if not src.notes.get("kk") else "note_ru", "the note needs its Kazakh and Russian versions"
    return None


def confidence(sources: list[LegalSource]) -> str:
    """An act's confidence from its facts: all verified in whole by a primary source, none sourced,
    or in between."""
    if sources and all(s.status in PRIMARY_STATUSES and s.verified_part == "whole" for s in sources):
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
                          quote_rechecked=str(r["quote_rechecked"]), note=str(r["note"]), line=int(line),
                          quote_langs=_split(r["quote_lang"], QUOTE_SEP),
                          translations={lang: _cells(r[f"translation_{lang}"], len(_split(r["quote"], QUOTE_SEP)))
                                        for lang in LANGS},
                          searched=str(r["searched"]), notes={"kk": str(r["note_kk"]), "ru": str(r["note_ru"])})
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
    """``results/claims/legal_sources.csv``: every fact with its source, written in every language,
    and the claims using it (``uses``: (act_id, field) -> claim ids), in the order of
    ``legal_sources.csv``."""
    titles = dict(zip(acts["act_id"], acts["title_en"], strict=True))
    rows = []
    for s in sources.values():
        title, value = act_title(s.act_id, titles.get(s.act_id, "")), fact_value(s.act_id, s.field, s.value)
        rows.append({"act_id": s.act_id, **{f"title_{lang}": title[lang] for lang in LANGS}, "field": s.field,
                     "value": s.value, **{f"value_{lang}": value[lang] for lang in LANGS}, "status": s.status,
                     "verified_part": s.verified_part, "replaced_value": s.replaced_value, "source_url": s.url,
                     "source_kind": URL_SEP.join(s.kinds), "source_title": s.title, "identifier": s.identifier,
                     "quote": s.quote, "quote_lang": QUOTE_SEP.join(s.quote_langs),
                     **{f"translation_{lang}": QUOTE_SEP.join(s.translations.get(lang, ())) if s.quotes else ""
                        for lang in LANGS},
                     "quote_rechecked": s.quote_rechecked, "searched": s.searched, "note": s.note,
                     "note_kk": s.notes.get("kk", ""), "note_ru": s.notes.get("ru", ""),
                     "claim_ids": "; ".join(uses.get((s.act_id, s.field), []))})
    return pd.DataFrame(rows, columns=OUTPUT_COLUMNS)
