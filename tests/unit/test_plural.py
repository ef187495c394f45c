"""Numeral agreement in Russian, Kazakh and English (analysis.i18n.plural), and counted
placeholders in the translation table."""

from __future__ import annotations

import pytest

from analysis.i18n import fill
from analysis.i18n.plural import agree, russian_form


@pytest.mark.parametrize("n, expected", [(1, 0), (21, 0), (101, 0), (2, 1), (4, 1), (22, 1), (34, 1), (5, 2), (11, 2),
                                         (12, 2), (14, 2), (20, 2), (111, 2), (0, 2), (2054, 1), (2175, 2)])
def test_russian_forms(n, expected):
    assert russian_form(n) == expected


def test_agreement_in_each_language():
    assert agree(2054, ["человек", "человека", "человек"], "ru") == "2 054 человека"
    assert agree("2 175", ["педагог", "педагога", "педагогов"], "ru") == "2 175 педагогов"
    assert agree(3, ["қате"], "kk") == "3 қате"
    assert agree(1, ["error", "errors"], "en") == "1 error" and agree(5, ["error", "errors"], "en") == "5 errors"
    with pytest.raises(ValueError, match="ru needs 3"):
        agree(2, ["ошибка", "ошибки"], "ru")


def test_counted_placeholders_fill_number_and_form():
    assert fill("Найдено {n|ошибка|ошибки|ошибок} и {m|вопрос|вопроса|вопросов}.", "ru", n=3, m=5) == \
        "Найдено 3 ошибки и 5 вопросов."
    assert fill("{n|сұрақ}", "kk", n=5) == "5 сұрақ"
