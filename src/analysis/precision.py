"""Numbers as printed and numbers as written: the project's precision policy.

**Printed numbers.** Is a printed rounded number consistent with the exact value it reports?
Decimal arithmetic, never floats: 61/71 = 85.915...% prints as 85.9 at one decimal. A printed
value ``p`` with ``d`` decimals is consistent with the exact value ``x`` when
``|x - p| <= 0.5 * 10**-d``; at an exact half both rounding directions are accepted, because
the article does not say which rule it used.

**Written numbers (the precision policy).** Every float written to ``results/`` and
``data/processed/`` is rounded to the precision its method supports, and to nothing finer: the
last digits of a float depend on the CPU (OpenBLAS and NumPy pick their kernels per machine), so
digits beyond that precision are noise that would make outputs differ between machines. The
precision of each column is declared once, where the column is described: the ``precision``
property of its field in ``data/datapackage.json`` (processed data) or in
``src/analysis/results_schema.yml`` (results, published as ``results/datapackage.json``).
:func:`format_column` applies it. A rule is one of

* ``{"decimals": d}``: a fixed number of decimals (printed values keep their printed precision;
  figure data keep the precision that is drawn);
* ``{"decimalsOf": column}``: as many decimals as the printed text in ``column`` shows;
* ``{"significant": s}``: ``s`` significant digits, at most :data:`MAX_SIGNIFICANT` (computed
  statistics);

optionally with

* ``"monteCarloError": column``: the value comes from resampling; where ``column`` holds its
  Monte-Carlo standard error, the value keeps only the digits that error supports (it is rounded
  at the decimal place of the error's first significant digit, :func:`mc_decimals`) and the
  error itself is written with :data:`MC_ERROR_SIGNIFICANT` significant digits;
* ``"standardError": column``: the value is an estimate whose standard error (or posterior SD,
  resampling SD, or the half-width of its interval over z; the row says which) is in ``column``:
  where that column holds one, the value keeps only the digits the error supports, by **the
  error rule**: the error is written with :data:`ERROR_SIGNIFICANT` significant digits and its
  last digit (the second significant one) sets the value's last decimal (:func:`se_decimals`:
  ICC 0.141024 with standard error 0.037 is written 0.141, a Gini 0.228391 with resampling SD
  0.0078 is written 0.2284); interval bounds of the estimate follow the same error. A field that
  is itself such an error has ``standardErrorOf``. Where both a Monte-Carlo error and a standard
  error apply, the coarser of the two wins;
* ``"floor": f``: values below ``f`` are written as the bound ``<f`` (p-values: a p of
  ``2e-117`` is a statement about the model's tail, not a measurement, and an underflowed ``0``
  is wrong).

Values below :data:`ZERO_BELOW` in magnitude are written as 0. Integers (counts) are exact and
are never rounded.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pandas as pd

#: The most significant digits any computed statistic is written with.
MAX_SIGNIFICANT = 6
#: Significant digits of a Monte-Carlo standard error.
MC_ERROR_SIGNIFICANT = 2
#: Significant digits of a standard error; its last one sets an estimate's last decimal (the error rule).
ERROR_SIGNIFICANT = 2
#: p-values below this are written as the bound ``<1e-10``.
P_FLOOR = 1e-10
#: Significant digits kept of parameters found by a numerical optimiser (the beta-binomial fit):
#: its last digits depend on the CPU kernel (the optimum is flat there), and everything drawn or
#: computed from the parameters must not. Four digits are far finer than their standard errors.
OPTIMISED_SIGNIFICANT = 4
#: Computed values smaller than this in magnitude are written as 0: they are rounding noise of a
#: value that is 0 in exact arithmetic (the growth of a constant series reads 0.0 on one CPU and
#: -1.1e-16 on another), and no quantity of this project is meaningfully that small (p-values,
#: which can be, have their own floor).
ZERO_BELOW = 1e-12


# -- printed numbers ----------------------------------------------------------------------------

def decimals_of(printed: str) -> int:
    """Number of decimals a printed number shows ('44.0' -> 1, '85,9' -> 1, '44' -> 0)."""
    text = str(printed).strip().replace(",", ".")
    return len(text.split(".", 1)[1]) if "." in text else 0


def parse_printed(text) -> Decimal:
    """A number as the article prints it -> exact Decimal ('5 555' -> 5555, '85,9' -> 85.9,
    '44%' -> 44): thousands separated by spaces (also no-break), a decimal comma or point.
    Raises ValueError on anything else."""
    cleaned = "".join(str(text).split()).rstrip("%").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not a printed number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a printed number: {text!r}")
    return value


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded half up to ``decimals`` decimals (the rule tables are printed with)."""
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


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


# -- written numbers ----------------------------------------------------------------------------

