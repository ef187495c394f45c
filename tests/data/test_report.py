"""The report's pages as files: offline, linked, in three languages, with the sections a reviewer
needs (tests/integration/test_browser.py opens them in a real browser)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

from analysis import paths
from analysis.report.html import INDEX, REMOTE, SYMBOLS
from analysis.report.index import SECTIONS
from analysis.report.notebooks import BACK_LINK, strip_remote
from analysis.report.provenance import provenance

RESULTS = paths.RESULTS
PAGES = [RESULTS / name for name in INDEX.values()] + [RESULTS / "article.html"]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.loads, self.hrefs, self.ids, self.scripts = [], [], set(), 0

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        values = dict(attrs)
        self.ids.update(v for k, v in attrs if k == "id" and v)
        self.loads += [v for k, v in attrs if k in ("src", "action", "poster", "data", "srcset") and v]
        if tag == "link" and values.get("href"):
            self.loads.append(values["href"])
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"])


def parse(text: str) -> Links:
    links = Links()
    links.feed(text)
    return links


@pytest.mark.parametrize("page", [*PAGES, *sorted((RESULTS / "notebooks").glob("*.html"))], ids=lambda p: p.name)
def test_page_loads_nothing_from_the_network(page):
    text = page.read_text(encoding="utf-8")
    links = parse(text)
    assert links.scripts == 0
    assert [u for u in links.loads if re.match(r"\s*(https?:)?//", u, re.I)] == []
    assert not REMOTE.search(text)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_local_link_and_image_resolves(page):
    links = parse(page.read_text(encoding="utf-8"))
    missing = []
    for url in [*links.loads, *links.hrefs]:
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https", "data") or not parsed.path:
            if not parsed.path and parsed.fragment and parsed.fragment not in links.ids:
                missing.append(url)
            continue
        if not (page.parent / unquote(parsed.path)).exists():
            missing.append(url)
    assert missing == []


@pytest.mark.parametrize("lang", list(INDEX))
def test_each_edition_has_every_section_links_the_others_and_speaks_its_language(lang):
    text = (RESULTS / INDEX[lang]).read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in text
    for section in SECTIONS:
        assert f'id="{section}"' in text
    for other, name in INDEX.items():
        if other != lang:
            assert f'href="{name}"' in text
    for nb in paths.NOTEBOOKS.glob("*.ipynb"):
        if not nb.name.startswith("90_"):
            assert f'href="notebooks/{nb.stem}.html"' in text, nb.name
    from analysis import pipeline

    figures = {p for s in pipeline.steps() for w in s.writes for p in pipeline.expand(w) if p.endswith(f"_{lang}.png")}
    assert text.count("<figure") >= len(figures) and "data:image" not in text, "every figure, linked, not embedded"
    assert re.search(r'<figcaption><strong>[^<]*\b1\b[^<]*</strong>', text), "numbered captions"
    if lang != "en":
        headings = re.findall(r"<h2>([^<]*)</h2>", text)
        assert not any(re.fullmatch(r"[A-Za-z ,':]+", h) for h in headings), f"English headings on the {lang} page"


def test_reproduce_section_states_the_commands_versions_and_a_content_hash():
    text = (RESULTS / "index.html").read_text(encoding="utf-8")
    section = text[text.index('id="reproduce"'):text.index('id="verdicts"')]
    assert "make reproduce" in section and "make test" in section
    facts = provenance(paths.RAW, paths.NOTEBOOKS)
    assert facts["lock_sha256"] in section and facts["inputs_sha256"] in section
    assert all(f"{name} {version}" in section for name, version in facts["packages"].items())
    for target in ("../README.md", "manifest.csv", "datapackage.json", "../METHODS.md", "../environment.yml"):
        assert f'href="{target}"' in section


def test_errata_in_the_report_have_two_sections_with_every_item():
    items = pd.read_csv(RESULTS / "claims" / "errata.csv", dtype=str, keep_default_na=False)
    text = (RESULTS / "index.html").read_text(encoding="utf-8")
    assert text.index('id="errata-error"') < text.index('id="errata-query"')
    for claim_id in items["claim_id"]:
        assert f'id="erratum-{claim_id}"' in text


def test_statuses_are_shown_by_symbols_as_well_as_colours():
    text = (RESULTS / "index.html").read_text(encoding="utf-8")
    for status in ("consistent", "inconsistent", "not_checkable", "corrected"):
        assert f'class="st st-{status}"' in text and SYMBOLS[status] in text


def test_the_annotated_article_marks_every_claim_and_every_excluded_number():
    text = (RESULTS / "article.html").read_text(encoding="utf-8")
    claims = pd.read_csv(RESULTS / "claims" / "claims_report.csv", dtype=str)
    for claim_id in claims["claim_id"]:
        assert f'id="s-{claim_id}"' in text, claim_id
        assert f'claims_report.html#claim-{claim_id}"' in text
    tokens = pd.read_csv(paths.RAW / "article_number_tokens.csv", dtype=str, keep_default_na=False)
    excluded = tokens[tokens["exclusion"] != ""]
    assert all(f"<td>{token_id}</td>" in text for token_id in excluded["token_id"])
    assert 'class="n inconsistent"' in text


def test_index_numbers_come_from_the_outputs():
    text = (RESULTS / "index.html").read_text(encoding="utf-8")
    claims = pd.read_csv(RESULTS / "claims" / "claims_report.csv", dtype=str)
    assert f"{len(claims)} numeric statements" in text
    comparison = pd.read_csv(RESULTS / "tables" / "table1_preschools_comparison.csv")
    assert f"{len(comparison)} cells compared" in text


def test_every_rendered_notebook_links_back_to_the_report():
    for page in (RESULTS / "notebooks").glob("*.html"):
        assert BACK_LINK.strip() in page.read_text(encoding="utf-8"), page.name


def test_content_hash_ignores_outputs_but_not_sources(tmp_path):
    import json

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.csv").write_text("x\n1\n", encoding="utf-8")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    cell = {"cell_type": "code", "source": ["1 + 1"], "outputs": [], "metadata": {}, "execution_count": None}
    (nbs / "n.ipynb").write_text(json.dumps({"cells": [cell]}), encoding="utf-8")
    first = provenance(raw, nbs)["inputs_sha256"]
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["2"]}]
    (nbs / "n.ipynb").write_text(json.dumps({"cells": [cell]}), encoding="utf-8")
    assert provenance(raw, nbs)["inputs_sha256"] == first
    (raw / "a.csv").write_text("x\n2\n", encoding="utf-8")
    assert provenance(raw, nbs)["inputs_sha256"] != first


def test_strip_remote_removes_scripts_links_and_remote_attributes():
    dirty = ('<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="https://cdn.example/a.css">'
             '<a href="https://example.org/">x</a><img src="//cdn.example/i.png"><style>/* https://a.b */ p{}</style>')
    clean = strip_remote(dirty)
    assert "example" not in clean and "<script" not in clean and "a.b" not in clean
    assert '<a href="#">x</a>' in clean


def test_remote_pattern_catches_loads_but_not_links():
    assert REMOTE.search('<img src="https://x/y.png">') and REMOTE.search("<style>@import 'x.css'</style>")
    assert REMOTE.search('<link rel="stylesheet" href="//cdn/x.css">')
    assert not REMOTE.search('<a href="https://adilet.zan.kz/">source</a>')
