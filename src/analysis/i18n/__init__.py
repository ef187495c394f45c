"""Labels and texts in Kazakh, Russian and English, and numbers written the way each language writes them.

``translations.csv`` (key, kk, ru, en) holds every label, caption and header the tables and
figures show; ``summaries.csv`` holds the sentences of the plain-language summaries of the
statistics notebooks, with ``{placeholders}`` for their numbers; ``report.csv`` the texts of the
HTML report (index pages, annotated article); region names come from
``data/processed/regions.csv``. Nothing shown to a reader is a string literal in code: code asks
for ``t(key, lang)``. Every key has all three languages (a test and the loader check it).

Numbers: :func:`decimal`, :func:`percent`, :func:`integer`, :func:`pvalue`, :func:`interval` write
a number with the language's decimal separator (Kazakh and Russian: comma; English: point) and
thousands grouped with a space, so that the three editions state the same numbers.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from analysis import paths

LANGUAGES = ("kk", "ru", "en")
#: Languages that write a decimal comma (Kazakh and Russian); English writes a point.
DECIMAL_COMMA = ("kk", "ru")
TRANSLATIONS = Path(__file__).with_name("translations.csv")
SUMMARIES = Path(__file__).with_name("summaries.csv")
REPORT = Path(__file__).with_name("report.csv")
#: The texts of the claims check: evidence, statuses, legal fields and values, errata letter.
CLAIMS = Path(__file__).with_name("claims.csv")
#: One term per concept per language, and the words it replaces (:mod:`analysis.i18n.glossary`).
GLOSSARY = Path(__file__).with_name("glossary.csv")
#: Which reference column names a region in each language, in tables and figures.
REGION_LABEL_COLUMN = {"kk": "short_kk", "ru": "short_ru", "en": "short_en"}
#: The full name of a region in each language (used where a short name is ambiguous).
REGION_NAME_COLUMN = {"kk": "name_kk", "ru": "name_ru", "en": "name_en"}
#: The minus sign (U+2212): a hyphen reads as a dash.
MINUS = "\u2212"


@cache
def translations(paths_: tuple[Path, ...] = (TRANSLATIONS, SUMMARIES, REPORT, CLAIMS)):
    import pandas as pd  # here, not at import: the pipeline reads LANGUAGES without pandas

    tables = []
    for path in paths_:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, comment=None)
        empty = table.loc[(table[list(LANGUAGES)] == "").any(axis=1), "key"].tolist()
        if empty:
            raise ValueError(f"{paths.shown(path)}: keys without a translation in every language: {empty}")
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
    duplicated = table.loc[table["key"].duplicated(), "key"].tolist()
    if duplicated:
        raise ValueError(f"translation keys defined twice: {duplicated}")
    return table.set_index("key")


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {LANGUAGES}")
    return lang


def t(key: str, lang: str, /, **values) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    A placeholder with word forms, ``{n|ошибка|ошибки|ошибок}``, writes the number and the form
    that agrees with it (:func:`analysis.i18n.plural.agree`): Russian one, few, many; Kazakh one
    form (a noun after a numeral stays singular); English singular, plural."""
    table = translations()
    if key not in table.index:
        raise KeyError(f"no translation for {key!r} in {paths.shown(TRANSLATIONS)}")
    text = table.at[key, check_language(lang)]
    return fill(text, lang, **values) if values else text


def fill(text: str, lang: str, /, **values) -> str:
    """``text`` with its placeholders filled, numeral agreement included (see :func:`t`)."""
    from analysis.i18n.plural import agree

    def counted(match):
        name, forms = match.group(1), match.group(2).split("|")
        return agree(values[name], forms, lang)

    text = PLURAL_PLACEHOLDER.sub(counted, text)
    return text.format(**values)


#: ``{n|form|form|form}``: a count with the word forms that agree with it.
PLURAL_PLACEHOLDER = re.compile(r"\{(\w+)\|([^{}]+)\}")


