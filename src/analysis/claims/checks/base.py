"""The registry of named checks and what every check shares (verdicts, 'not checkable' results,
the evidence of where a number comes from).

Evidence is written as :class:`~analysis.claims.text.Text` sentences (a key of
``src/analysis/i18n/claims.csv`` and its values), so that every language states it; the claim's
caveat (its ``ambiguity``) is kept apart from the evidence and shown beside it, never inside it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from analysis.claims.model import Claim, Quantity, Result
from analysis.claims.text import Text

CHECKS: dict[str, Callable[..., Result]] = {}
HUNDRED = Decimal(100)


def check(name: str):
    """Register a check function under ``name`` (the name the registry uses)."""

    def register(function):
        if name in CHECKS:
            raise ValueError(f"check {name!r} registered twice")
        CHECKS[name] = function
        function.check_name = name
        return function

    return register


def _half(decimals: int) -> Decimal:
    return Decimal(5) * Decimal(10) ** -(decimals + 1)


def needs_text(needs) -> Text:
    """'Checkable with: …' from the registry's ``needs`` (``{lang: text}``, or one text for every
    language: a code or a reference)."""
    value = needs if isinstance(needs, dict) else {lang: str(needs) for lang in ("kk", "ru", "en")}
    return Text("claims_ev_checkable_with", {"needs": value})


def _not_checkable(claim: Claim, evidence: list[Text], needs, recomputed: str = "", **values) -> Result:
    """Not checkable: the evidence so far, then what data would make the claim checkable."""
    return Result("not_checkable", recomputed, (*evidence, needs_text(needs)), values=values)


def _sources(*named: tuple[str, Quantity]) -> list[Text]:
    """Where the values that do not come from the claim itself come from (one sentence, or none)."""
    parts = [Text("claims_src_named", {"name": Text(f"claims_role_{name}"), "source": q.source})
             for name, q in named if q.source is not None]
    return [Text("claims_ev_sources", {"sources": parts})] if parts else []


def _verdict(ok: bool) -> str:
    return "consistent" if ok else "inconsistent"
