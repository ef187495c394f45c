"""Numeral agreement: the form of a noun that goes with a count, in Kazakh, Russian and English.

Russian has three forms after a numeral: one (1, 21, 101: «ошибка»), few (2-4, 22-24: «ошибки»)
and many (0, 5-20, 25-30, 11-14: «ошибок»). Kazakh keeps the noun singular after a numeral
(«3 қате», never «3 қателер»), so it has one form. English has singular (1) and plural.

In a translation a counted placeholder lists the forms: ``{n|ошибка|ошибки|ошибок}`` (Russian),
``{n|қате}`` (Kazakh), ``{n|error|errors}`` (English); :func:`analysis.i18n.t` fills it with the
number and the agreeing form, so no text has to be reworded around a count ("ошибок: 3").
"""

from __future__ import annotations

#: How many forms each language lists.
FORMS = {"ru": 3, "kk": 1, "en": 2}


def russian_form(n: int) -> int:
    """0 (one), 1 (few) or 2 (many): the Russian form that goes with the whole number ``n``."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def form(n: int, forms: list[str] | tuple[str, ...], lang: str) -> str:
    """The form of ``forms`` that agrees with ``n`` in ``lang``."""
    if len(forms) != FORMS[lang]:
        raise ValueError(f"{lang} needs {FORMS[lang]} word form(s) after a numeral, got {list(forms)}")
    if lang == "ru":
        return forms[russian_form(n)]
    if lang == "en":
        return forms[0] if abs(int(n)) == 1 else forms[1]
    return forms[0]


def agree(n, forms: list[str] | tuple[str, ...], lang: str) -> str:
    """'3 ошибки', '5 ошибок', '21 ошибка', '3 қате', '1 error': the count (thousands grouped by a
    space) and the agreeing form."""
    from analysis.i18n import integer

    count = int("".join(str(n).split())) if isinstance(n, str) else int(n)  # '2 054' as printed
    return f"{integer(count)} {form(count, forms, lang)}"
