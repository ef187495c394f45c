"""The registry of named checks and what every check shares (verdicts, 'not checkable' results)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from analysis.claims.model import Claim, Quantity, Result

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


def _ambiguity(claim: Claim) -> str:
    return f" Ambiguity: {claim.ambiguity}" if claim.ambiguity else ""


def _not_checkable(claim: Claim, detail: str, needs: str, recomputed: str = "", **values) -> Result:
    text = f"{detail} Checkable with: {needs}".strip()
    return Result("not_checkable", recomputed, text + _ambiguity(claim), values=values)


def _sources(*named: tuple[str, Quantity]) -> str:
    """' (numerator as printed in R14b; ...)' for the values that do not come from the claim itself."""
    parts = [f"{name} {q.label}" for name, q in named if q.label]
    return f" ({'; '.join(parts)})" if parts else ""


def _verdict(ok: bool) -> str:
    return "consistent" if ok else "inconsistent"
