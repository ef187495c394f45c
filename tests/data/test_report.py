"""results/index.html: one self-contained, offline page for reviewers."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from analysis import paths
from analysis.report.html import REMOTE
from analysis.report.notebooks import strip_remote

INDEX = paths.RESULTS / "index.html"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.scripts = [], 0

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        self.urls += [value for name, value in attrs if name in ("href", "src", "action", "poster", "data") and value]


def parse(text: str) -> Links:
    links = Links()
    links.feed(text)
    return links


@pytest.mark.parametrize("page", [INDEX, *sorted((paths.RESULTS / "notebooks").glob("*.html"))],
                         ids=lambda p: p.name)
def test_page_loads_nothing_from_the_network(page):
    text = page.read_text(encoding="utf-8")
    links = parse(text)
    assert links.scripts == 0
    remote = [u for u in links.urls if re.match(r"\s*(https?:)?//", u, re.I)]
    assert remote == []
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", text, re.I), "CSS fetching a remote URL"
    assert not re.search(r"@import", text), "CSS import"
    assert not REMOTE.search(text)


def test_index_links_point_to_files_that_exist():
    links = parse(INDEX.read_text(encoding="utf-8"))
    local = [u for u in links.urls if not u.startswith(("#", "data:"))]
    assert local, "the index links its files"
    missing = [u for u in local if not (paths.RESULTS / u).exists()]
    assert missing == []


def test_index_has_every_section_and_every_notebook():
    text = INDEX.read_text(encoding="utf-8")
    for section in ("tables", "figures", "claims", "statistics", "corrections", "notebooks"):
        assert f'id="{section}"' in text
    for nb in paths.NOTEBOOKS.glob("*.ipynb"):
        if not nb.name.startswith("90_"):
            assert f'href="notebooks/{nb.stem}.html"' in text, nb.name
    assert text.count("data:image/png;base64,") >= 5


def test_index_numbers_come_from_the_outputs():
    text = INDEX.read_text(encoding="utf-8")
    claims = pd.read_csv(paths.RESULTS / "claims" / "claims_report.csv", dtype=str)
    assert f"{len(claims)} numeric statements" in text
    comparison = pd.read_csv(paths.RESULTS / "tables" / "table1_preschools_comparison.csv")
    assert f"{len(comparison)} cells compared" in text


def test_strip_remote_removes_scripts_links_and_remote_attributes():
    dirty = ('<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="https://cdn.example/a.css">'
             '<a href="https://example.org/">x</a><img src="//cdn.example/i.png"><style>/* https://a.b */ p{}</style>')
    clean = strip_remote(dirty)
    assert "example" not in clean and "<script" not in clean and "a.b" not in clean
    assert '<a href="#">x</a>' in clean
