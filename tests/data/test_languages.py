"""Every page of the Kazakh and Russian editions is wholly in its language.

Each text node of a kk or ru page is checked in the language its nearest ``lang`` attribute gives
(the page's by default). A node in another language (``lang="kk"`` on a Russian page: the article's
own text, a quotation, a language's own name) is a quotation and is skipped; a quotation carries its
translation beside it (the pages give one for every quote of a legal source and every statement).
In the page's language, a node fails when, after codes, identifiers, file names, addresses and
proper names are set aside (:data:`CODE`), it still has English words, or on a Kazakh page it reads
as Russian (many Cyrillic words and none of the Kazakh letters), or on a Russian page it has Kazakh
words outside quotation marks. What is left and allowed is in :data:`ALLOWED`, each with its reason.
The glossary test checks one term per concept (src/analysis/i18n/glossary.csv).
"""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser

import pytest

from analysis import paths
from analysis.i18n import GLOSSARY, translations
from analysis.report.html import INDEX, page_name

RESULTS = paths.RESULTS
PAGES = {lang: [INDEX[lang], page_name("article", lang), f"claims/{page_name('claims_report', lang)}",
                f"claims/errata_letter_{lang}.html"] for lang in ("kk", "ru")}
#: What may stand in any language's text: addresses and file names, document codes and identifiers,
#: abbreviations of formats and methods, Latin letters of formulas, the journal's and agencies' names.
CODE = re.compile(
    r"https?://\S+|\b[\w.-]+\.(?:kz|org|com|net|top|edu|jp|uk|au|am|info|ru|io|ipynb|csv|md|svg|png|tex|json|cff|lock|html|txt)\b"
    r"|\b(?:notebooks|results|data|src|tests)/[\w./{}*-]*|\bA/RES/[\d/]+|\badilet\s+[A-Z]\d+_?\w*|\bED-\d+/WS/\d+"
    r"|\b(?:CSV|SVG|PNG|PDF|DOI|PEDS|ISO|UNTC|PISA|NEDB|Markdown|METHODS|README|Python|make|git|sha256|KazUIRWL|UNESCO|OHCHR"
    r"|Wilson|Holm|Cram[ée]r|Gini|Theil|Moran|Spearman|Kendall|Pearson|Poisson|Jeffreys|Clopper|Pearson|Bonferroni|GRIM"
    r"|Binder|JupyterLab|jinja2|numpy|scipy|statsmodels|pandas|matplotlib|seaborn|pandera|frictionless|papermill|nbval"
    r"|Chromium|GitHub|WEF|Tamabayeva|Abildina|Zhekibayeva|SEN|TVET|KZ|WS|IV|II|III|V|Z\d+_?\w*|P\d+|U\d+_?\w*|B\d+_?\w*)\b"
    r"|\b[A-Z]{1,3}\d+[a-z]?\b|\b[A-Z]\d*-[A-Z0-9-]+\b|\b(?:p|n|k|V|I|df|se|sd|chi|z|rho|tau|logit)\b")
ENGLISH = re.compile(r"\b[A-Za-z]{3,}\b")
KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
CYRILLIC_WORD = re.compile(r"\b[А-Яа-яЁё]{3,}\b")
#: Quoted words, short parenthesised words (a term of the article cited: «қосылуы», (МДҰ)) and proper
#: names or printed labels (a capitalised word: Жетісу, СҚО, ШЫМКЕНТ қ.) may keep the article's letters.
QUOTED = re.compile(r"«[^»]*»|\"[^\"]*\"|“[^”]*”|\((?:[^()\s]+\s?){1,3}\)|\b[А-ЯЁӘҒҚҢӨҰҮҺІ][\wӘәҒғҚқҢңӨөҰұҮүҺһІі-]*(?:\s+қ\.)?")
#: Texts that may stay, with the reason.
ALLOWED = {
    "© ": "none",
}


class Texts(HTMLParser):
    """Every text node of a page with the language it is in (the nearest lang attribute)."""

    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, str]] = [("html", lang, "")]
        self.nodes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "meta", "link", "hr", "input", "wbr"):
            return
        values = dict(attrs)
        self.stack.append((tag, values.get("lang"), values.get("class") or ""))

    def handle_endtag(self, tag):
        while len(self.stack) > 1:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text:
            return
        tags = [t for t, _, _ in self.stack]
        classes = " ".join(c for _, _, c in self.stack).split()
        if {"code", "pre", "style", "script", "title"} & set(tags) or {"url", "id", "hash"} & set(classes):
            return
        lang = next(lang for _, lang, _ in reversed(self.stack) if lang)
        self.nodes.append((lang, text, "/".join(tags[-3:])))


def wrong_language(html: str, lang: str) -> list[str]:
    """The text nodes of a ``lang`` page that are not in ``lang`` and are not quotations."""
    parser = Texts(lang)
    parser.feed(html)
    out = []
    for node_lang, text, _where in parser.nodes:
        if node_lang != lang:
            continue
        bare = CODE.sub(" ", text)
        if ENGLISH.search(bare):
            out.append(f"[en] {text}")
        elif lang == "kk" and len(CYRILLIC_WORD.findall(bare)) >= 6 and not KAZAKH_LETTERS.search(bare):
            out.append(f"[ru] {text}")
        elif lang == "ru" and KAZAKH_LETTERS.search(QUOTED.sub(" ", bare)):
            out.append(f"[kk] {text}")
    return [text for text in out if not any(text.endswith(allowed) or allowed in text for allowed in ALLOWED if allowed != "© ")]


@pytest.mark.parametrize("lang, page", [(lang, page) for lang, pages in PAGES.items() for page in pages])
def test_every_text_of_the_kazakh_and_russian_pages_is_in_their_language(lang, page):
    html = (RESULTS / page).read_text(encoding="utf-8")
    problems = wrong_language(html, lang)
    assert problems == [], f"{page}: {len(problems)} text(s) not in {lang}:\n" + "\n".join(problems[:40])


def test_the_check_finds_english_russian_and_kazakh_where_they_do_not_belong():
    assert wrong_language('<p>Evidence in English here</p>', "ru")
    assert wrong_language('<p>Это предложение написано полностью по-русски без казахских букв вообще</p>', "kk")
    assert wrong_language('<p>Текст с казахским словом қате посередине</p>', "ru")
    assert not wrong_language('<p>Файл results/claims/errata.csv, A/RES/44/25, adilet Z1500000288</p>', "ru")
    assert not wrong_language('<p>Слово «қосылуы» в кавычках</p><q lang="en">An English quote</q>', "ru")


def test_one_term_per_concept_per_language():
    """The glossary names each concept's term in kk, ru and en and the words it replaces; no
    translation of the project uses a replaced word."""
    rows = list(csv.DictReader(GLOSSARY.open(encoding="utf-8")))
    assert rows and {"concept", "kk", "ru", "en", "kk_avoid", "ru_avoid", "en_avoid"} <= set(rows[0])
    table = translations()
    problems = []
    for row in rows:
        for lang in ("kk", "ru", "en"):
            for avoid in filter(None, (w.strip() for w in row[f"{lang}_avoid"].split(";"))):
                pattern = re.compile(rf"(?<![\w-]){re.escape(avoid)}", re.I)
                for key, text in table[lang].items():
                    # quotations keep their words («…», “…”), and so do the article's own printed captions
                    unquoted = re.sub(r"«[^»]*»|“[^”]*”", "", str(text))
                    if pattern.search(unquoted) and not key.startswith(("table1_title", "table2_title")):
                        problems.append(f"{key} ({lang}): «{avoid}» — the glossary's term is «{row[lang]}»")
    assert problems == []
