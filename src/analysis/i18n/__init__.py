"""Labels in Kazakh, Russian and English from one translation table and the region reference.

``src/analysis/translations.csv`` (key, kk, ru, en) holds every label, caption and header the
tables and figures show; region names come from ``data/processed/regions.csv``. Nothing shown to
a reader is a string literal in code: code asks for ``t(key, lang)``. Placeholders in ``{braces}``
are filled with :meth:`str.format`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from analysis import paths

LANGUAGES = ("kk", "ru", "en")
#: Languages that write a decimal comma (Kazakh and Russian); English writes a point.
DECIMAL_COMMA = ("kk", "ru")
TRANSLATIONS = Path(__file__).with_name("translations.csv")
#: Which reference column names a region in each language, in tables and figures.
REGION_LABEL_COLUMN = {"kk": "short_kk", "ru": "short_ru", "en": "short_en"}


@cache
def translations(path: Path = TRANSLATIONS):
    import pandas as pd  # here, not at import: the pipeline reads LANGUAGES without pandas

    table = pd.read_csv(path, dtype=str, keep_default_na=False, comment=None)
    duplicated = table.loc[table["key"].duplicated(), "key"].tolist()
    if duplicated:
        raise ValueError(f"{paths.shown(path)}: keys defined twice: {duplicated}")
    empty = table.loc[(table[list(LANGUAGES)] == "").any(axis=1), "key"].tolist()
    if empty:
        raise ValueError(f"{paths.shown(path)}: keys without a translation in every language: {empty}")
    return table.set_index("key")


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {LANGUAGES}")
    return lang


def t(key: str, lang: str, **values) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    table = translations()
    if key not in table.index:
        raise KeyError(f"no translation for {key!r} in {paths.shown(TRANSLATIONS)}")
    text = table.at[key, check_language(lang)]
    return text.format(**values) if values else text


def parse_languages(value: str | list | tuple) -> list[str]:
    """``"kk,ru,en"`` or ``["kk", "en"]`` -> a checked list of language codes."""
    items = value.split(",") if isinstance(value, str) else list(value)
    return [check_language(item.strip()) for item in items if item.strip()]


def region_labels(regions, lang: str):
    """Region names in ``lang`` indexed by ``region_iso``."""
    return regions.set_index("region_iso")[REGION_LABEL_COLUMN[check_language(lang)]]


def decimal(value: float, digits: int, lang: str) -> str:
    """A number with ``digits`` decimals and the language's decimal separator (44,0 / 44.0)."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang in DECIMAL_COMMA else text