def parse_languages(value: str | list | tuple) -> list[str]:
    """``"kk,ru,en"`` or ``["kk", "en"]`` -> a checked list of language codes."""
    items = value.split(",") if isinstance(value, str) else list(value)
    return [check_language(item.strip()) for item in items if item.strip()]


def region_labels(regions, lang: str):
    """Region names in ``lang`` indexed by ``region_iso``."""
    return regions.set_index("region_iso")[REGION_LABEL_COLUMN[check_language(lang)]]


def figure_region_labels(regions, lang: str):
    """Region names as a figure shows them, by ``region_iso``: unambiguous on their own.

    A region (not a city) is written with the template ``figure_region_label`` of the translation
    table (Russian: "Акмолинская обл."); a region whose short name a city's short name contains
    as a word (Kazakh "Алматы" beside "Алматы қ.") is written with its full name ("Алматы облысы").
    Cities keep their short name ("Алматы қ.", "г. Алматы", "Almaty city").
    """
    short = region_labels(regions, lang)
    table = regions.set_index("region_iso")
    cities = [str(short[code]) for code in table.index[table["type"] == "city"]]
    full = REGION_NAME_COLUMN[lang]
    labels = {}
    for code, name in short.items():
        name = str(name)
        if table.at[code, "type"] == "city":
            labels[code] = name
        elif full in table.columns and any(re.search(rf"(^|\s){re.escape(name)}(\s|$)", city) for city in cities):
            labels[code] = str(table.at[code, full])
        else:
            labels[code] = t("figure_region_label", lang, name=name)
    return short.index.to_series().map(labels).rename(short.name)


def official_region_names(regions, lang: str):
    """Each region's official name in ``lang`` from the region reference (``name_kk``, ``name_ru``,
    ``name_en``: «область Абай», «Костанайская область», «Абай облысы», «Abai Region»; the cities
    «город Астана», «Астана қаласы», «Astana»), by ``region_iso``: one form for every region, no
    abbreviation (the article's figures are redrawn with these)."""
    return regions.set_index("region_iso")[REGION_NAME_COLUMN[check_language(lang)]].astype(str)


def decimal(value: float, digits: int, lang: str) -> str:
    """A number with ``digits`` decimals, the language's decimal separator and thousands grouped by
    a space (44,0 / 44.0; 1 459,0 / 1 459.0); a negative number with the minus sign U+2212."""
    text = f"{abs(float(value)):,.{digits}f}".replace(",", " ")
    text = text.replace(".", ",") if lang in DECIMAL_COMMA else text
    negative = float(value) < 0 and any(c in "123456789" for c in text)  # not "−0.0"
    return MINUS + text if negative else text


def integer(value) -> str:
    """A whole number with thousands grouped by a space (13 828), in every language."""
    number = int(round(float(value)))
    return (MINUS if number < 0 else "") + f"{abs(number):,}".replace(",", " ")


def percent(proportion: float, digits: int, lang: str) -> str:
    """A proportion (0-1) as a percentage: 44.0% / 44,0%."""
    return decimal(100 * float(proportion), digits, lang) + "%"


def pvalue(p, lang: str, digits: int = 3) -> str:
    """'p = 0.012', 'p < 0.001' (decimal comma in kk, ru); bounds written as such ('<1e-10')."""
    if p is None or p != p:
        return "p —"
    if isinstance(p, str):
        return f"p {p[0]} {p[1:]}".replace(".", "," if lang in DECIMAL_COMMA else ".")
    smallest = 10 ** -digits
    return f"p < {decimal(smallest, digits, lang)}" if p < smallest else f"p = {decimal(p, digits, lang)}"


def interval(low: float, high: float, digits: int, lang: str, pct: bool = False) -> str:
    """An interval 'low–high' (an en dash), in percent if ``pct``; '[−0.80; −0.09]' when a bound is
    negative, where a dash would read as a minus (the minus sign is U+2212)."""
    write = (lambda v: percent(v, digits, lang)) if pct else (lambda v: decimal(v, digits, lang))
    if low < 0 or high < 0:
        return f"[{write(low).replace('-', '−')}; {write(high).replace('-', '−')}]"
    return f"{write(low)}–{write(high)}"
