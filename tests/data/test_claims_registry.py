"""The claims registry (data/raw/claims.yml) and the reference table of legal acts: every check
is a known function with valid arguments, every reference resolves, the registry agrees with
the transcribed text statistics, and malformed entries are refused with the claim named."""

from __future__ import annotations

import copy
import inspect

import pytest

from analysis import paths
from analysis.claims import registry
from analysis.claims.checks import CHECKS
from analysis.claims.evaluate import run_check
from analysis.claims.model import TABLES
from analysis.claims.tokens import spaces_folded
from analysis.errors import RawDataError
from analysis.ingest.datapackage import load_package, resource
from analysis.ingest.load import load_processed

HEADER, CLAIMS = registry.load_registry()
LEGAL = registry.load_legal_acts()


def test_registry_is_not_empty_and_ids_follow_the_pattern():
    assert len(CLAIMS) > 100
    assert all(registry.ID_PATTERN.match(cid) for cid in CLAIMS)


def test_every_check_is_a_known_function_name_with_bindable_arguments():
    for claim in CLAIMS.values():
        assert claim.check in CHECKS, claim.id
        inspect.signature(CHECKS[claim.check]).bind(None, None, **claim.args)


def test_every_claim_is_evaluated_without_error():
    ctx = registry.load_context(CLAIMS)
    verdicts = {cid: run_check(claim, ctx).verdict for cid, claim in CLAIMS.items()}
    assert set(verdicts.values()) <= {"consistent", "inconsistent", "not_checkable"}


def test_reported_values_are_printed_in_the_quote():
    for claim in CLAIMS.values():
        for value in claim.reported:
            assert spaces_folded(value) in spaces_folded(claim.quote), (claim.id, value)


def test_every_section_is_declared_and_has_a_label():
    from analysis.i18n import t

    sections = [s["id"] for s in HEADER["sections"]]
    assert {c.section for c in CLAIMS.values()} <= set(sections)
    for section in sections:
        for lang in ("kk", "ru", "en"):
            assert t(f"claims_section_{section}", lang)


def test_registry_covers_every_transcribed_text_statistic_with_the_same_printed_value():
    indicators = load_processed("national_indicators.csv")
    printed = dict(zip(indicators["stat_id"], indicators["value_as_printed"], strict=True))
    linked = {}
    for claim in CLAIMS.values():
        for stat in claim.stat_ids:
            assert stat in printed, (claim.id, stat)
            assert spaces_folded(printed[stat]) in {spaces_folded(v) for v in claim.reported}, (claim.id, stat)
            linked[stat] = claim.id
    assert set(printed) == set(linked), f"text statistics without a claim: {sorted(set(printed) - set(linked))}"


def test_every_region_row_of_both_tables_has_its_claims():
    for table, prefix, suffixes in [("preschool_inclusion", "T1", [""]), ("teacher_shortage", "T2", ["-UR", "-SP"])]:
        frame = load_processed(TABLES[table]["file"].format(year=HEADER["year"]))
        for iso in frame["region_iso"]:
            for suffix in suffixes:
                assert f"{prefix}-{iso}{suffix}" in CLAIMS


def test_legal_facts_name_known_acts_and_fields():
    for claim in CLAIMS.values():
        if claim.check == "legal_fact":
            assert claim.args["act"] in set(LEGAL["act_id"]), claim.id
            assert claim.args["field"] in LEGAL.columns, claim.id


def test_legal_table_rows_cite_a_source_and_say_how_sure_they_are():
    package = load_package()
    assert list(LEGAL.columns) == [f["name"] for f in resource(package, "legal-acts")["schema"]["fields"]]
    assert LEGAL["act_id"].is_unique
    assert (LEGAL["source"].str.len() > 10).all() and (LEGAL["notes"].str.len() > 10).all()
    assert set(LEGAL["confidence"]) <= {"verified", "partly_verified", "unverified"}
    crc = LEGAL.set_index("act_id").loc["CRC"]
    assert crc["adoption_instrument"] == "A/RES/44/25" and crc["adoption_date"] == "1989-11-20"


