"""Texts of the claims check in every language: a sentence is a template key and its values.

A check does not write its evidence in one language: it returns :class:`Text` objects, each a key
of ``src/analysis/i18n/claims.csv`` with the values that fill it, and :func:`render` writes them in
Kazakh, Russian or English. A value is

- a :class:`Verbatim` string: written as it is (a printed cell, a quotation);
- a string: a number (its decimal point becomes a comma in Kazakh and Russian, see
  :func:`localise`), a code or a name that is the same in every language;
- a mapping ``{lang: text}``: a value that differs by language (a region's name);
- a :class:`Text`: a nested sentence (rendered in the same language);
- a list of any of these, joined by ``"; "`` (or by ``joiner``).

Nothing here knows what a check found; it only writes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.i18n import DECIMAL_COMMA, LANGUAGES, t

_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def localise(value: str, lang: str) -> str:
    """A decimal comma in Kazakh and Russian ('27.0' -> '27,0'); dates ('1989-11-20'), resolution
    numbers ('44/25') and codes are unchanged, and the minus sign is U+2212."""
    text = str(value)
    text = re.sub(r"(?<![\w/])-(?=\d)", "\u2212", text)
    return _DECIMAL_POINT.sub(",", text) if lang in DECIMAL_COMMA else text


class Verbatim(str):
    """A value written as it is in every language: a printed cell, a quotation (no decimal comma)."""


@dataclass(frozen=True)
class Text:
    """A sentence to be written in every language: ``key`` of the translation table and its values."""

    key: str
    values: dict = field(default_factory=dict, hash=False, compare=True)
    joiner: str = "; "

    def render(self, lang: str) -> str:
        """The sentence in ``lang``."""
        return t(self.key, lang, **{name: value_text(value, lang, self.joiner) for name, value in self.values.items()})

    def all(self) -> dict[str, str]:
        """``{lang: sentence}`` for every language."""
        return {lang: self.render(lang) for lang in LANGUAGES}


def value_text(value, lang: str, joiner: str = "; ") -> str:
    """One value of a :class:`Text` written in ``lang`` (see the module docstring)."""
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, dict):
        return str(value[lang])
    if isinstance(value, (list, tuple)):
        return joiner.join(value_text(v, lang, joiner) for v in value)
    if isinstance(value, Verbatim):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value  # a count: kept a number, so that a counted placeholder agrees with it
    return localise(str(value), lang)


def render(texts, lang: str) -> str:
    """Several sentences (or one) written in ``lang``, separated by a space."""
    if isinstance(texts, Text):
        texts = [texts]
    return " ".join(" ".join(text.render(lang).split()) for text in texts if text is not None)


def per_language(texts) -> dict[str, str]:
    """``{lang: text}`` of :func:`render` in every language."""
    return {lang: render(texts, lang) for lang in LANGUAGES}
