"""The report's pages as files: offline, self-contained (every link resolves inside results/),
findings first, the counts alike on every page, no raw field keys or internal jargon, every claim
anchored in the article and in the claims report (tests/integration/test_browser.py opens them in
a real browser), and the report package built from templates without the pipeline."""

from __future__ import annotations

import ast
import functools
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

from analysis import paths
from analysis.claims.model import ERRATA_OUTCOMES, OUTCOMES
from analysis.i18n import LANGUAGES
from analysis.report.html import INDEX, REMOTE, SYMBOLS, page_name
from analysis.report.notebooks import BACK_LINK, strip_remote
from analysis.report.pages import SECTIONS
from analysis.report.provenance import provenance

RESULTS = paths.RESULTS
REPORT_PAGES = [*(RESULTS / INDEX[lang] for lang in LANGUAGES), *(RESULTS / page_name("article", lang) for lang in LANGUAGES),
                *(RESULTS / "claims" / page_name("claims_report", lang) for lang in LANGUAGES),
                *(RESULTS / "claims" / f"errata_letter_{lang}.html" for lang in LANGUAGES), RESULTS / "methods.html"]
ALL_PAGES = [*REPORT_PAGES, *sorted((RESULTS / "notebooks").glob("*.html"))]
COUNTS = pd.read_csv(RESULTS / "claims" / "outcome_counts.csv", dtype=str).set_index("section").loc["total"]
CLAIMS = pd.read_csv(RESULTS / "claims" / "claims_report.csv", dtype=str, keep_default_na=False)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.loads, self.hrefs, self.ids, self.scripts, self.attrs = [], [], set(), 0, []

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        values = dict(attrs)
        self.attrs.append((tag, values))
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


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: str(p.relative_to(RESULTS)))
def test_page_loads_nothing_from_the_network(page):
    text = page.read_text(encoding="utf-8")
    links = parse(text)
    assert links.scripts == 0
    assert [u for u in links.loads if re.match(r"\s*(https?:)?//", u, re.I)] == []
    assert not REMOTE.search(text)


@functools.cache
def anchors_of(page: Path) -> frozenset[str]:
    """The ids of a page, read once (the annotated articles link hundreds of times into the same pages)."""
    return frozenset(parse(page.read_text(encoding="utf-8")).ids)


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: str(p.relative_to(RESULTS)))
def test_every_local_link_resolves_inside_the_results_folder(page):
    links = parse(page.read_text(encoding="utf-8"))
    problems = []
    for url in [*links.loads, *links.hrefs]:
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https", "data"):
            continue
        if not parsed.path:
            if parsed.fragment and parsed.fragment not in links.ids:
                problems.append(f"{url}: no such anchor")
            continue
        target = (page.parent / unquote(parsed.path)).resolve()
        if not target.is_relative_to(RESULTS.resolve()):
            problems.append(f"{url}: leaves results/")
        elif not target.exists():
            problems.append(f"{url}: no such file")
        elif parsed.fragment and target.suffix == ".html" and parsed.fragment not in anchors_of(target):
            problems.append(f"{url}: no such anchor")
    assert problems == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_index_opens_with_the_findings_and_ends_with_how_to_rerun(lang):
    text = (RESULTS / INDEX[lang]).read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in text
    positions = [text.index(f'<section id="{anchor}"') for anchor in SECTIONS]
    assert positions == sorted(positions) and list(SECTIONS)[0] == "summary" and list(SECTIONS)[-1] == "reproduce"
    summary = text[positions[0]:positions[1]]
    for item in pd.read_csv(RESULTS / "claims" / "errata.csv", dtype=str).query("kind == 'error'")["claim_id"]:
        assert f'href="#erratum-{item}"' in summary, "every error is in the findings, linked to its detail"
    assert "make reproduce" not in text[:positions[-1]], "how to rerun comes last"
    for other, name in INDEX.items():
        if other != lang:
            assert f'href="{name}"' in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_errors_queries_and_minor_points_are_counted_alike_on_every_page(lang):
    index = (RESULTS / INDEX[lang]).read_text(encoding="utf-8")
    for kind in (*ERRATA_OUTCOMES, "consistent", "not_checkable"):
        assert f'data-kind="{kind}" data-count="{COUNTS[kind]}"' in index, kind
    for kind in ERRATA_OUTCOMES:
        assert f'id="errata-{kind}" data-count="{COUNTS[kind]}"' in index
        assert 'id="erratum-' in index
    claims = (RESULTS / "claims" / page_name("claims_report", lang)).read_text(encoding="utf-8")
    total = claims[claims.index('data-section="total"'):]
    for kind in OUTCOMES:
        assert re.search(rf'data-kind="{kind}">{COUNTS[kind]}<', total), kind
    letter = (RESULTS / "claims" / f"errata_{lang}.md").read_text(encoding="utf-8")
    assert [int(n) for n in re.findall(r"^## .*\((\d+)\)$", letter, flags=re.M)] == [int(COUNTS[k]) for k in ERRATA_OUTCOMES]


