"""One tidy record format for every statistic the statistics notebooks report.

Every row is one number: which ``test`` produced it, which ``quantity`` it is, for which
``subject`` (a region code, an indicator, a sensitivity variant, or ``national``), its
``estimate`` in its ``unit`` with its standard error ``estimate_se`` (how it was obtained in
``se_method``: observed information, posterior SD, resampling SD, binomial, or an interval's
half-width over z) and an interval (``ci_low``, ``ci_high`` at ``conf_level``; empty where none is defined), a
``p_value`` and, where a family of tests was corrected, the ``p_adjusted`` value with the
correction named in ``method``; ``n`` has one meaning everywhere: the number of units the method
treats as independent observations, and ``n_unit`` says what they are (regions, preschools,
persons, points of a series); ``note`` says what the number cannot tell. Numbers that come
from resampling carry their Monte-Carlo standard error (``estimate_mcse``, ``ci_mcse``,
``p_mcse``) and the number of ``resamples``; the precision policy writes each number with only
the digits its errors support (the error rule for ``estimate_se``, the Monte-Carlo rule for the
``*_mcse`` columns; ``src/analysis/precision.py``, field set ``tidy`` of
``src/analysis/results_schema.yml``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.stats import norm

COLUMNS = ["test", "quantity", "subject", "estimate", "estimate_se", "se_method", "estimate_mcse", "unit", "ci_low",
           "ci_high", "conf_level", "ci_mcse", "p_value", "p_mcse", "p_adjusted", "n", "n_unit", "resamples", "method",
           "note"]
_NUMBERS = ("estimate", "estimate_se", "estimate_mcse", "ci_low", "ci_high", "conf_level", "ci_mcse", "p_value", "p_mcse",
            "p_adjusted")
_TEXTS = ("test", "quantity", "subject", "se_method", "unit", "n_unit", "method", "note")


def record(test: str, quantity: str, estimate=None, *, subject: str = "national", unit: str = "",
           ci_low=None, ci_high=None, conf_level=None, p_value=None, p_adjusted=None, n=None, n_unit: str = "",
           resamples=None, estimate_mcse=None, ci_mcse=None, p_mcse=None, method: str = "", note: str = "",
           se=None, se_method: str = "") -> dict:
    """One statistic as a dict with the tidy columns (``se``: its standard error, obtained as
    ``se_method`` says)."""
    if (ci_low is not None or ci_high is not None) and conf_level is None:
        raise ValueError(f"{test}/{quantity}: an interval needs its conf_level")
    if _num(se) is not None and not se_method:
        raise ValueError(f"{test}/{quantity}: a standard error needs its se_method")
    return {"test": test, "quantity": quantity, "subject": subject, "estimate": _num(estimate),
            "estimate_se": _num(se), "se_method": se_method if _num(se) is not None else "",
            "estimate_mcse": _num(estimate_mcse), "unit": unit, "ci_low": _num(ci_low), "ci_high": _num(ci_high),
            "conf_level": _num(conf_level) if ci_low is not None or ci_high is not None else None,
            "ci_mcse": _num(ci_mcse), "p_value": _num(p_value), "p_mcse": _num(p_mcse),
            "p_adjusted": _num(p_adjusted), "n": _int(n), "n_unit": n_unit if n is not None else "",
            "resamples": _int(resamples), "method": method, "note": note}


def _int(value):
    return None if value is None or pd.isna(value) else int(value)


def _num(value):
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def frame(records: Iterable[dict]) -> pd.DataFrame:
    """Tidy records as a DataFrame with the standard columns (the writer rounds by the policy)."""
    out = pd.DataFrame(list(records), columns=COLUMNS)
    for column in _NUMBERS:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    for column in ("n", "resamples"):
        out[column] = pd.to_numeric(out[column]).astype("Int64")
    for column in _TEXTS:
        out[column] = out[column].fillna("").astype("str")
    return out


# -- formatting numbers for the summaries -----------------------------------------------------

def fmt(value, digits: int = 2) -> str:
    """A number with ``digits`` decimals ('-' for missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "-"
    return f"{float(value):.{digits}f}"


def interval_se(low, high, confidence: float) -> float | None:
    """The standard error an interval implies: its width over 2 z (z the normal quantile of
    ``confidence``); None where a bound is missing."""
    if low is None or high is None or not (math.isfinite(float(low)) and math.isfinite(float(high))):
        return None
    return (float(high) - float(low)) / (2 * float(norm.ppf(0.5 + confidence / 2)))


def fmt_int(value) -> str:
    """A whole number with thousands grouped by a space."""
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
    """'low to high' with ``digits`` decimals (as percentages where ``pct``)."""
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
