"""One environment, two spellings: ``requirements.lock`` (pip/uv) and ``environment.yml`` (conda, Binder).

``requirements.lock`` is the exact, hashed lock of the whole dependency tree, compiled from
``requirements.in`` by ``make lock`` (``uv pip compile --universal``, Python 3.11): one lock for
every platform, with environment markers on the packages only some platforms need (``appnope`` on
macOS, ``pywinpty`` on Windows). ``environment.yml`` is generated from it
(:func:`render_environment`), markers included, so that conda and Binder users get the same
versions; ``tests/test_environment.py`` fails when the two drift apart, and dry-runs the install
from the lock for Linux and macOS on x86-64 and arm64.

``python -m analysis.pipeline.environment`` rewrites ``environment.yml`` from the lock.
"""

from __future__ import annotations

import re
import sys

import yaml

from analysis import paths

LOCK = paths.PROJECT_ROOT / "requirements.lock"
ENVIRONMENT = paths.PROJECT_ROOT / "environment.yml"
PYTHON = "3.11"
#: The platforms the lock must install on (uv's --python-platform names). Windows: use WSL.
PLATFORMS = ("x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "aarch64-apple-darwin", "x86_64-apple-darwin")
_REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]*?))?\s*\\?\s*$")


def distribution_name(name: str) -> str:
    """PEP 503 normalised distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(lines) -> list[tuple[str, str, str]]:
    """``(name, version, marker)`` of every ``name==version [; marker]`` line (marker '' if none)."""
    out = []
    for line in lines:
        match = _REQUIREMENT.match(line.strip())
        if match:
            out.append((distribution_name(match.group(1)), match.group(2), (match.group(3) or "").strip()))
    return out


def lock_requirements(text: str) -> list[tuple[str, str, str]]:
    return requirements(text.splitlines())


def lock_pins(text: str) -> dict[str, str]:
    """``{name: version}`` of the lock's packages that this interpreter and platform install."""
    from packaging.markers import Marker

    return {name: version for name, version, marker in lock_requirements(text)
            if not marker or Marker(marker).evaluate()}


def environment_pins(text: str) -> tuple[str | None, list[tuple[str, str, str]]]:
    """Python version and the ``(name, version, marker)`` of the pip section of an environment.yml."""
    env = yaml.safe_load(text)
    python, pins = None, []
    for dep in env.get("dependencies", []):
        if isinstance(dep, str) and dep.startswith("python="):
            python = dep.split("=", 1)[1]
        elif isinstance(dep, dict):
            pins += requirements(dep.get("pip", []))
    return python, pins


def _line(name: str, version: str, marker: str) -> str:
    return f"{name}=={version}" + (f" ; {marker}" if marker else "")


def render_environment(lock_text: str) -> str:
    lines = [
        "# Generated from requirements.lock by `make lock` (python -m analysis.pipeline.environment);",
        "# do not edit by hand: tests/test_environment.py fails when this file and the lock differ.",
        "# conda env create -f environment.yml && conda activate kz-inclusive-education",
        "name: kz-inclusive-education",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={PYTHON}",
        "  - pip",
        "  - pip:",
        *(f"      - {_quoted(_line(*req))}" for req in sorted(lock_requirements(lock_text))),
        "      - --editable .",
        "",
    ]
    return "\n".join(lines)


def _quoted(text: str) -> str:
    """A YAML scalar for a requirement (markers hold quotes and colons-free text; quote if needed)."""
    return text if "'" not in text and ":" not in text else '"' + text.replace('"', '\\"') + '"'


def main() -> int:
    ENVIRONMENT.write_text(render_environment(LOCK.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {paths.shown(ENVIRONMENT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
