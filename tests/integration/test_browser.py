"""Every page of the report in a real browser (headless Chromium through Playwright), offline.

For each page: nothing requested from the network (every request outside the results folder is
blocked and counted as a failure), no failed request, no broken image, no broken link (files and
anchors, including anchors in other pages), no horizontal scrolling at 1 024 px, and the Kazakh
letters drawn from a font that has them (not as boxes).

The browser is the distribution's Chromium (``apt-get install chromium``; ``.ci/run`` installs it
when it is missing); Playwright drives it. Without either, the tests are skipped and say why.
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

RESULTS = paths.RESULTS
PAGES = ["index.html", "index_kk.html", "index_ru.html", "article.html", "claims/claims_report.html",
         *sorted(f"notebooks/{p.name}" for p in (RESULTS / "notebooks").glob("*.html"))]
KAZAKH = "әғқңөұүһі"
WIDTH = 1024


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
        return "no Chromium on this machine: apt-get install chromium (.ci/run does it), or set CHROMIUM"
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
    """The anchors of a page, read once per test session (pages link to the same big pages many times)."""
    parser = Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        yield b
        b.close()


def _inside_project(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme == "data":
        return True
    if parsed.scheme != "file":
        return False
    return Path(unquote(parsed.path)).resolve().is_relative_to(paths.PROJECT_ROOT.resolve())


@pytest.mark.parametrize("name", PAGES)
def test_page_in_a_real_browser_offline(browser, name):
    page_path = RESULTS / name
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, offline=True)
    page = context.new_page()
    blocked, failed = [], []

    def route(r):
        if _inside_project(r.request.url):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda req: failed.append(f"{req.url}: {req.failure}"))
    page.goto(page_path.as_uri(), wait_until="load")
    page.wait_for_load_state("networkidle")

    assert blocked == [], f"{name} asks the network for {blocked[:5]}"
    assert [f for f in failed if not any(b in f for b in blocked)] == [], failed[:5]

    broken = page.evaluate("""() => Array.from(document.images)
        .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'))""")
    assert broken == [], f"{name}: broken images {broken[:5]}"

    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {WIDTH}px"

    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    here = page_path.parent
    own_ids = ids_of(page_path)
    problems = []
    for href in hrefs:
        parsed = urlparse(href)
        if parsed.scheme in ("http", "https", "mailto"):
            continue
        if not parsed.path:
            if parsed.fragment and parsed.fragment not in own_ids:
                problems.append(f"#{parsed.fragment}: no such anchor")
            continue
        target = (here / unquote(parsed.path)).resolve()
        if not target.exists():
            problems.append(f"{href}: no such file")
        elif parsed.fragment and target.suffix == ".html" and parsed.fragment not in ids_of(target):
            problems.append(f"{href}: no such anchor in {target.name}")
    assert problems == [], f"{name}: {problems[:8]}"
    context.close()


@pytest.mark.parametrize("name", ["index_kk.html", "article.html"])
def test_kazakh_letters_are_drawn_from_a_font_that_has_them(browser, name):
    page = browser.new_page(viewport={"width": WIDTH, "height": 900})
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