def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def round_significant(value: float, digits: int) -> float:
    """``value`` rounded to ``digits`` significant digits (0, inf and NaN pass through)."""
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def mc_decimals(mc_error: float) -> int:
    """Decimal places a Monte-Carlo standard error supports: those down to its first
    significant digit (0.0024 -> 3, so 0.0586 is written 0.059; 0.3 -> 1; 12 -> -1)."""
    return -math.floor(math.log10(abs(float(mc_error))))


def se_decimals(error: float) -> int:
    """Decimal places a standard error supports (the error rule): those down to its second
    significant digit, after rounding it to :data:`ERROR_SIGNIFICANT` digits
    (0.037 -> 3, 0.0078 -> 4, 3.6 -> 1, 0.0996 -> 0.10 -> 2, 14 -> 0, 250 -> -1)."""
    shown = round_significant(abs(float(error)), ERROR_SIGNIFICANT)
    return ERROR_SIGNIFICANT - 1 - math.floor(math.log10(shown))


def _fixed(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}" if decimals >= 0 else f"{round(value, decimals):.0f}"
    return text.lstrip("-") if float(text) == 0 else text


def _significant(value: float, digits: int) -> str:
    text = f"{round_significant(value, digits):.{digits}g}"
    if "e" in text:  # keep plain notation for moderate magnitudes: 1.23457e+06 -> 1234570
        mantissa, exponent = text.split("e")
        if -5 <= int(exponent) < digits + 9:
            text = format(Decimal(text), "f")
    return "0" if text == "-0" else text


def format_error(error) -> str:
    """A standard error written with :data:`ERROR_SIGNIFICANT` significant digits, a trailing zero
    kept (0.20, not 0.2), so that its last written decimal is the one the error rule reads."""
    if _missing(error):
        return ""
    error = float(error)
    if error == 0 or not math.isfinite(error):
        return format_value(error, {"significant": ERROR_SIGNIFICANT})
    return _fixed(error, se_decimals(error))


def _has_error(error) -> bool:
    return not _missing(error) and math.isfinite(float(error)) and float(error) > 0


def format_value(value, rule: dict, mc_error=None, se=None) -> str:
    """One float written by ``rule`` ('' for a missing value); see the module docstring.
    ``mc_error`` is its Monte-Carlo standard error, ``se`` its standard error (the error rule)."""
    if _missing(value):
        return ""
    value = float(value)
    if not math.isfinite(value):
        return "inf" if value > 0 else "-inf"
    floor = rule.get("floor")
    if floor is not None and value < floor:
        return f"<{floor:g}"
    if abs(value) < ZERO_BELOW:
        value = 0.0
    limits = ([mc_decimals(mc_error)] if _has_error(mc_error) else []) + ([se_decimals(se)] if _has_error(se) else [])
    if limits:
        decimals = min(limits)
        if "decimals" in rule:
            decimals = min(decimals, int(rule["decimals"]))
        if "significant" in rule and value != 0:  # never more digits than the rule allows
            decimals = min(decimals, rule["significant"] - 1 - math.floor(math.log10(abs(value))))
        return _fixed(value, decimals)
    if "decimals" in rule:
        return _fixed(value, int(rule["decimals"]))
    if "significant" in rule:
        return _significant(value, int(rule["significant"]))
    raise ValueError(f"precision rule without 'decimals', 'decimalsOf' or 'significant': {rule}")


def check_rule(rule: dict, where: str) -> dict:
    """``rule`` if it is a valid precision rule, else a ValueError naming ``where``."""
    known = {"decimals", "decimalsOf", "significant", "monteCarloError", "floor", "monteCarloErrorOf",
             "standardError", "standardErrorOf"}
    unknown = set(rule) - known
    if unknown:
        raise ValueError(f"{where}: unknown precision keys {sorted(unknown)}; known: {sorted(known)}")
    kinds = [k for k in ("decimals", "decimalsOf", "significant", "monteCarloErrorOf", "standardErrorOf") if k in rule]
    if len(kinds) != 1:
        raise ValueError(f"{where}: a precision rule has exactly one of decimals, decimalsOf, significant, "
                         "monteCarloErrorOf, standardErrorOf")
    if "significant" in rule and not 1 <= int(rule["significant"]) <= MAX_SIGNIFICANT:
        raise ValueError(f"{where}: at most {MAX_SIGNIFICANT} significant digits (found {rule['significant']})")
    return rule


