"""The package is laid out by concern: every dependency declared and used, every `# noqa` explained."""

from __future__ import annotations

import ast
import re
import sys
import tomllib

from analysis import paths

SRC = paths.PROJECT_ROOT / "src" / "analysis"
MODULES = sorted(SRC.rglob("*.py"))
#: Packages of requirements.in that are tools, not imports, and where they are used.
TOOLS = {"jupyterlab": "make lab", "ipykernel": "the project kernel", "nbval": "tests/integration/test_nbval.py",
         "pytest-xdist": "make test (-n 2)", "setuptools": "the build backend (pyproject.toml)", "uv": "make venv, make lock",
         "ruff": "make lint", "papermill": "analysis.pipeline.runner"}
#: Import names that differ from distribution names.
IMPORT_NAMES = {"pyyaml": "yaml", "pytest-xdist": "xdist", "ipython": "IPython", "jupyter-client": "jupyter_client",
                "adjusttext": "adjustText"}


def imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "importorskip" and node.args
              and isinstance(node.args[0], ast.Constant)):
            out.add(node.args[0].value.split(".")[0])
    return out


def third_party(names: set[str]) -> set[str]:
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("analysis", "tools", "support", "conftest")}


def test_pyproject_lists_every_package_the_code_imports():
    project = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {IMPORT_NAMES.get(d.lower(), d.lower().replace("-", "_")) for d in project["dependencies"]}
    used = third_party(set().union(*(imports(p) for p in MODULES)))
    assert used - declared == set()


def test_every_required_package_is_used():
    requirements = [line.split("#")[0].strip() for line in
                    (paths.PROJECT_ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()]
    files = [*MODULES, *(paths.PROJECT_ROOT / "tests").rglob("*.py"), *(paths.PROJECT_ROOT / "tools").rglob("*.py")]
    used = set().union(*(imports(p) for p in files))
    unused = [r for r in filter(None, requirements) if r not in TOOLS and IMPORT_NAMES.get(r, r.replace("-", "_")) not in used]
    assert unused == []


def test_every_noqa_says_why():
    unexplained = []
    for path in [*MODULES, *(paths.PROJECT_ROOT / "tests").rglob("*.py"), *(paths.PROJECT_ROOT / "tools").rglob("*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = re.search(r"#\s*noqa\b(:\s*[A-Z0-9, ]+)?(.*)$", line)
            if match and not match.group(2).strip(" ()"):
                unexplained.append(f"{paths.shown(path)}:{number}")
    assert unexplained == []
