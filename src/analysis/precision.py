"""Is a printed rounded number consistent with the exact value it reports?

Decimal arithmetic, never floats: 61/71 = 85.915...% prints as 85.9 at one decimal. A printed
value ``p`` with ``d`` decimals is consistent with the exact value ``x`` when
``|x - p| <= 0.5 * 10**-d``; at an exact half both rounding directions are accepted, because
the article does not say which rule it used.
"""

from __future__ import annotations

from decimal import Decimal


def decimals_of(printed: str) -> int:
    """Number of decimals a printed number shows ('44.0' -> 1, '85,9' -> 1, '44' -> 0)."""
    text = str(printed).strip().replace(",", ".")
    return len(text.split(".", 1)[1]) if "." in text else 0


def share_pct(numerator: int, denominator: int) -> Decimal:
    """Exact percentage ``100 * numerator / denominator`` as a Decimal (28 significant digits)."""
    return Decimal(100) * Decimal(int(numerator)) / Decimal(int(denominator))


def consistent_at_precision(exact: Decimal, printed: str | float, decimals: int | None = None) -> bool:
    """True if ``printed`` (shown with ``decimals`` decimals) can be ``exact`` rounded."""
    text = str(printed).strip().replace(",", ".")
    if decimals is None:
        decimals = decimals_of(text)
    half = Decimal(5) * Decimal(10) ** -(decimals + 1)
    return abs(Decimal(exact) - Decimal(text)) <= half
