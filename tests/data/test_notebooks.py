"""The stored notebooks: one per declared step, named NN_verb_object, thin (parameters, one
session, calls, display and prose: a markdown cell before each result), parameterised with plain
literals, on the python3 kernel, free of volatile metadata, the Python version and machine paths."""

from __future__ import annotations

import ast
import json
import re

import nbformat
import pytest

from analysis import paths, pipeline
from analysis.pipeline.run import KERNEL, VOLATILE_CELL_KEYS, notebook_bytes

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))
IDS = [nb.name for nb in NOTEBOOKS]


def load(path):
    return nbformat.read(path, as_version=4)


def test_the_notebooks_are_exactly_the_declared_steps():
    assert [nb.stem for nb in NOTEBOOKS] == sorted(s.name for s in pipeline.steps())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_name_is_nn_verb_object(path):
    assert re.fullmatch(r"\d{2}_[a-z0-9]+(_[a-z0-9]+)*\.ipynb", path.name)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_one_parameters_cell_of_plain_literals(path):
    cells = [c for c in load(path).cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    tree = ast.parse(cells[0].source)
    assert tree.body, "empty parameters cell"
    for node in tree.body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        ast.literal_eval(node.value)  # raises on anything but a literal


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_notebook_is_executed_and_clean(path):
    raw = path.read_text(encoding="utf-8")
    nb = json.loads(raw)
    assert "papermill" not in nb["metadata"]
    assert nb["metadata"]["kernelspec"] == KERNEL, "the python3 kernel every ipykernel installation provides"
    assert "version" not in nb["metadata"].get("language_info", {}), "a run under any Python writes the same bytes"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] is not None for c in code), "every code cell holds its stored output"
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    for cell in nb["cells"]:
        assert not set(cell["metadata"]) & set(VOLATILE_CELL_KEYS)
    assert str(paths.PROJECT_ROOT) not in raw and "/tmp/" not in raw, "machine-specific path in a stored notebook"
    assert notebook_bytes(nbformat.reads(raw, as_version=4)) == raw.encode("utf-8"), "not in canonical form"
    assert not any(o.get("name") == "stderr" for c in code for o in c.get("outputs", [])), "stderr in stored output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_as_its_step_in_one_session(path):
    """Thin: after the parameters, the first code cell starts the step's session; later cells only
    call, show and write (no function, class or loop bodies of analysis code)."""
    code = [c for c in load(path).cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    assert f'session.start("{path.stem}"' in code[0].source
    for cell in code:
        tree = ast.parse(cell.source)
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))], cell.source
        assert len(cell.source.splitlines()) <= 12, f"a long cell belongs in src/analysis:\n{cell.source}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_result_is_introduced_by_prose(path):
    """A markdown cell before each code cell that shows something, saying what it shows."""
    cells = load(path).cells
    for before, cell in zip(cells, cells[1:], strict=False):
        if cell.cell_type == "code" and cell.get("outputs") and "parameters" not in cell.metadata.get("tags", []):
            assert before.cell_type == "markdown", f"no prose before:\n{cell.source}"
