"""Every page of the report in a real browser (headless Chromium through Playwright), offline, at
a phone's width (390 px) and a desktop's (1 280 px).

For each page and width: nothing requested from the network (every request outside the results
folder is blocked and counted as a failure), no console error, no broken image, no sideways scroll
of the page, no table cell whose content is clipped, no link that leaves ``results/`` or points at
a missing file or anchor; on each index page the summary of the findings starts in the first
screen. Kazakh letters are drawn from a font that has them.

The browser is the distribution's Chromium (``apt-get install chromium``); Playwright drives it.
Without either, the tests are skipped and say why.
"""

from __future__ import annotations

import functools
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from analysis import paths
from analysis.i18n import LANGUAGES
from analysis.report.html import INDEX, page_name

RESULTS = paths.RESULTS
PAGES = [*INDEX.values(), *(page_name("article", lang) for lang in LANGUAGES),
         *(f"claims/{page_name('claims_report', lang)}" for lang in LANGUAGES),
         *(f"claims/errata_letter_{lang}.html" for lang in LANGUAGES), "methods.html",
         *sorted(f"notebooks/{p.name}" for p in (RESULTS / "notebooks").glob("*.html"))]
KAZAKH = "әғқңөұүһі"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def _skip_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401 (only to know it is there)
    except ImportError:
        return "playwright is not installed (it is in requirements.lock: run make)"
    if _chromium() is None:
        return "no Chromium on this machine: apt-get install chromium, or set CHROMIUM"
    return None


SKIP = _skip_reason()
pytestmark = pytest.mark.skipif(SKIP is not None, reason=SKIP or "")


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(v for k, v in attrs if k in ("id", "name") and v)


@functools.cache
def ids_of(path: Path) -> frozenset[str]:
    """The anchors of a page, read once per test session."""
    parser = Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=ARGS)
        yield b
        b.close()


def _inside_results(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme == "data":
        return True
    if parsed.scheme != "file":
        return False
    return Path(unquote(parsed.path)).resolve().is_relative_to(RESULTS.resolve())


CLIPPED = """() => Array.from(document.querySelectorAll('td, th'))
    .filter(c => c.scrollWidth > c.clientWidth + 1 && getComputedStyle(c).overflowX !== 'auto')
    .map(c => c.textContent.trim().slice(0, 40))"""


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", PAGES)
def test_page_in_a_real_browser_offline(browser, name, width):
    page_path = RESULTS / name
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, offline=True)
    page = context.new_page()
    blocked, failed, console = [], [], []

    def route(r):
        if _inside_results(r.request.url):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda req: failed.append(f"{req.url}: {req.failure}"))
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: console.append(str(err)))
    page.goto(page_path.as_uri(), wait_until="load")
    page.wait_for_load_state("networkidle")

    assert blocked == [], f"{name} asks for something outside results/: {blocked[:5]}"
    assert [f for f in failed if not any(b in f for b in blocked)] == [], failed[:5]
    assert console == [], f"{name}: console errors {console[:5]}"
    broken = page.evaluate("""() => Array.from(document.images)
        .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'))""")
    assert broken == [], f"{name}: broken images {broken[:5]}"
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {w}px"
    if not name.startswith("notebooks/"):  # the notebooks' own cells are nbconvert's
        assert page.evaluate(CLIPPED) == [], f"{name}: clipped table cells at {w}px"

    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    here, own_ids, problems = page_path.parent, ids_of(page_path), []
    for href in hrefs:
        parsed = urlparse(href)
        if parsed.scheme in ("http", "https", "mailto"):
            continue
        if not parsed.path:
            if parsed.fragment and parsed.fragment not in own_ids:
                problems.append(f"#{parsed.fragment}: no such anchor")
            continue
        target = (here / unquote(parsed.path)).resolve()
        if not target.is_relative_to(RESULTS.resolve()):
            problems.append(f"{href}: leaves results/")
        elif not target.exists():
            problems.append(f"{href}: no such file")
        elif parsed.fragment and target.suffix == ".html" and parsed.fragment not in ids_of(target):
            problems.append(f"{href}: no such anchor in {target.name}")
    assert problems == [], f"{name}: {problems[:8]}"
    context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(INDEX.values()))
def test_the_first_screen_of_each_index_holds_the_summary(browser, name, width):
    w, h = WIDTHS[width]
    page = browser.new_page(viewport={"width": w, "height": h})
    page.goto((RESULTS / name).as_uri(), wait_until="load")
    box = page.evaluate("""() => { const s = document.getElementById('summary').getBoundingClientRect();
        const c = document.querySelector('#summary .counts').getBoundingClientRect();
        return {top: s.top, counts: c.top}; }""")
    assert box["top"] < h * 0.6, f"{name}: the summary starts at {box['top']}px of a {h}px screen"
    assert box["counts"] < h, f"{name}: the counts of errors, queries and minor points are below the first screen"
    page.close()


def test_the_pages_print_on_a4_without_the_navigation(browser):
    page = browser.new_page()
    page.goto((RESULTS / "index.html").as_uri(), wait_until="load")
    page.emulate_media(media="print")
    assert page.evaluate("() => getComputedStyle(document.querySelector('nav.toc')).display") == "none"
    assert page.evaluate("() => getComputedStyle(document.querySelector('#errata')).breakBefore") == "page"
    page.close()


@pytest.mark.parametrize("name", ["index_kk.html", "article_kk.html"])
def test_kazakh_letters_are_drawn_from_a_font_that_has_them(browser, name):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((RESULTS / name).as_uri(), wait_until="load")
    assert any(ch in page.inner_text("body") for ch in KAZAKH)
    widths = page.evaluate("""(letters) => {
        const font = getComputedStyle(document.body).fontFamily;
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = '32px ' + font;
        const tofu = ctx.measureText('\\uE000').width;
        return {tofu, letters: Array.from(letters).map(l => [l, ctx.measureText(l).width])};
    }""", KAZAKH)
    missing = [letter for letter, width in widths["letters"] if width <= 0 or width == widths["tofu"]]
    assert missing == [], f"drawn as boxes: {missing}"
    page.close()