def test_the_kinds_have_their_own_symbols():
    symbols = [SYMBOLS[kind] for kind in (*ERRATA_OUTCOMES, "consistent", "not_checkable")]
    assert len(set(symbols)) == len(symbols)


@pytest.mark.parametrize("page", REPORT_PAGES, ids=lambda p: str(p.relative_to(RESULTS)))
def test_no_raw_field_keys_or_internal_jargon_on_the_pages(page):
    text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
    for bad in (r"\bkz_\w+", r"\b\w+_(date|instrument|provision|by|value|part)\b", r"verified_part", r"proposal of issue",
                r"earlier source search", r"not re-retrieved", r"Дәлел \(ағылшынша\)", r"Доказательство \(на английском\)",
                r"\bdetail\b"):
        assert not re.search(bad, text), (page.name, bad, re.search(bad, text).group(0) if re.search(bad, text) else "")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_claim_is_anchored_in_the_article_and_in_the_claims_report_and_they_link_both_ways(lang):
    article = parse((RESULTS / page_name("article", lang)).read_text(encoding="utf-8"))
    report = parse((RESULTS / "claims" / page_name("claims_report", lang)).read_text(encoding="utf-8"))
    for claim_id in CLAIMS["claim_id"]:
        assert claim_id in article.ids and claim_id in report.ids, claim_id
    assert any(h.endswith("#R13a") and "claims_report" in h for h in article.hrefs)
    assert any(h.endswith(f"{page_name('article', lang)}#R13a") for h in report.hrefs)


def test_the_article_is_shown_whole_with_its_tables_as_tables_and_only_checked_values_marked():
    text = (RESULTS / "article.html").read_text(encoding="utf-8")
    for words in ("Аңдатпа", "Қорытынды", "Ключевые слова", "Keywords"):
        assert words in text
    assert text.count("<table") >= 2
    assert '<a class="n error"' in text and '<a class="n query"' in text and '<a class="n minor"' in text
    # a year or a table cell no check uses is not marked: Aktobe's children with SEN (365), 2024 in R13a
    row = text[text.index(">АҚТӨБЕ<"):text.index("</tr>", text.index(">АҚТӨБЕ<"))]
    assert '<td class="num">365</td>' in row
    assert "2024 жылдың басында" in text, "the year that dates R13a is plain text"


def test_the_report_package_imports_nothing_from_the_pipeline_and_builds_no_html_in_f_strings():
    for path in sorted((paths.PROJECT_ROOT / "src" / "analysis" / "report").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("analysis.pipeline"), path.name
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("analysis.pipeline") for a in node.names), path.name
            if isinstance(node, ast.JoinedStr):
                literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                assert not re.search(r"<(div|p|table|tr|td|section|h\d|ul|li|figure)\b", literal), (path.name, literal)
    assert (Path(paths.PROJECT_ROOT / "src" / "analysis" / "report" / "templates") / "index.html").exists()


def test_every_rendered_notebook_links_back_to_the_report():
    for page in (RESULTS / "notebooks").glob("*.html"):
        assert BACK_LINK.strip() in page.read_text(encoding="utf-8"), page.name


def test_the_reproduce_box_states_the_version_the_commands_and_a_content_hash():
    text = (RESULTS / "index.html").read_text(encoding="utf-8")
    box = text[text.index('<section id="reproduce"'):]
    facts = provenance(paths.RAW, paths.NOTEBOOKS)
    assert "make reproduce" in box and "make test" in box
    assert facts["lock_sha256"] in box and facts["inputs_sha256"] in box
    assert 'href="methods.html"' in box and 'href="manifest.csv"' in box


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