def test_errors_and_minor_points_have_errata_and_queries_questions_in_every_language():
    from analysis.claims.model import outcome

    ctx = registry.load_context(CLAIMS)
    for claim in CLAIMS.values():
        kind = outcome(claim, run_check(claim, ctx))
        if kind in ("error", "minor"):
            assert set(claim.errata) == {"en", "kk", "ru"}, claim.id
        if kind == "query":
            assert set(claim.query) == {"en", "kk", "ru"} and not claim.errata, claim.id


# -- validation of malformed entries -------------------------------------------------------------
GOOD = {
    "sections": [{"id": "results"}],
    "claims": [{"id": "R1a", "section": "results", "paragraph": 1, "quote": "513 ... 55 100", "reported": ["513", "55", "100"],
                "statement_en": "513 = 55 + 100.", "statement_ru": "513 = 55 + 100.",
                "check": {"name": "total_vs_parts", "args": {"parts": [{"reported": 1}, {"reported": 2}]}}}],
}


def broken(change):
    data = copy.deepcopy(GOOD)
    change(data["claims"][0], data)
    return data


def test_a_good_registry_parses():
    header, claims = registry.parse_registry(copy.deepcopy(GOOD))
    assert list(claims) == ["R1a"] and claims["R1a"].args["parts"][1] == {"reported": 2}


@pytest.mark.parametrize("change, message", [
    (lambda c, d: c["check"].update(name="eval"), "unknown check 'eval'"),
    (lambda c, d: c["check"]["args"].update(colour="red"), "arguments of total_vs_parts"),
    (lambda c, d: c["check"].update(args={}), "arguments of total_vs_parts"),
    (lambda c, d: c["check"]["args"]["parts"].append({"reported": 5}), "out of range"),
    (lambda c, d: c["check"]["args"]["parts"].append({"claim": "Z9"}), "unknown claim 'Z9'"),
    (lambda c, d: c["check"]["args"]["parts"].append({"python": "1+1"}), "must be one reference"),
    (lambda c, d: c["check"]["args"]["parts"].append({"table": "nope", "region": "KZ-10", "column": "x"}), "known table"),
    (lambda c, d: c.update(section="appendix"), "unknown section"),
    (lambda c, d: c.update(colour="red"), "unknown keys"),
    (lambda c, d: c.pop("quote"), "missing keys"),
    (lambda c, d: c.update(reported=[513]), "list of strings"),
    (lambda c, d: c.update(id="r1 a"), "id must match"),
    (lambda c, d: c.update(page="278"), "page must be"),
    (lambda c, d: c.update(errata={"en": "x"}), "errata needs"),
    (lambda c, d: c.pop("statement_ru"), "statement_ru"),
    (lambda c, d: c.update(query={"en": "?", "kk": "?", "ru": "?"}, minor={"en": "x", "kk": "x", "ru": "x"}), "not both"),
    (lambda c, d: d["claims"].append(copy.deepcopy(c)), "used twice"),
])
def test_malformed_registry_is_refused_naming_the_claim(change, message):
    with pytest.raises(registry.RegistryError, match=message):
        registry.parse_registry(broken(change))


def test_load_registry_names_the_file_the_line_and_the_claim(data_copy):
    data_copy.edit("claims.yml", lambda t: t.replace("  - id: AKK-1\n    section: abstract_kk\n",
                                                      "  - id: AKK-1\n    sektion: abstract_kk\n", 1))
    line = (paths.RAW / "claims.yml").read_text(encoding="utf-8").split("\n").index("  - id: AKK-1") + 1
    with pytest.raises(RawDataError, match=rf"claims.yml, line {line}, claim AKK-1: unknown keys \['sektion'\]"):
        registry.load_registry(data_copy.raw, data_copy.package)


def test_legal_table_with_wrong_columns_is_refused(data_copy):
    data_copy.edit("legal_acts.csv", lambda t: t.replace("act_id,", "act,", 1))
    with pytest.raises(RawDataError, match="legal_acts.csv, line 1, column 'act_id': missing column"):
        registry.load_legal_acts(data_copy.raw, data_copy.package)


def test_the_registry_files_pass_the_gate(data_copy):
    data_copy.edit("claims.yml", lambda t: t.replace("AKK-1", "AKK-1", 1) + "# a change\n", record_hash=False)
    with pytest.raises(RawDataError, match="claims.yml: sha256 is"):
        registry.load_registry(data_copy.raw, data_copy.package)
