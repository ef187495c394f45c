"""The step graph holds: every notebook wrote exactly what its step declares, with the step's
declared reads as its inputs; the generated make rules are current and follow each notebook's
imports; every raw file is read (so hash-checked) by some step."""

from __future__ import annotations

import fnmatch

import pandas as pd
import pytest

from analysis import paths, pipeline
from analysis.ingest.datapackage import load_package, raw_resources
from analysis.pipeline import makefile

STEPS = pipeline.steps()
IDS = [s.name for s in STEPS]


def fragment(name: str) -> pd.DataFrame:
    return pd.read_csv(paths.RESULTS / "manifest" / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("spec", STEPS, ids=IDS)
def test_the_manifest_names_the_declared_reads_as_inputs(spec):
    listed = {i for cell in fragment(spec.name)["inputs"] for i in cell.split(";") if i}
    declared = {paths.shown(p) for p in pipeline.Step(spec.name).declared_inputs()}
    assert listed <= declared and listed, {"listed, not declared": listed - declared}


@pytest.mark.parametrize("spec", STEPS, ids=IDS)
def test_the_notebook_wrote_exactly_what_its_step_declares(spec):
    written = set(fragment(spec.name)["file"])
    patterns = [paths.shown(pipeline.resolve(p)) for w in spec.writes for p in pipeline.expand(w)]
    undeclared = {f for f in written if not any(fnmatch.fnmatchcase(f, p) for p in patterns)}
    missing = {p for p in patterns if not pipeline.is_glob(p) and p not in written}
    assert undeclared == set() and missing == set()


def test_every_raw_file_is_read_through_the_gate_by_some_step():
    declared = {paths.shown(p) for s in STEPS for p in pipeline.Step(s.name).declared_inputs()}
    for res in raw_resources(load_package()):
        assert f"data/{res['path']}" in declared, f"{res['path']} is read by no step, so no run checks its hash"


def test_cleaning_comes_first_and_the_report_reads_every_other_step():
    assert pipeline.dependencies("00_clean_extracts") == set()
    assert pipeline.dependencies("90_build_report") == set(IDS) - {"90_build_report"}


def test_the_generated_make_rules_are_current():
    included = paths.PROJECT_ROOT / ".make" / "steps.mk"
    if not included.exists():
        pytest.skip("make has not generated .make/steps.mk here")
    assert included.read_text(encoding="utf-8") == makefile.makefile()


def test_a_step_depends_on_the_code_its_notebook_imports_and_no_other():
    code = {paths.shown(f) for f in makefile.code_files(pipeline.spec("40_regional_disparity").notebook)}
    assert {"src/analysis/stats/regional.py", "src/analysis/figures/disparity.py", "src/analysis/session/__init__.py",
            "src/analysis/i18n/summaries.csv", "src/analysis/stats/__init__.py"} <= code
    assert not any(f.startswith(("src/analysis/claims/", "src/analysis/report/")) for f in code)
    claims = {paths.shown(f) for f in makefile.code_files(pipeline.spec("30_verify_claims").notebook)}
    assert "src/analysis/claims/checks/arithmetic.py" in claims, "followed through the package's own imports"


def test_imports_are_followed_from_relative_and_nested_forms():
    source = "from .checks import base\nimport analysis.stats.trend as t\ndef f():\n    from analysis import tables\n"
    found = makefile.imported_modules(source, "analysis.claims.registry")
    assert {"analysis.claims.checks", "analysis.claims.checks.base", "analysis.stats.trend", "analysis.tables"} <= found


def test_an_undeclared_file_is_refused():
    step = pipeline.Step("20_figure1_special_organisations")
    assert step.access(paths.PROCESSED / "regions.csv") == paths.PROCESSED / "regions.csv"
    with pytest.raises(Exception, match="does not declare"):
        step.access(paths.PROCESSED / "teacher_shortage_2023.csv")


def test_patterns_expand_languages_alternatives_and_the_year():
    assert pipeline.expand("results/x_{lang}.{png,csv}", 2024) == [
        f"results/x_{lang}.{ext}" for lang in ("kk", "ru", "en") for ext in ("png", "csv")]
    assert pipeline.expand("raw/t_{year}.csv") == [f"raw/t_{paths.ARTICLE_YEAR}.csv"]
