"""Every number token of the article, and the coverage rule the registry must satisfy.

The list of number tokens (``data/raw/article_number_tokens.csv``) was generated once from the
article's text extraction with :func:`number_tokens` and committed; nothing at run time reads the
article. Each token is either mapped to one or more claim ids of ``data/raw/claims.yml`` or
excluded with a reason from :data:`EXCLUSION_REASONS`. :func:`coverage_problems` lists every
token that is neither, names an unknown claim or reason, or is not found in the quote of any of
the claims it is mapped to.

Tokenising rules (tested in ``tests/data/test_claims_coverage.py``):

- a space (or a line break) between groups of three digits is a thousands separator
  (``5 555``, ``9 \\n139``), except inside table rows, where numbers are separated by spaces;
- a decimal comma or point with one or two decimals belongs to the number (``85,9``, ``44.0``),
  so ``[14,278 б.]`` is the reference ``14`` and the page ``278``;
- year ranges (``2011-2020``) and resolution numbers (``44/95``) are one token each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

#: Why a number token is not a claim.
EXCLUSION_REASONS = {
    "page_number": "page of a cited source (recorded in the claims' location)",
    "reference_number": "number of a reference in the bibliography, e.g. [14]",
    "list_number": "number of an item in a numbered list",
    "page_header": "the journal page number in a running page header",
    "table_number": "number of a table in a caption or a cross-reference",
    "figure_number": "number of a figure in a caption or a cross-reference",
    "affiliation_marker": "author affiliation marker",
    "year": "the year a statement refers to: its context, not a printed value",
}
TOKEN_COLUMNS = ["token_id", "line", "token", "context", "claim_ids", "exclusion", "note"]

#: A table row: a label, then three or more numbers separated by spaces, nothing after them.
_TABLE_ROW = re.compile(r"^\s*[^\d\s][^\d]*?(?:[ \t]+\d+(?:[.,]\d+)?){3,}\s*$")
_SEP = r"(?:[ \u00a0]|[ \u00a0]*\n[ \u00a0]*)"
_NUMBER = re.compile(
    r"(?<!\d)(?:"
    rf"\d{{1,3}}(?:{_SEP}\d{{3}}(?!\d))+"  # 5 555, 13 828, 9 \n139
    r"|\d{4}[ ]?[-–][ ]?\d{4}(?!\d)"  # 2011-2020
    r"|\d+/\d+"  # 44/95
    r"|(?<!\d,)\d+[.,]\d{1,2}(?![.,]?\d)"  # 85,9  44.0 (not the 2,3 of 1,2,3)
    r"|\d+"
    r")"
)
_CELL = re.compile(r"(?<!\d)\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Token:
    line: int  # 1-based line of the token's first character
    token: str  # as printed, a line break inside it shown as a space
    context: str  # up to ``width`` characters either side, whitespace collapsed


def _context(text: str, start: int, end: int, width: int) -> str:
    left, right = text[max(0, start - width) : start], text[end : end + width]
    return " ".join(f"{left}[[{text[start:end]}]]{right}".split())


def number_tokens(text: str, width: int = 40) -> list[Token]:
    """Every number token of ``text`` in reading order (see the module doc for the rules)."""
    lines = text.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    table_rows = {i for i, line in enumerate(lines) if _TABLE_ROW.match(line)}
    # Table rows are blanked (same length) for the prose pass and tokenised cell by cell.
    prose = "\n".join(" " * len(line) if i in table_rows else line for i, line in enumerate(lines))
    found = [(m.start(), m.end()) for m in _NUMBER.finditer(prose)]
    for i in sorted(table_rows):
        found += [(starts[i] + m.start(), starts[i] + m.end()) for m in _CELL.finditer(lines[i])]

    def line_of(offset: int) -> int:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if starts[mid] <= offset else (lo, mid - 1)
        return lo + 1

    return [Token(line_of(s), " ".join(text[s:e].split()), _context(text, s, e, width)) for s, e in sorted(found)]


def spaces_folded(text: str) -> str:
    """``text`` without any whitespace, for matching a token against a quote."""
    return "".join(str(text).split())


def split_ids(cell: str) -> list[str]:
    """The claim ids of a token's ``claim_ids`` cell (separated by ';'), blanks dropped."""
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def coverage_problems(tokens: pd.DataFrame, claims: dict) -> list[str]:
    """Tokens that are neither mapped to a claim nor excluded, or mapped wrongly.

    ``claims`` maps claim id -> an object with a ``quote`` attribute (or a dict with 'quote').
    """
    problems = []
    missing = [c for c in TOKEN_COLUMNS if c not in tokens.columns]
    if missing:
        return [f"token list lacks columns {missing}"]
    for row in tokens.itertuples(index=False):
        where = f"token {row.token_id} ({row.token!r}, line {row.line})"
        ids = split_ids(row.claim_ids)
        reason = str(row.exclusion).strip()
        if not ids and not reason:
            problems.append(f"{where}: neither mapped to a claim nor excluded")
            continue
        if ids and reason:
            problems.append(f"{where}: both mapped to {ids} and excluded as {reason!r}")
        if reason and reason not in EXCLUSION_REASONS:
            problems.append(f"{where}: unknown exclusion reason {reason!r}")
        unknown = [i for i in ids if i not in claims]
        if unknown:
            problems.append(f"{where}: unknown claim ids {unknown}")
        known = [i for i in ids if i in claims]
        if known:
            quotes = [spaces_folded(getattr(claims[i], "quote", None) or claims[i]["quote"]) for i in known]
            if not any(spaces_folded(row.token) in q for q in quotes):
                problems.append(f"{where}: not found in the quote of any of {known}")
    duplicated = tokens.loc[tokens["token_id"].duplicated(), "token_id"].tolist()
    problems += [f"token id {t} is used twice" for t in duplicated]
    return problems
