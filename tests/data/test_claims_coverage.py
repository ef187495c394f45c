"""Coverage: every number token of the article is a registered claim or an excluded non-claim;
the tokeniser that generated the committed token list."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.claims import registry
from analysis.claims.tokens import EXCLUSION_REASONS, TOKEN_COLUMNS, coverage_problems, number_tokens, split_ids

HEADER, CLAIMS = registry.load_registry()
TOKENS = registry.load_tokens()


def test_every_number_token_is_a_claim_or_an_excluded_non_claim():
    assert len(TOKENS) > 300
    assert coverage_problems(TOKENS, CLAIMS) == []


def test_every_claim_printing_a_digit_has_its_tokens_mapped():
    mapped = {cid for cell in TOKENS["claim_ids"] for cid in split_ids(cell)}
    with_digits = {c.id for c in CLAIMS.values() if any(ch.isdigit() for v in c.reported for ch in v)}
    assert with_digits - mapped == set()


def test_the_tables_conflicting_numbers_are_all_tokens():
    printed = set(TOKENS["token"])
    assert {"2054", "2024", "44/95", "513", "45,2", "54,9", "9 139"} <= printed


def row(**kw):
    base = {"token_id": "N001", "line": "1", "token": "513", "context": "c", "claim_ids": "", "exclusion": "", "note": ""}
    return pd.DataFrame([{**base, **kw}], columns=TOKEN_COLUMNS)


CLAIMS_MINI = {"R13a": {"quote": "елімізде 513 арнайы"}, "R14a": {"quote": "5 555 мемлекеттік"}}


@pytest.mark.parametrize("kw, problem", [
    ({}, "neither mapped to a claim nor excluded"),
    ({"claim_ids": "R99"}, "unknown claim ids ['R99']"),
    ({"exclusion": "looks unimportant"}, "unknown exclusion reason"),
    ({"claim_ids": "R13a", "exclusion": "page_number"}, "both mapped"),
    ({"claim_ids": "R14a"}, "not found in the quote"),
])
def test_coverage_problems_fail_on_a_bad_token(kw, problem):
    problems = coverage_problems(row(**kw), CLAIMS_MINI)
    assert len(problems) == 1 and problem in problems[0]


@pytest.mark.parametrize("kw", [{"claim_ids": "R13a"}, {"claim_ids": "R14a;R13a"}, {"exclusion": "page_number"}])
def test_coverage_problems_pass_a_good_token(kw):
    assert coverage_problems(row(**kw), CLAIMS_MINI) == []


def test_coverage_problems_catch_duplicate_ids_and_missing_columns():
    two = pd.concat([row(claim_ids="R13a"), row(claim_ids="R13a")])
    assert coverage_problems(two, CLAIMS_MINI) == ["token id N001 is used twice"]
    assert "lacks columns" in coverage_problems(row().drop(columns=["exclusion"]), CLAIMS_MINI)[0]


def test_exclusion_reasons_are_the_ones_the_data_package_allows():
    """The code's reasons and the token file's schema (its enum) are the same list."""
    from analysis.ingest.datapackage import load_package, resource

    fields = {f["name"]: f for f in resource(load_package(), "article-number-tokens")["schema"]["fields"]}
    assert set(EXCLUSION_REASONS) == set(fields["exclusion"]["constraints"]["enum"])


# -- the tokeniser ----------------------------------------------------------------------------------
def tokens(text):
    return [t.token for t in number_tokens(text)]


def test_thousands_separator_including_a_line_break():
    assert tokens("жұмыс істеді 5 555 мемлекеттік, (9 \n139 бала)") == ["5 555", "9 139"]
    assert [t.line for t in number_tokens("a\n(9 \n139 бала)")] == [2]


def test_table_rows_are_split_cell_by_cell():
    assert tokens("ҚОСТАНАЙ 446 167 37.4 479\nАлматы 2024 235 1789 157 1867") == [
        "446", "167", "37.4", "479", "2024", "235", "1789", "157", "1867"]


def test_references_pages_decimals_ranges_and_resolutions():
    assert tokens("шамалы (2-кесте) [14,278 б.]") == ["2", "14", "278"]
    assert tokens("Шымкент қаласында-85,9%, 2011-2020 жылдарға, 44/95 қарар") == ["85,9", "2011-2020", "44/95"]
    assert tokens("Жекибаева Б.А.3 *1,2,3Карагандинский") == ["3", "1", "2", "3"]
    assert tokens("2023 жылы 2 448-\nден") == ["2023", "2 448"]


def test_context_marks_the_token():
    (token,) = number_tokens("елімізде 513 арнайы", width=9)
    assert token.context == "елімізде [[513]] арнайы"
