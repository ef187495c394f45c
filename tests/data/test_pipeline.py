"""The step declaration holds: every notebook opened exactly the files its step declares, wrote
exactly what it declares, the generated make rules and the README's table are current, and every
raw file is read (so hash-checked) by some step."""

from __future__ import annotations

import fnmatch

import pandas as pd
import pytest

from analysis import paths, pipeline
from analysis.ingest.datapackage import load_package, raw_resources
from analysis.pipeline import generate

STEPS = pipeline.steps()
IDS = [s.name for s in STEPS]


def fragment(name: str) -> pd.DataFrame:
    return pd.read_csv(paths.RESULTS / "manifest" / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("spec", STEPS, ids=IDS)
def test_the_notebook_opened_exactly_the_files_its_step_declares(spec):
    """The manifest's inputs are the files the notebook opened (the loader records them and refuses
    anything undeclared); they must be every declared file that exists, globs expanded."""
    opened = {i for cell in fragment(spec.name)["inputs"] for i in cell.split(";") if i}
    declared = {paths.shown(p) for p in pipeline.Step(spec.name).declared_inputs()}
    assert opened == declared, {"opened, not declared": opened - declared, "declared, not opened": declared - opened}


@pytest.mark.parametrize("spec", STEPS, ids=IDS)
def test_the_notebook_wrote_exactly_what_its_step_declares(spec):
    written = set(fragment(spec.name)["file"])
    patterns = [paths.shown(pipeline.resolve(p)) for w in spec.writes for p in pipeline.expand(w)]
    undeclared = {f for f in written if not any(fnmatch.fnmatchcase(f, p) for p in patterns)}
    missing = {p for p in patterns if not any(c in p for c in "*?[") and p not in written}
    assert undeclared == set() and missing == set()


def test_the_manifest_lists_regions_and_the_data_package_where_they_are_read():
    """The inputs the hand-written lists left out (issue: notebooks 20, 22 read regions.csv; 10, 11
    read data/datapackage.json)."""
    for name in ("20_figure1_special_organisations", "22_figure3_tvet_students"):
        assert any("data/processed/regions.csv" in i for i in fragment(name)["inputs"])
    for name in ("10_table1_preschools", "11_table2_teacher_shortage"):
        assert any("data/datapackage.json" in i for i in fragment(name)["inputs"])


def test_every_raw_file_is_read_through_the_gate_by_some_step():
    declared = {paths.shown(p) for s in STEPS for p in pipeline.Step(s.name).declared_inputs()}
    for res in raw_resources(load_package()):
        assert f"data/{res['path']}" in declared, f"{res['path']} is read by no step, so no run checks its hash"


def test_layers_put_cleaning_first_and_the_report_last():
    layers = pipeline.layers()
    assert layers[0] == ["00_clean_extracts"] and layers[-1] == ["90_build_report"]
    assert sorted(n for layer in layers for n in layer) == sorted(IDS)


def test_the_generated_make_rules_are_current():
    included = paths.PROJECT_ROOT / ".make" / "steps.mk"
    if not included.exists():
        pytest.skip("make has not generated .make/steps.mk here")
    assert included.read_text(encoding="utf-8") == generate.makefile()


def test_the_readme_table_of_notebooks_is_written_from_the_declaration():
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert generate.readme_table() in readme


def test_an_undeclared_file_is_refused(tmp_path):
    step = pipeline.Step("20_figure1_special_organisations")
    assert step.allows(paths.PROCESSED / "regions.csv")
    with pytest.raises(Exception, match="does not declare"):
        step.access(paths.PROCESSED / "teacher_shortage_2023.csv")
    assert step.opened == []


def _analysis_imports(source: str, module: str) -> set[str]:
    """The ``analysis`` modules ``source`` (of ``module``) imports anywhere, at top level or inside
    functions; ``from a import b`` gives ``a.b`` when that is a module, else ``a``."""
    import ast

    out = set()
    package = module.rpartition(".")[0] if not module.endswith("__init__") else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("analysis")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            if base.startswith("analysis"):
                out |= {base} | {f"{base}.{a.name}" for a in node.names}
    return out


def _module_file(name: str):
    """The source file of module ``name`` under src/analysis, or None (a name, not a module)."""
    relative = name.split(".")[1:]
    for candidate in (pipeline.SOURCE.joinpath(*relative).with_suffix(".py"),
                      pipeline.SOURCE.joinpath(*relative, "__init__.py")):
        if relative and candidate.is_file():
            return candidate
    return pipeline.SOURCE / "__init__.py" if not relative else None


def _code_closure(notebook) -> set:
    """Every file of src/analysis a notebook's code reaches through imports (and each package's
    ``__init__`` on the way)."""
    from analysis.pipeline.kernel_template import notebook_imports

    todo = {name for name in notebook_imports(notebook) if name.split(".")[0] == "analysis"}
    seen = set()
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # importing a.b.c runs a/__init__ and a/b/__init__
            file = _module_file(".".join(parts[:i]))
            if file is None or file in seen:
                continue
            seen.add(file)
            module = ".".join(["analysis", *file.relative_to(pipeline.SOURCE).with_suffix("").parts])
            todo |= _analysis_imports(file.read_text(encoding="utf-8"), module)
    return seen


@pytest.mark.parametrize("spec", STEPS, ids=IDS)
def test_a_step_declares_all_the_code_its_notebook_runs(spec):
    """The step's make rule depends on the files under ``uses`` and ``common``: a module its
    notebook reaches through imports but that is not declared would leave the step 'up to date'
    after an edit of that module."""
    declared = set()
    for pattern in [*pipeline.declaration()["common"], *spec.uses]:
        declared |= set(pipeline.SOURCE.glob(pattern))
    missing = sorted(str(f.relative_to(pipeline.SOURCE)) for f in _code_closure(spec.notebook) - declared)
    assert not missing, f"{spec.name}: add to its uses in steps.yml: {missing}"
