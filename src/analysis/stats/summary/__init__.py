"""Plain-language summaries of notebooks 40-42, in Kazakh, Russian and English, from the numbers
they are given.

Nothing here computes a statistic: every number comes from the results objects the notebooks
pass in (:mod:`analysis.stats.regional`, :mod:`~analysis.stats.shortage`,
:mod:`~analysis.stats.timeseries`), so a summary cannot go stale. Every sentence is a template
of ``src/analysis/i18n/summaries.csv`` (key, kk, ru, en) whose ``{placeholders}`` are filled with
numbers written the way the language writes them (:mod:`analysis.i18n`), so the three editions
state the same numbers. Each summary opens with the census statement and ends with what the tests
cannot show, in numbers.
"""

from __future__ import annotations

import pandas as pd

from analysis import i18n
from analysis.i18n import REGION_LABEL_COLUMN, t


def names(regions: pd.DataFrame, lang: str) -> pd.Series:
    """Region names in ``lang`` by code."""
    return regions.set_index("region_iso")[REGION_LABEL_COLUMN[lang]]


def listing(items, lang: str) -> str:
    """'a, b and c' in ``lang`` ('none' if empty); 'a; b and c' when an item has a comma of its own."""
    items = list(items)
    if not items:
        return t("s_none", lang)
    comma = "; " if any("," in item for item in items) else ", "
    return items[0] if len(items) == 1 else comma.join(items[:-1]) + " " + t("s_and", lang) + " " + items[-1]


def v_words(v: float, lang: str) -> str:
    """Cohen's (1988) words for a Cramér's V."""
    return t("s_v_" + ("negligible" if v < 0.1 else "small" if v < 0.3 else "moderate" if v < 0.5 else "large"), lang)


class Numbers:
    """Numbers written the way ``lang`` writes them (decimal comma in Kazakh and Russian)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def pct(self, proportion: float, digits: int = 1) -> str:
        """A proportion as a percentage with ``digits`` decimals."""
        return i18n.percent(proportion, digits, self.lang)

    def pp(self, proportion: float, digits: int = 1) -> str:
        """A proportion as percentage points, without the sign (18.8)."""
        return i18n.decimal(100 * float(proportion), digits, self.lang)

    def dec(self, value: float, digits: int = 2) -> str:
        """With the minus sign (U+2212), not a hyphen."""
        return i18n.decimal(float(value), digits, self.lang).replace("-", "−")

    def int(self, value) -> str:
        """A whole number, thousands grouped by a space."""
        return i18n.integer(value)

    def p(self, value, digits: int = 3) -> str:
        """'p = 0.012' or 'p < 0.001' in the language."""
        return i18n.pvalue(value, self.lang, digits)

    def ci(self, low: float, high: float, digits: int = 2, pct: bool = False) -> str:
        """An interval in the language (as percentages where ``pct``)."""
        return i18n.interval(low, high, digits, self.lang, pct)

    def alpha(self, value: float) -> str:
        """A significance level as the language writes it (0,05 or 0.05)."""
        return f"{value:g}".replace(".", "," if self.lang in i18n.DECIMAL_COMMA else ".")


class Text:
    """A summary being written: headings, bullets and paragraphs from templates, in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.lines: list[str] = []

    def heading(self, key: str, level: int = 2, **values) -> None:
        """A heading from template ``key``."""
        self.lines += ["", "#" * level + " " + t(key, self.lang, **values), ""]

    def para(self, key: str, **values) -> None:
        """A paragraph from template ``key``."""
        self.lines += [t(key, self.lang, **values), ""]

    def bullet(self, key: str, **values) -> None:
        """A bullet from template ``key``."""
        self.lines.append("- " + t(key, self.lang, **values))

    def extend(self, key: str, **values) -> None:
        """Continue the last bullet or paragraph with another sentence."""
        self.lines[-1] += " " + t(key, self.lang, **values)

    def bullet_text(self, text: str) -> None:
        """A bullet of ready-made text."""
        self.lines.append("- " + text)

    def raw(self, line: str) -> None:
        """A line as it is (a table row, a blank line)."""
        self.lines.append(line)

    def text(self) -> str:
        """The summary as Markdown, single blank lines between blocks, ending in a newline."""
        out = "\n".join(self.lines).strip("\n")
        while "\n\n\n" in out:
            out = out.replace("\n\n\n", "\n\n")
        return out + "\n"


def opening(lang: str, title_key: str, notebook: str, inputs: list[str], tables: str, census: str = "s_census",
            **values) -> Text:
    """Title, the census statement and where the numbers come from."""
    doc = Text(lang)
    doc.raw("# " + t(title_key, lang, **values))
    doc.raw("")
    doc.para(census)
    doc.para("s_written_by", notebook=f"`{notebook}`", inputs=", ".join(f"`{i}`" for i in inputs), tables=tables)
    return doc
