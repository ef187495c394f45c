"""Every `# noqa` says why. (The layers and the declared dependencies are checked by make lint:
import-linter and deptry, configured in pyproject.toml.)"""

from __future__ import annotations

import re

from analysis import paths

SRC = paths.PROJECT_ROOT / "src" / "analysis"
MODULES = sorted(SRC.rglob("*.py"))


def test_every_noqa_says_why():
    unexplained = []
    for path in [*MODULES, *(paths.PROJECT_ROOT / "tests").rglob("*.py"), *(paths.PROJECT_ROOT / "tools").rglob("*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = re.search(r"#\s*noqa\b(:\s*[A-Z0-9, ]+)?(.*)$", line)
            if match and not match.group(2).strip(" ()"):
                unexplained.append(f"{paths.shown(path)}:{number}")
    assert unexplained == []
