"""The exact package versions of the environment, read from ``requirements.lock``."""

from __future__ import annotations

import re
from pathlib import Path

from analysis import paths

LOCK = paths.PROJECT_ROOT / "requirements.lock"
#: The packages whose versions METHODS.md and the report name: the statistics and what reads,
#: writes and runs them.
METHODS_PACKAGES = ("numpy", "scipy", "statsmodels", "pandas", "matplotlib", "seaborn", "pandera",
                    "papermill", "nbval")


def locked_versions(lock: Path = LOCK) -> dict[str, list[str]]:
    """Package -> its pinned versions in the lock (a universal lock may pin one per platform)."""
    out: dict[str, list[str]] = {}
    for line in Path(lock).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^ ;\\]+)", line)
        if match:
            out.setdefault(match.group(1).lower(), []).append(match.group(2))
    return out
