"""Every legal fact has a public source or an explicit unverified mark (data/raw/legal_sources.csv),
and the claims outputs agree: no inconsistent verdict rests on an unverified fact, and each legal
claim carries its source."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from analysis import paths
from analysis.claims import legal_sources as ls
from analysis.claims import registry
from analysis.claims.checks.legal import used_facts
from analysis.errors import RawDataError

HEADER, CLAIMS = registry.load_registry()
ACTS = registry.load_legal_acts()
SOURCES = registry.load_legal_sources()
REPORT = pd.read_csv(paths.RESULTS / "claims" / "claims_report.csv", dtype=str, keep_default_na=False)
WRITTEN = pd.read_csv(paths.RESULTS / "claims" / "legal_sources.csv", dtype=str, keep_default_na=False)
LEGAL_CLAIMS = [c for c in CLAIMS.values() if c.check == "legal_fact"]


def test_every_fact_of_every_act_has_a_source_or_an_unverified_mark():
    for _, act in ACTS.iterrows():
        for field in ls.FACT_FIELDS:
            if act[field].strip():
                src = SOURCES.get((act["act_id"], field))
                assert src is not None, (act["act_id"], field)
                assert src.status in ls.STATUSES and src.value == act[field]
                assert src.sourced or (src.status == "unverified" and src.note), (act["act_id"], field)
    assert {a for a, _ in SOURCES} == set(ACTS["act_id"]), "every act has its rows"


def test_every_fact_a_claim_uses_has_a_source_or_an_unverified_mark():
    for claim in LEGAL_CLAIMS:
        for fact in used_facts(claim, claim.args["field"]):
            assert (claim.args["act"], fact) in SOURCES, (claim.id, fact)


def test_verified_rows_quote_their_page_and_name_the_document():
    for src in SOURCES.values():
        if src.sourced:
            assert src.quotes and all(q.strip() for q in src.quotes), (src.act_id, src.field)
            assert src.urls and all(re.match(r"^https?://\S+$", u) for u in src.urls), (src.act_id, src.field)
            assert src.identifier.strip(), (src.act_id, src.field)
        if src.status == "corrected":
            assert src.replaced_value and src.replaced_value != src.value and src.note


def test_the_acts_no_longer_say_from_memory_and_name_their_unverified_facts():
    for _, act in ACTS.iterrows():
        assert "from memory" not in act["notes"], act["act_id"]
        for (act_id, field), src in SOURCES.items():
            if act_id == act["act_id"] and not src.sourced:
                assert field in act["notes"], (act_id, field)


def test_no_inconsistent_verdict_rests_on_an_unverified_fact():
    verdicts = REPORT.set_index("claim_id")
    for claim in LEGAL_CLAIMS:
        row = verdicts.loc[claim.id]
        act, field, match = claim.args["act"], claim.args["field"], claim.args.get("match", "exact")
        assert (row["legal_act"], row["legal_field"]) == (act, field)
        if row["verdict"] == "inconsistent":
            assert SOURCES[(act, field)].supports(match), claim.id
            for fact in used_facts(claim, field)[1:]:
                assert SOURCES[(act, fact)].supports("exact"), (claim.id, fact)
        if not SOURCES[(act, field)].supports(match):
            assert row["verdict"] == "not_checkable" and row["source_status"] == "unverified", claim.id


def test_legal_claims_in_the_report_carry_their_source():
    for claim in LEGAL_CLAIMS:
        row = REPORT.set_index("claim_id").loc[claim.id]
        src = SOURCES[(claim.args["act"], claim.args["field"])]
        assert row["source_url"] == src.url and row["source_identifier"] == src.identifier
        assert row["source_quote"] == src.quote
        if row["source_status"] != "unverified":
            assert row["source_quote"] and row["source_url"].startswith("http")
    others = REPORT[~REPORT["claim_id"].isin({c.id for c in LEGAL_CLAIMS})]
    assert (others[["legal_act", "source_status", "source_url", "source_quote"]] == "").all().all()


def test_the_written_table_is_the_raw_one_with_the_claims_using_each_fact():
    assert list(WRITTEN.columns) == ls.OUTPUT_COLUMNS
    assert list(zip(WRITTEN["act_id"], WRITTEN["field"], strict=True)) == list(SOURCES)
    uses = {(c.args["act"], f): c.id for c in LEGAL_CLAIMS for f in used_facts(c, c.args["field"])}
    for _, row in WRITTEN.iterrows():
        if (row["act_id"], row["field"]) in uses:
            assert uses[(row["act_id"], row["field"])] in row["claim_ids"].split("; ")


def test_the_errata_cite_the_sources_and_no_longer_call_the_facts_the_official_record():
    for lang in ("en", "kk", "ru"):
        text = (paths.RESULTS / "claims" / f"errata_{lang}.md").read_text(encoding="utf-8")
        assert "official record" not in text and "ресми деректерімен" not in text
        assert "<http://www.un.org/documents/ga/res/44/a44r025.htm>" in text  # R1b's source


# -- bad input through the gate -----------------------------------------------------------------
def test_a_fact_without_a_row_is_refused_naming_legal_acts_line_and_column(data_copy):
    data_copy.edit("legal_sources.csv", lambda t: "\n".join(line for line in t.split("\n")
                                                            if not line.startswith("CRC,kz_action,")))
    with pytest.raises(RawDataError, match=r"legal_acts.csv, line 2 \(row 'CRC'\), column 'kz_action': this fact has "
                                           "no row in legal_sources.csv"):
        registry.load_legal_sources(data_copy.raw, data_copy.package)


def test_a_verified_row_without_a_quote_is_refused(data_copy):
    def drop_quote(text):
        rows = list(csv.reader(io.StringIO(text)))
        for row in rows:
            if row[:2] == ["STANDARD_RULES", "key_provision"]:
                row[9] = ""
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue()
    data_copy.edit("legal_sources.csv", drop_quote)
    with pytest.raises(RawDataError, match=r"legal_sources.csv, line \d+ \(row 'STANDARD_RULES key_provision'\), "
                                           r"column 'quote': a verified fact needs a short quote"):
        registry.load_legal_sources(data_copy.raw, data_copy.package)


def test_a_changed_fact_must_change_its_source_row_too(data_copy):
    data_copy.edit("legal_acts.csv", lambda t: t.replace(",A/RES/44/25,", ",A/RES/44/95,", 1))
    with pytest.raises(RawDataError, match=r"legal_sources.csv, line \d+ \(row 'CRC adoption_instrument'\), "
                                           "column 'value': 'A/RES/44/25' differs from data/raw/legal_acts.csv"):
        registry.load_legal_sources(data_copy.raw, data_copy.package)


def test_the_sources_file_passes_the_gate(data_copy):
    data_copy.edit("legal_sources.csv", lambda t: t + "\n", record_hash=False)
    with pytest.raises(RawDataError, match="legal_sources.csv: sha256 is"):
        registry.load_legal_sources(data_copy.raw, data_copy.package)


def test_the_reviewers_guide_states_the_counts_of_the_sources_file():
    guide = (paths.PROJECT_ROOT / "docs" / "reviewers.md").read_text(encoding="utf-8")
    stated = re.search(r"Of the (\d+) facts of the (\d+) acts, (\d+) are\s+verified\b.*?(\d+) (?:is|are)\s+corroborated"
                       r".*?\band (\d+) are\s+unverified", guide, re.S)
    assert stated, "docs/reviewers.md states how many legal facts are verified, corroborated and unverified"
    statuses = [s.status for s in SOURCES.values()]
    assert tuple(int(g) for g in stated.groups()) == (
        len(SOURCES), len({a for a, _ in SOURCES}), statuses.count("verified") + statuses.count("corrected"),
        statuses.count("corroborated"), statuses.count("unverified"))


# -- primary and secondary sources (issue 22) ---------------------------------------------------------
def test_no_fact_is_verified_by_a_secondary_source_alone():
    for src in SOURCES.values():
        kinds = [ls.source_kind(u) for u in src.urls]
        if src.status in ls.PRIMARY_STATUSES:
            assert "primary" in kinds, (src.act_id, src.field, src.urls)
        if src.status == "corroborated":
            assert kinds and "primary" not in kinds, (src.act_id, src.field)
    for mirror in ("https://123doc.top/x", "http://docplayer.net/x", "https://bestprofi.com/x", "https://www.readkong.com/x",
                   "https://github.com/world-politics-datalab/x", "https://www.infontd.org/x"):
        assert ls.source_kind(mirror) == "secondary", mirror
    for official in ("https://treaties.un.org/x", "https://www.ohchr.org/x", "https://adilet.zan.kz/rus/docs/x",
                     "https://www.gov.kz/x", "https://edu.gov.kz/x", "https://iite.unesco.org/x"):
        assert ls.source_kind(official) == "primary", official


def test_every_source_s_label_names_its_url_s_site():
    for src in SOURCES.values():
        for title, url in zip(src.titles, src.urls, strict=True):
            assert ls.title_problem(title, url) is None, (src.act_id, src.field, title, url)
    assert ls.title_problem("UN Treaty Collection (un.org)", "https://github.com/x/y.csv")


def test_partial_facts_say_what_was_verified_and_unverified_ones_where_they_were_looked_for():
    for src in SOURCES.values():
        if src.verified_part in ("year", "derived"):
            assert src.note and src.notes.get("kk") and src.notes.get("ru"), (src.act_id, src.field)
        if src.status == "unverified":
            assert src.searched and src.note, (src.act_id, src.field)
    statuses = [s.status for s in SOURCES.values()]
    assert statuses.count("unverified") < 25, "the second search found some of the 25 facts unverified before"


def test_quotes_in_another_language_carry_their_translations():
    for src in SOURCES.values():
        for lang in ("kk", "ru", "en"):
            for i, quote_lang in enumerate(src.quote_langs):
                assert (quote_lang == lang) != bool(src.translations[lang][i]), (src.act_id, src.field, lang, i)
