"""Plain-language summaries of notebooks 40-42, written from the numbers they are given.

Nothing here computes a statistic: every number comes from the results objects the notebooks
pass in (:mod:`analysis.stats.regional`, :mod:`~analysis.stats.shortage`,
:mod:`~analysis.stats.timeseries`), so a summary cannot go stale. Each summary ends with what
the tests cannot show, in numbers. Helpers shared by the three: names, lists, words for sizes.
"""

from __future__ import annotations

import pandas as pd


def names(regions: pd.DataFrame) -> pd.Series:
    return regions.set_index("region_iso")["short_en"]


def listing(items) -> str:
    items = list(items)
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def cap(text: str) -> str:
    """First letter upper case, the rest untouched ('SEN' stays 'SEN')."""
    return text[:1].upper() + text[1:]


def v_words(v: float) -> str:
    """Cohen's (1988) words for a Cramér's V of a table with one degree of freedom per row or column."""
    return "negligible" if v < 0.1 else "small" if v < 0.3 else "moderate" if v < 0.5 else "large"


def fmt_small_p(p) -> str:
    return "-" if p is None or pd.isna(p) else f"{p:.2g}"
