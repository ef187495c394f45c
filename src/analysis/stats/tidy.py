"""One tidy record format for every statistic the statistics notebooks report.

Every row is one number: which ``test`` produced it, which ``quantity`` it is, for which
``subject`` (a region code, an indicator, or ``national``), its ``estimate`` with an interval
(``ci_low``, ``ci_high``; empty where none is defined), a ``p_value`` and, where a family of
tests was corrected, the ``p_adjusted`` value with the correction named in ``method``; ``n`` is
the number of units the statistic rests on (regions, preschools, points of a series) and
``note`` says what the number cannot tell.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

COLUMNS = ["test", "quantity", "subject", "estimate", "ci_low", "ci_high", "p_value", "p_adjusted",
           "n", "method", "note"]
#: Significant digits kept in stored numbers (enough for every reported digit, and stable).
SIGNIFICANT = 12


def record(test: str, quantity: str, estimate=None, *, subject: str = "national", ci_low=None, ci_high=None,
           p_value=None, p_adjusted=None, n=None, method: str = "", note: str = "") -> dict:
    """One statistic as a dict with the tidy columns."""
    return {"test": test, "quantity": quantity, "subject": subject, "estimate": _num(estimate),
            "ci_low": _num(ci_low), "ci_high": _num(ci_high), "p_value": _num(p_value),
            "p_adjusted": _num(p_adjusted), "n": None if n is None else int(n), "method": method, "note": note}


def _num(value):
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def round_sig(value, digits: int = SIGNIFICANT):
    """``value`` rounded to ``digits`` significant digits (None and NaN pass through)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return value
    value = float(value)
    if value == 0 or math.isinf(value):
        return value
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def frame(records: Iterable[dict]) -> pd.DataFrame:
    """Tidy records as a DataFrame with the standard columns, numbers rounded for stable files."""
    out = pd.DataFrame(list(records), columns=COLUMNS)
    for column in ("estimate", "ci_low", "ci_high", "p_value", "p_adjusted"):
        out[column] = pd.to_numeric(out[column].map(round_sig), errors="coerce").astype("float64")
    out["n"] = pd.to_numeric(out["n"]).astype("Int64")
    for column in ("test", "quantity", "subject", "method", "note"):
        out[column] = out[column].fillna("").astype("str")
    return out


def rounded(table: pd.DataFrame, digits: int = SIGNIFICANT) -> pd.DataFrame:
    """Every float column of ``table`` rounded to ``digits`` significant digits."""
    out = table.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].map(lambda v: round_sig(v, digits)).astype("float64")
    return out


# -- formatting numbers for the summaries -----------------------------------------------------

def fmt(value, digits: int = 2) -> str:
    """A number with ``digits`` decimals ('-' for missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "-"
    return f"{float(value):.{digits}f}"


def fmt_int(value) -> str:
    return f"{int(round(float(value))):,}".replace(",", " ")


def fmt_pct(value, digits: int = 1) -> str:
    """A proportion (0-1) as a percentage."""
    return f"{100 * float(value):.{digits}f}%"


def fmt_p(p) -> str:
    """'p = 0.012', 'p < 0.001' or 'p = 1.000'."""
    if p is None or (isinstance(p, float) and np.isnan(p)):
        return "p not defined"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def fmt_ci(low, high, digits: int = 2, pct: bool = False) -> str:
    if pct:
        return f"{fmt_pct(low, digits)} to {fmt_pct(high, digits)}"
    return f"{fmt(low, digits)} to {fmt(high, digits)}"


def as_column(values: dict, digits: int = 4) -> pd.DataFrame:
    """A dict of results as one ``value`` column for display: floats to ``digits`` significant
    digits (so a p-value of 2e-117 does not show as 0.0), integers, booleans and text as they are."""
    def shown(v):
        if isinstance(v, (bool, np.bool_, str)) or v is None:
            return v
        if isinstance(v, (int, np.integer)):
            return int(v)
        return f"{float(v):.{digits}g}"
    return pd.DataFrame({"value": {k: shown(v) for k, v in values.items()}})
