"""One environment, two spellings: ``requirements.lock`` (pip/uv) and ``environment.yml`` (conda, Binder).

``requirements.lock`` is the exact, hashed lock of the whole dependency tree, compiled from
``requirements.in`` by ``make lock`` (uv pip compile, Python 3.11, Linux x86_64).
``environment.yml`` is generated from it (:func:`render_environment`) so that conda and Binder
users get the same versions; ``tests/test_environment.py`` fails when the two drift apart.

``python -m analysis.environment`` rewrites ``environment.yml`` from the lock.
"""

from __future__ import annotations

import re
import sys

import yaml

from analysis import paths

LOCK = paths.PROJECT_ROOT / "requirements.lock"
ENVIRONMENT = paths.PROJECT_ROOT / "environment.yml"
PYTHON = "3.11"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def normalise(name: str) -> str:
    """PEP 503 normalised distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins(text: str) -> dict[str, str]:
    """``{name: version}`` of every ``name==version`` line of a pip lock file."""
    pins = {}
    for line in text.splitlines():
        match = _PIN.match(line)
        if match:
            pins[normalise(match.group(1))] = match.group(2)
    return pins


def environment_pins(text: str) -> tuple[str | None, dict[str, str]]:
    """Python version and ``{name: version}`` of the pip section of an environment.yml."""
    env = yaml.safe_load(text)
    python, pins = None, {}
    for dep in env.get("dependencies", []):
        if isinstance(dep, str) and dep.startswith("python="):
            python = dep.split("=", 1)[1]
        elif isinstance(dep, dict):
            for line in dep.get("pip", []):
                match = _PIN.match(line)
                if match:
                    pins[normalise(match.group(1))] = match.group(2)
    return python, pins


def render_environment(lock_text: str) -> str:
    lines = [
        "# Generated from requirements.lock by `make lock` (python -m analysis.environment);",
        "# do not edit by hand: tests/test_environment.py fails when this file and the lock differ.",
        "# conda env create -f environment.yml && conda activate kz-inclusive-education",
        "name: kz-inclusive-education",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={PYTHON}",
        "  - pip",
        "  - pip:",
        *(f"      - {name}=={version}" for name, version in sorted(lock_pins(lock_text).items())),
        "      - --editable .",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    ENVIRONMENT.write_text(render_environment(LOCK.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {paths.shown(ENVIRONMENT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
