"""The claims check's outputs: every claim triaged (error, query, minor, consistent, not
checkable), the three kinds kept apart and counted alike everywhere, evidence written apart from
the caveat in every language, every errata item placed on the article's page, the printing errors
that corrections fix in the errata too."""

from __future__ import annotations

import ast
import inspect
import re

import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.claims import registry
from analysis.claims.evaluate import REPORT_COLUMNS
from analysis.claims.model import ERRATA_OUTCOMES, OUTCOMES, VERDICTS
from analysis.i18n import LANGUAGES
from analysis.report.errata import ERRATA_COLUMNS

RESULTS = paths.RESULTS / "claims"
REPORT = pd.read_csv(RESULTS / "claims_report.csv", dtype=str, keep_default_na=False)
ERRATA = pd.read_csv(RESULTS / "errata.csv", dtype=str, keep_default_na=False)
COUNTS = pd.read_csv(RESULTS / "outcome_counts.csv", dtype=str, keep_default_na=False).set_index("section")
HEADER, CLAIMS = registry.load_registry()


def test_the_report_has_its_columns_and_every_claim_once():
    assert list(REPORT.columns) == REPORT_COLUMNS and list(ERRATA.columns) == ERRATA_COLUMNS
    assert list(REPORT["claim_id"]) == list(CLAIMS)
    assert set(REPORT["verdict"]) <= set(OUTCOMES) and set(REPORT["check_verdict"]) <= set(VERDICTS)


def test_counts_agree_between_the_report_the_errata_and_the_counts_table():
    total = COUNTS.loc["total"]
    assert int(total["claims"]) == len(REPORT)
    for outcome in OUTCOMES:
        assert int(total[outcome]) == int((REPORT["verdict"] == outcome).sum()), outcome
    for kind in ERRATA_OUTCOMES:
        assert int(total[kind]) == int((ERRATA["kind"] == kind).sum()), kind
    sections = COUNTS.drop(index="total")
    assert sections[list(OUTCOMES)].astype(int).sum().to_dict() == {o: int(total[o]) for o in OUTCOMES}


def test_inconsistent_never_counts_a_query():
    queries = REPORT[REPORT["verdict"] == "query"]
    assert not (REPORT["verdict"] == "inconsistent").any()
    for _, row in ERRATA[ERRATA["kind"] == "query"].iterrows():
        for lang in LANGUAGES:
            assert row[f"question_{lang}"] and not row[f"correction_{lang}"], (row["claim_id"], lang)
    assert set(ERRATA.loc[ERRATA["kind"] == "query", "claim_id"]) == set(queries["claim_id"])


def test_errors_and_minor_points_carry_a_correction_and_minor_points_say_why():
    for _, row in ERRATA[ERRATA["kind"].isin(["error", "minor"])].iterrows():
        for lang in LANGUAGES:
            assert row[f"correction_{lang}"], (row["claim_id"], lang)
            assert (row["kind"] == "minor") == bool(row[f"minor_{lang}"]), (row["claim_id"], lang)


def test_the_triage_of_the_editor_s_cases():
    verdict = REPORT.set_index("claim_id")["verdict"]
    assert verdict["R18f"] == "consistent", "a query contradicted by its own caveat is dropped"
    assert verdict["R21a"] == "minor", "a 0.1-point rounding gap is within the printed precision"
    assert verdict["R13a"] == verdict["R2e"] == verdict["R20d"] == verdict["R24g"] == "query"
    assert verdict["R18a"] == "query", "a statement whose scope Table 2 contradicts is a query"
    assert verdict["T2-C001"] == "error" and verdict["T1-C002"] == "minor", "printing errors fixed by corrections"
    log = pd.read_csv(paths.PROCESSED / "corrections_log.csv", dtype=str)
    fixed = {c.args["correction"] for c in CLAIMS.values() if c.check == "printed_correction"}
    assert fixed == set(log["correction_id"]), "every correction applied to the data reaches the errata"


