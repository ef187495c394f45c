"""What ``make lock`` writes after resolving the locks: ``environment.yml`` and METHODS.md's versions.

``requirements.lock`` is the exact, hashed lock of what the analysis needs, resolved from
``pyproject.toml`` (``uv pip compile --universal``: one lock for Python 3.11-3.13 on every
platform, with environment markers on the packages only some need, such as ``appnope`` on
macOS); ``requirements-test.lock`` adds the test tools at the same versions. ``environment.yml``
is generated from ``requirements.lock`` (:func:`render_environment`), so that conda and Binder
users get the same versions; ``tests/integration/test_environment.py`` fails when they drift apart.

``python tools/lock.py`` rewrites ``environment.yml`` and the versions table in ``METHODS.md``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from analysis import paths
from analysis.fileio import atomic_write_bytes
from analysis.lockfile import LOCK, METHODS_PACKAGES, locked_versions

ENVIRONMENT = paths.PROJECT_ROOT / "environment.yml"
METHODS = paths.PROJECT_ROOT / "METHODS.md"
VERSIONS_BEGIN, VERSIONS_END = "<!-- versions:begin -->", "<!-- versions:end -->"
#: The Python conda installs (any of 3.11-3.13 runs the analysis).
PYTHON = ">=3.11,<3.14"
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
        if isinstance(dep, str) and dep.startswith("python"):
            python = dep.removeprefix("python")
        elif isinstance(dep, dict):
            pins += requirements(dep.get("pip", []))
    return python, pins


def _line(name: str, version: str, marker: str) -> str:
    return f"{name}=={version}" + (f" ; {marker}" if marker else "")


def render_environment(lock_text: str) -> str:
    lines = [
        "# Generated from requirements.lock by `make lock` (tools/lock.py); do not edit by hand:",
        "# tests/integration/test_environment.py fails when this file and the lock differ.",
        "# conda env create -f environment.yml && conda activate kz-inclusive-education",
        "# then: papermill notebooks/10_table1_preschools.ipynb out.ipynb  (the kernel is python3)",
        "name: kz-inclusive-education",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python{PYTHON}",
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


def versions_table(lock: Path = LOCK) -> str:
    """METHODS.md's table of the versions of the packages the methods rest on."""
    locked = locked_versions(lock)
    rows = ["| package | version (requirements.lock) |", "| --- | --- |"]
    rows += [f"| {name} | {', '.join(dict.fromkeys(locked[name]))} |" for name in METHODS_PACKAGES]
    return "\n".join([VERSIONS_BEGIN, *rows, VERSIONS_END])


def with_versions(text: str, lock: Path = LOCK) -> str:
    begin, end = text.index(VERSIONS_BEGIN), text.index(VERSIONS_END) + len(VERSIONS_END)
    return text[:begin] + versions_table(lock) + text[end:]


def main() -> int:
    atomic_write_bytes(ENVIRONMENT, render_environment(LOCK.read_text(encoding="utf-8")).encode("utf-8"))
    atomic_write_bytes(METHODS, with_versions(METHODS.read_text(encoding="utf-8")).encode("utf-8"))
    print(f"wrote {paths.shown(ENVIRONMENT)} and the versions in {paths.shown(METHODS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
