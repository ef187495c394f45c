"""``make letter``: the errata letter printed to PDF in Kazakh, Russian and English.

The stored edition of the letter is ``results/claims/errata_<lang>.md`` and the print-styled page
``results/claims/errata_letter_<lang>.html`` (byte-stable). A PDF embeds a creation date and the
printing engine's version, so it cannot be byte-identical across machines: it is printed on demand
from the stored page, with the browser the browser test uses (Chromium through Playwright), to
``build/letter/errata_letter_<lang>.pdf`` on A4, and never stored.

``python tools/letter.py OUT_DIR`` (``make letter``)
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from analysis import paths
from analysis.i18n import LANGUAGES

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    """The Chromium to print with (``CHROMIUM`` or the one on the PATH)."""
    import os

    for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    raise SystemExit("make letter needs Chromium: apt-get install chromium (or set CHROMIUM to a browser's path)")


def print_letters(out_dir: Path, results: Path = paths.RESULTS) -> list[Path]:
    """Each language's letter page printed to ``out_dir`` as A4 PDF; returns the files."""
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=ARGS)
        for lang in LANGUAGES:
            page = browser.new_page()
            page.goto((results / "claims" / f"errata_letter_{lang}.html").as_uri(), wait_until="load")
            target = out_dir / f"errata_letter_{lang}.pdf"
            page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True)
            written.append(target)
            page.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python tools/letter.py OUT_DIR", file=sys.stderr)
        return 2
    for path in print_letters(Path(argv[0])):
        print(f"==> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