def test_evidence_is_written_in_each_language_and_differs_from_the_caveat():
    for _, row in REPORT.iterrows():
        texts = [row[f"evidence_{lang}"] for lang in LANGUAGES]
        assert all(texts) and len(set(texts)) > 1 or row["evidence_en"].replace(" ", "").isdigit(), row["claim_id"]
        for lang in LANGUAGES:
            caveat = row[f"caveat_{lang}"]
            assert not caveat or caveat not in row[f"evidence_{lang}"], (row["claim_id"], lang)
        assert not re.search(r"\b(Ambiguity|Checkable with)\b", row["evidence_ru"] + row["evidence_kk"]), row["claim_id"]


def test_every_item_names_the_article_s_own_page_and_the_cited_source_s_page():
    words = {"kk": "бет", "ru": "с.", "en": "p."}
    for _, row in ERRATA.iterrows():
        assert row["article_page_first"] or row["article_page_last"], row["claim_id"]
        for lang in LANGUAGES:
            assert words[lang] in row[f"where_{lang}"], (row["claim_id"], lang)
        claim = CLAIMS[row["claim_id"]]
        if claim.page is not None:
            assert str(claim.page) in row["where_en"]


def test_years_and_list_numbers_are_context_not_printed_values():
    for claim in CLAIMS.values():
        if claim.check in ("legal_fact",) or claim.paragraph in ("Table 1 caption", "Table 2 caption") \
                or str(claim.paragraph).endswith("caption"):
            continue
        years = [v for v in claim.reported if re.fullmatch(r"(19|20)\d\d", v) and re.search(rf"{v}\s*ж(ыл|\.)", claim.quote)]
        assert not years, (claim.id, years)
    tokens = registry.load_tokens()
    assert (tokens.loc[tokens["exclusion"] == "year", "claim_ids"] == "").all()


def test_every_public_function_of_analysis_claims_has_a_docstring():
    import analysis.claims.checks.arithmetic
    import analysis.claims.checks.comparison
    import analysis.claims.checks.legal
    import analysis.claims.evaluate
    import analysis.claims.legal_sources
    import analysis.claims.model
    import analysis.claims.registry
    import analysis.claims.text
    import analysis.claims.tokens

    missing = []
    for module in (analysis.claims.evaluate, analysis.claims.legal_sources, analysis.claims.model, analysis.claims.registry,
                   analysis.claims.text, analysis.claims.tokens, analysis.claims.checks.arithmetic,
                   analysis.claims.checks.comparison, analysis.claims.checks.legal):
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and not (obj.__doc__ or "").strip():
                missing.append(f"{module.__name__}.{name}")
    assert missing == []


def test_the_summary_quotes_the_counts():
    summary = (RESULTS / "summary.md").read_text(encoding="utf-8")
    total = COUNTS.loc["total"]
    assert f"{total['claims']} claims registered: {total['error']} errors, {total['query']} queries, " \
           f"{total['minor']} minor points" in summary


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_letter_is_dated_and_versioned_from_the_inputs_and_counts_the_items(lang):
    letter = (RESULTS / f"errata_{lang}.md").read_text(encoding="utf-8")
    cff = yaml.safe_load((paths.PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(cff["version"]) in letter.split("\n", 3)[2]
    year, _, day = str(cff["date-released"]).split("-")
    assert year in letter.split("\n", 3)[2] and str(int(day)) in letter.split("\n", 3)[2]
    headings = re.findall(r"^## .*\((\d+)\)$", letter, flags=re.M)
    assert [int(h) for h in headings] == [int(COUNTS.loc["total", kind]) for kind in ERRATA_OUTCOMES]
    for claim_id in ERRATA["claim_id"]:
        assert claim_id in letter


def test_the_registry_declares_no_check_argument_text_in_one_language_only():
    data = yaml.safe_load((paths.RAW / "claims.yml").read_text(encoding="utf-8"))
    for raw in data["claims"]:
        for key in ("needs", "reason", "unchecked", "scope_note"):
            value = (raw["check"].get("args") or {}).get(key)
            assert value is None or set(value) == set(LANGUAGES), (raw["id"], key)


def test_checks_do_not_write_prose_in_one_language():
    """Evidence is a key of the translation table and its values, never an English f-string."""
    import analysis.claims.checks as checks_package

    for path in sorted((paths.PROJECT_ROOT / "src" / "analysis" / "claims" / "checks").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                assert not re.search(r"[a-z]{3,} [a-z]{3,} [a-z]{3,}", text) or "claim" in text, (path.name, text)
    assert checks_package.CHECKS