def format_column(frame: pd.DataFrame, field: dict) -> pd.Series:
    """Column ``field['name']`` of ``frame`` as the text written to CSV.

    Number fields follow their ``precision`` rule; a Monte-Carlo error column named by the rule
    is read from ``frame``; a field that is itself a Monte-Carlo error (``monteCarloErrorOf``) is
    written with :data:`MC_ERROR_SIGNIFICANT` digits. Other types are written as they are.
    """
    name = field["name"]
    values = frame[name]
    if field.get("type") == "integer":
        return _integers(values, name)
    if field.get("type") != "number":
        return values
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        values = pd.to_numeric(values.where(values.astype(str) != ""), errors="raise")
    rule = check_rule(field.get("precision") or {}, f"field '{name}'")
    if "monteCarloErrorOf" in rule:
        rule = {"significant": MC_ERROR_SIGNIFICANT}
    if "standardErrorOf" in rule:  # two significant digits, trailing zero kept (0.20): its last digit counts
        return pd.Series([format_error(v) for v in values], index=frame.index, dtype=object)
    if "decimalsOf" in rule:
        printed = frame[rule["decimalsOf"]]
        return pd.Series([format_value(v, {"decimals": decimals_of(p)}) if not _missing(p) else format_value(v, {"significant": MAX_SIGNIFICANT})
                          for v, p in zip(values, printed, strict=True)], index=frame.index, dtype=object)
    errors = frame[rule["monteCarloError"]] if "monteCarloError" in rule else [None] * len(frame)
    ses = frame[rule["standardError"]] if "standardError" in rule else [None] * len(frame)
    return pd.Series([format_value(v, rule, e, s) for v, e, s in zip(values, errors, ses, strict=True)],
                     index=frame.index, dtype=object)


def _integers(values: pd.Series, name: str) -> pd.Series:
    """An integer column as nullable integers; a value with a fraction is an error, not rounded."""
    if pd.api.types.is_integer_dtype(values) or pd.api.types.is_bool_dtype(values):
        return values.astype("Int64")
    numbers = pd.to_numeric(values.where(values.astype(str) != "") if values.dtype == object else values)
    fractional = numbers.notna() & (numbers != numbers.round())
    if fractional.any():
        raise ValueError(f"integer column '{name}' holds {numbers[fractional].iloc[0]!r}")
    return numbers.astype("Int64")


def apply_policy(frame: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    """``frame`` with every number column written by its rule (text), others unchanged.

    The columns must be exactly the declared fields, in order.
    """
    names = [f["name"] for f in fields]
    if list(frame.columns) != names:
        missing = [n for n in names if n not in frame.columns]
        extra = [c for c in frame.columns if c not in names]
        raise ValueError(f"columns differ from the declared schema: missing {missing}, undeclared {extra}"
                         + ("" if missing or extra else f"; order: declared {names}, found {list(frame.columns)}"))
    return pd.DataFrame({f["name"]: format_column(frame, f) for f in fields}, index=frame.index)


def rounded(frame: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    """``frame`` with number columns rounded by the policy but kept as numbers (for display):
    the values a notebook shows are the values written. A bound such as ``<1e-10`` stays text."""
    text = apply_policy(frame, fields)
    out = frame.copy()
    for f in fields:
        if f.get("type") == "number":
            col = text[f["name"]]
            numeric = pd.to_numeric(col.where(col != ""), errors="coerce")
            out[f["name"]] = numeric if not col.str.startswith("<").any() else col
    return out


def written_decimals(text: str) -> int:
    """Decimals of a written number ('0.141' -> 3, '12' -> 0, '1.2e-05' -> 6, '250' -> 0)."""
    mantissa = text.lower().split("e")[0].lstrip("-<")
    exponent = int(text.lower().split("e")[1]) if "e" in text.lower() else 0
    return (len(mantissa.split(".")[1]) if "." in mantissa else 0) - exponent


def digits_allowed(text: str, rule: dict, mc_error: str | None = None, printed: str | None = None,
                   se: str | None = None) -> bool:
    """Does the written number ``text`` respect ``rule``? (the check of the stored files; ``se``
    is the written standard error where the rule names one: the value may have no more decimals
    than that error)"""
    if text == "" or text.startswith("<"):
        return True if text == "" else "floor" in rule
    mantissa = text.lower().split("e")[0].lstrip("-")
    exponent = int(text.lower().split("e")[1]) if "e" in text.lower() else 0
    decimals = (len(mantissa.split(".")[1]) if "." in mantissa else 0) - exponent
    significant = len(mantissa.replace(".", "").lstrip("0")) or 1
    if "monteCarloErrorOf" in rule:
        return significant <= MC_ERROR_SIGNIFICANT
    if "standardErrorOf" in rule:
        return significant <= ERROR_SIGNIFICANT
    if mc_error and float(mc_error) == 0:  # an exact value: no Monte-Carlo error to read
        mc_error = None
    if se:
        if decimals > max(written_decimals(se), 0) and float(se) != 0:
            return False
        if not mc_error:
            return "significant" not in rule or significant <= int(rule["significant"])
    if mc_error:
        return decimals <= max(mc_decimals(float(mc_error)), 0) and (
            "significant" not in rule or significant <= int(rule["significant"]))
    if "decimals" in rule:
        return decimals <= int(rule["decimals"])
    if "decimalsOf" in rule:
        return printed is None or decimals <= decimals_of(printed)
    return significant <= int(rule["significant"])
