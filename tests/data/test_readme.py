"""The README's numbers are the outputs' numbers (it quotes the claims verdict counts)."""

from __future__ import annotations

import re

import pandas as pd

from analysis import paths


def test_readme_claim_counts_match_the_claims_report():
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"\*\*(\d+) claims: (\d+) consistent, (\d+) inconsistent, (\d+) not checkable\*\*", readme)
    assert stated, "the README states the claim counts"
    verdicts = pd.read_csv(paths.RESULTS / "claims" / "claims_report.csv", dtype=str)["verdict"].value_counts()
    assert tuple(int(g) for g in stated.groups()) == (
        int(verdicts.sum()), int(verdicts.get("consistent", 0)), int(verdicts.get("inconsistent", 0)),
        int(verdicts.get("not_checkable", 0)))


def test_the_two_commands_are_the_makefile_targets_ci_runs():
    """The README's first code block is exactly the two commands; both are documented Makefile
    targets, and CI runs them."""
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Two commands.*?```sh\n(.*?)```", readme, re.S).group(1)
    assert [line.split("#")[0].strip() for line in block.splitlines()] == ["make reproduce", "make test"]
    makefile = (paths.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("reproduce", "test"):
        assert re.search(rf"^{target}:.*## ", makefile, re.M), f"make {target} has no help line"
    ci = (paths.PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make reproduce$", ci, re.M) and re.search(r"^make test$", ci, re.M)


def test_the_benchmark_table_is_written_by_the_benchmark(tmp_path):
    from tools import bench
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(bench.README_BEGIN) == 1 and readme.count(bench.README_END) == 1
    run = {"date": "2026-01-02", "machine": "a machine",
           "seconds": {"cold": 60.0, "b": 30.0, "bp": 70.0, "c": 25.0, "bare": 20.0, "d": 121.0, "e": 0.02,
                       "g": 50.0, "h": 12.0},
           "identical": {"warm kernels": True, "ordinary kernels": True}}
    copy = tmp_path / "README.md"
    copy.write_text(f"intro\n{bench.README_BEGIN}\nstale table\n{bench.README_END}\nrest\n", encoding="utf-8")
    bench.record_in_readme(run, copy)
    text = copy.read_text(encoding="utf-8")
    assert text.startswith("intro\n") and text.endswith("\nrest\n") and "stale table" not in text
    assert "A run on 2026-01-02: a machine." in text
    assert "| (b)/(c) | 30.0 / 25.0 | 1.20 | ≤ 1.25: met |" in text
    assert "| (d)/(b) | 121.0 / 30.0 | 4.03 | ≥ 4: met |" in text
    assert "| (g)/(b) | 50.0 / 30.0 | 1.67 | ≤ 1.5: missed |" in text
    assert "| **cold / (b)** | 60.0 / 30.0 | 2.00 | ≤ 1.3: missed |" in text
    assert "| (b)/(bp): warm against ordinary kernels | 30.0 / 70.0 | 0.43 | ≤ 0.5: met |" in text
    assert "| outputs byte-identical with warm and with ordinary kernels |  | yes | required: met |" in text
