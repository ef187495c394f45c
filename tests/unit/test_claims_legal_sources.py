"""The sources of the legal facts (analysis.claims.legal_sources) and what the legal_fact check does
with them, on small inline tables: every fact needs a source row or an explicit unverified mark,
verified rows need an http(s) URL, an identifier and a quote, and a claim that rests on an
unverified fact is not checkable, never inconsistent."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.claims import legal_sources as ls
from analysis.claims.checks import CHECKS
from analysis.claims.evaluate import REPORT_COLUMNS, Evaluated, legal_uses, report_frame
from analysis.claims.model import Claim, Context
from analysis.errors import RawDataError

ACT_COLUMNS = ["act_id", "title_en", "title_ru", "adoption_date", "adoption_instrument", "period", "kz_action",
               "kz_action_date", "kz_signature_date", "target_value", "source_url", "confidence"]
SOURCE_COLUMNS = ["act_id", "field", "value", "status", "verified_part", "replaced_value", "source_url",
                  "source_title", "identifier", "quote", "quote_lang", "translation_kk", "translation_ru", "translation_en",
                  "quote_rechecked", "searched", "note", "note_kk", "note_ru"]
URL = "https://www.un.org/res"
PROG_URL = "https://adilet.zan.kz/prog"


def acts_frame(changes: dict | None = None) -> pd.DataFrame:
    """Two acts as legal_acts.csv holds them (text, indexed by line)."""
    rows = [{"act_id": "CRC", "title_en": "Convention", "title_ru": "Конвенция", "adoption_date": "1989-11-20",
             "adoption_instrument": "A/RES/44/25", "period": "", "kz_action": "ratification", "kz_action_date": "1994-08-12", "kz_signature_date": "",
             "target_value": "", "source_url": URL, "confidence": "partly_verified"},
            {"act_id": "PROG", "title_en": "Programme", "title_ru": "Программа", "adoption_date": "2010-12-07",
             "adoption_instrument": "", "period": "2011-2020", "kz_action": "", "kz_action_date": "", "kz_signature_date": "",
             "target_value": "70", "source_url": PROG_URL, "confidence": "partly_verified"}]
    for (act, column), value in (changes or {}).items():
        next(r for r in rows if r["act_id"] == act)[column] = value
    return pd.DataFrame(rows, columns=ACT_COLUMNS, index=pd.Index([2, 3], name="line"), dtype=object)


def source(act, field, value, status="verified", part="whole", url=URL, quote="a quote", ident="DOC", note="", old=""):
    searched = ""
    if status == "unverified":
        part, url, quote, ident = "none", "", "", ""
        note = note or "nothing found"
        searched = "adilet.zan.kz; «the act»"
    if part != "whole" and not note:
        note = "the year only"
    site = url.split("://", 1)[-1].split("/", 1)[0].removeprefix("www.") if url else ""
    return {"act_id": act, "field": field, "value": value, "status": status, "verified_part": part,
            "replaced_value": old, "source_url": url, "source_title": f"a page ({site})" if url else "", "identifier": ident,
            "quote": quote, "quote_lang": "en" if quote else "", "translation_kk": "дәйексөз" if quote else "",
            "translation_ru": "цитата" if quote else "", "translation_en": "", "quote_rechecked": "yes",
            "searched": searched, "note": note, "note_kk": "ескерту" if note else "", "note_ru": "примечание" if note else ""}


def sources_frame(*extra, drop=(), **replace) -> pd.DataFrame:
    rows = {("CRC", "adoption_date"): source("CRC", "adoption_date", "1989-11-20"),
            ("CRC", "adoption_instrument"): source("CRC", "adoption_instrument", "A/RES/44/25"),
            ("CRC", "kz_action"): source("CRC", "kz_action", "ratification"),
            ("CRC", "kz_action_date"): source("CRC", "kz_action_date", "1994-08-12", part="year"),
            ("PROG", "adoption_date"): source("PROG", "adoption_date", "2010-12-07", url=PROG_URL),
            ("PROG", "period"): source("PROG", "period", "2011-2020", status="corrected", old="2012-2020",
                                       url=PROG_URL, note="the page says 2011"),
            ("PROG", "target_value"): source("PROG", "target_value", "70", status="unverified")}
    for key in drop:
        rows.pop(key)
    for key, value in replace.items():
        act, field = key.split("__")
        rows[(act, field)] = value
    table = list(rows.values()) + list(extra)
    return pd.DataFrame(table, columns=SOURCE_COLUMNS, index=pd.Index(range(2, 2 + len(table)), name="line"), dtype=object)


def load(sources=None, acts=None):
    return ls.validate(sources if sources is not None else sources_frame(), "legal_sources.csv",
                       acts if acts is not None else acts_frame(), "legal_acts.csv")


def test_a_good_table_loads_with_what_each_source_supports():
    sources = load()
    assert len(sources) == 7
    assert sources[("CRC", "adoption_date")].supports("date")
    year_only = sources[("CRC", "kz_action_date")]
    assert year_only.supports("year") and year_only.supports("decade") and not year_only.supports("date")
    assert sources[("PROG", "period")].supports("exact") and sources[("PROG", "period")].replaced_value == "2012-2020"
    assert not sources[("PROG", "target_value")].supports("exact")
    assert ls.confidence([sources[("PROG", k)] for k in ("adoption_date", "period")]) == "verified"
    assert ls.confidence([sources[("PROG", "target_value")]]) == "unverified"


@pytest.mark.parametrize("frame, column, message", [
    (lambda: sources_frame(drop=[("CRC", "kz_action")]), "kz_action", "has no row in legal_sources.csv"),
    (lambda: sources_frame(source("CRC", "adoption_date", "1989-11-20")), "field", "a second row for CRC adoption_date"),
    (lambda: sources_frame(source("NOPE", "period", "x")), "act_id", "unknown act 'NOPE'"),
    (lambda: sources_frame(source("CRC", "title_en", "Convention")), "field", "unknown field 'title_en'"),
    (lambda: sources_frame(CRC__adoption_date=source("CRC", "adoption_date", "1989-11-21")), "value",
     "differs from data/raw/legal_acts.csv, line 2, column 'adoption_date'"),
    (lambda: sources_frame(CRC__adoption_date=source("CRC", "adoption_date", "1989-11-20", status="probably")),
     "status", "unknown status"),
    (lambda: sources_frame(CRC__adoption_date=source("CRC", "adoption_date", "1989-11-20", url="")), "source_url",
     "needs the URL"),
    (lambda: sources_frame(CRC__adoption_date=source("CRC", "adoption_date", "1989-11-20", url="www.un.org/res")),
     "source_url", "not an http(s) URL"),
    (lambda: sources_frame(CRC__adoption_date=source("CRC", "adoption_date", "1989-11-20", quote="")), "quote",
     "needs a short quote"),
    (lambda: sources_frame(CRC__adoption_date=source("CRC", "adoption_date", "1989-11-20", ident="")), "identifier",
     "needs the document's own identifier"),
    (lambda: sources_frame(CRC__adoption_date=source("CRC", "adoption_date", "1989-11-20", url=f"{URL} ; {URL}2")),
     "quote", "2 URL(s) but 1 quote(s)"),
    (lambda: sources_frame(CRC__adoption_date=source("CRC", "adoption_date", "1989-11-20", part="none")),
     "verified_part", "needs verified_part whole or year"),
    (lambda: sources_frame(PROG__period=source("PROG", "period", "2011-2020", status="corrected", note="x")),
     "replaced_value", "keeps the value first recorded"),
    (lambda: sources_frame(CRC__adoption_date=source("CRC", "adoption_date", "1989-11-20", old="1989-11-21")),
     "replaced_value", "keeps a replaced value"),
    (lambda: sources_frame(PROG__target_value={**source("PROG", "target_value", "70", status="unverified"), "note": ""}),
     "note", "needs a note"),
])
def test_bad_sources_are_refused_naming_file_line_and_column(frame, column, message):
    with pytest.raises(RawDataError, match=re.escape(message)) as err:
        load(frame())
    assert err.value.column == column and err.value.line is not None
    assert str(err.value).startswith(("legal_sources.csv, line", "legal_acts.csv, line"))


def test_an_act_whose_confidence_or_urls_do_not_match_its_rows_is_refused():
    with pytest.raises(RawDataError, match=r"legal_acts.csv, line 2 \(row 'CRC'\), column 'confidence'.*'partly_verified'"):
        load(acts=acts_frame({("CRC", "confidence"): "verified"}))
    with pytest.raises(RawDataError, match="column 'source_url'"):
        load(acts=acts_frame({("PROG", "source_url"): "https://example.org/elsewhere"}))


# -- the check -----------------------------------------------------------------------------------
def claim(cid="R1", errata=None):
    return Claim(id=cid, section="results", paragraph=1, quote="q", reported=("x",), check="legal_fact",
                 errata=errata or {})


@pytest.fixture
def ctx():
    acts = acts_frame().reset_index(drop=True)
    return Context(legal_acts=acts, legal_sources=load())


@pytest.mark.parametrize("act, field, value, match, verdict, status", [
    ("CRC", "adoption_instrument", "44/95", "resolution", "inconsistent", "verified"),
    ("CRC", "adoption_instrument", "44/25", "resolution", "consistent", "verified"),
    ("CRC", "kz_action_date", "1994", "year", "consistent", "verified"),        # year-only source, compared by year
    ("CRC", "kz_action_date", "1995", "year", "inconsistent", "verified"),
    ("CRC", "kz_action_date", "1994-08-12", "date", "not_checkable", "unverified"),  # the day is not sourced
    ("CRC", "kz_action_date", "1994-08-13", "date", "not_checkable", "unverified"),  # never inconsistent
    ("PROG", "period", "2011-2020", "exact", "consistent", "corrected"),
    ("PROG", "target_value", "70", "exact", "not_checkable", "unverified"),
    ("PROG", "target_value", "80", "exact", "not_checkable", "unverified"),      # would differ: still not inconsistent
])
def test_a_claim_on_an_unverified_fact_is_not_checkable(ctx, act, field, value, match, verdict, status):
    result = CHECKS["legal_fact"](claim(), ctx, act=act, field=field, value=value, match=match)
    assert result.verdict == verdict
    assert result.values["source_status"] == status
    if verdict == "not_checkable":
        assert "Checkable with: a public source stating" in result.detail
        assert "would make the claim" in result.detail


def test_without_a_source_table_every_fact_is_unverified(ctx):
    bare = Context(legal_acts=ctx.legal_acts)
    result = CHECKS["legal_fact"](claim(), bare, act="CRC", field="adoption_instrument", value="44/95", match="resolution")
    assert result.verdict == "not_checkable" and "no source recorded" in result.detail


def test_an_erratum_stating_an_unverified_fact_keeps_the_claim_from_being_inconsistent(ctx):
    states_day = claim(errata={"en": "Ratified, instrument deposited on {kz_action_date}. Source: {legal_sources}.",
                               "kk": "{kz_action_date}"})
    wrong = CHECKS["legal_fact"](states_day, ctx, act="CRC", field="kz_action", value="accession", match="exact")
    assert wrong.verdict == "not_checkable" and "date of Kazakhstan's act" in wrong.detail
    right = CHECKS["legal_fact"](states_day, ctx, act="CRC", field="kz_action", value="ratification", match="exact")
    assert right.verdict == "consistent"  # the erratum is not used when the claim holds
    states_instrument = claim(errata={"en": "Adopted by {adoption_instrument}. Source: {legal_sources}.", "kk": "x"})
    result = CHECKS["legal_fact"](states_instrument, ctx, act="CRC", field="kz_action", value="accession", match="exact")
    assert result.verdict == "inconsistent" and result.values["legal_sources"] == f"DOC <{URL}>"


def test_the_report_carries_the_source_of_legal_claims_only(ctx):
    legal = claim("R1")
    result = CHECKS["legal_fact"](legal, ctx, act="CRC", field="adoption_instrument", value="44/95", match="resolution")
    other = Claim(id="T1", section="table1", paragraph=1, quote="q", reported=("1",), check="not_checkable")
    frame = report_frame([Evaluated(legal, result), Evaluated(other, CHECKS["not_checkable"](other, ctx, needs="x"))])
    assert list(frame.columns) == REPORT_COLUMNS
    row = frame.set_index("claim_id").loc["R1"]
    assert (row["legal_act"], row["legal_field"], row["source_status"], row["source_identifier"], row["source_url"],
            row["source_quote"]) == ("CRC", "adoption_instrument", "verified", "DOC", URL, "a quote")
    assert (frame.set_index("claim_id").loc["T1", ["legal_act", "source_status", "source_url"]] == "").all()


def test_no_inconsistent_verdict_rests_on_an_unverified_fact(ctx):
    """Every combination of fact and reading: an inconsistent verdict only where the source backs it."""
    for (act, field), src in ctx.legal_sources.items():
        for match in ("exact", "date", "year"):
            if match != "exact" and not field.endswith("date"):
                continue
            result = CHECKS["legal_fact"](claim(), ctx, act=act, field=field, value="0000-01-01", match=match)
            assert result.verdict != "inconsistent" or src.supports(match), (act, field, match)


def test_outputs_list_every_fact_with_the_claims_using_it(ctx):
    claims = {"R1": Claim(id="R1", section="results", paragraph=1, quote="q", reported=("x",), check="legal_fact",
                          args={"act": "CRC", "field": "kz_action", "value": "x", "match": "exact"},
                          errata={"en": "{kz_action_date}", "kk": "{kz_action_date}"})}
    uses = legal_uses(claims)
    assert uses == {("CRC", "kz_action"): ["R1"], ("CRC", "kz_action_date"): ["R1"]}
    frame = ls.output_frame(ctx.legal_sources, ctx.legal_acts, uses)
    assert list(frame.columns) == ls.OUTPUT_COLUMNS and len(frame) == 7
    assert set(frame["title_ru"]) == {"Конвенция о правах ребёнка", "Programme"}, "titles from the translation table (or the act's)"
    assert frame.set_index(["act_id", "field"]).loc[("CRC", "kz_action_date"), "claim_ids"] == "R1"
    counts = ls.counts(ctx.legal_sources).set_index("act_id")
    assert counts.loc["total"].to_dict() == {"verified": 4, "verified (year)": 1, "verified (derived)": 0, "corroborated": 0,
                                             "corroborated (year)": 0, "corrected": 1, "unverified": 1}
