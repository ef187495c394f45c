"""Next year, as the README says it: its commands, run verbatim in a copy of the tree on a made-up
2024 extract (``tests/fixtures/FIXTURE_next_year_2024``), follow the fixture, not the 2023 data,
write only into ``build/years/2024``, and leave ``git status`` empty and the 2023 outputs intact.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis import paths

from support import VENV, copy_env, copy_worktree, git

FIXTURE = Path(__file__).parents[1] / "fixtures" / "FIXTURE_next_year_2024"
YEAR = 2024


def rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def readme_commands(name: str) -> list[str]:
    """The commands of the README's block marked ``readme-commands: <name>``, continuation lines joined."""
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(rf"<!-- readme-commands: {name} .*?-->\n```sh\n(.*?)```", readme, re.S)
    assert block, f"the README has no block marked readme-commands: {name}"
    return [line.strip() for line in block.group(1).replace("\\\n", " ").splitlines() if line.strip()]


def stored_outputs(repo: Path) -> dict[str, str]:
    files = [p for d in ("data/processed", "results", "notebooks") for p in (repo / d).rglob("*") if p.is_file()]
    return {p.relative_to(repo).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def run(repo: Path, command: str) -> None:
    done = subprocess.run(["bash", "-c", command], cwd=repo, env=copy_env(repo), capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


@pytest.fixture(scope="module")
def next_year(tmp_path_factory):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    repo = copy_worktree(tmp_path_factory.mktemp("next-year") / "repo")
    (repo / ".venv").symlink_to(VENV)  # the project's environment, as a user's checkout has its own
    (repo / ".git" / "info" / "exclude").write_text(".venv\n", encoding="utf-8")
    for path in FIXTURE.glob("*.csv"):  # the user puts the new extract beside the article's
        shutil.copy(path, repo / "data" / "raw" / path.name)
    before = stored_outputs(repo)
    status = {}
    register, reproduce = readme_commands("next-year")
    run(repo, register)
    git(repo, "add", "-A")  # the registration, reviewed, is committed
    git(repo, "-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-qm", "register 2024")
    run(repo, reproduce)
    status["reproduce"] = git(repo, "status", "--porcelain")
    for command in readme_commands("by-hand"):
        run(repo, command)
    status["by-hand"] = git(repo, "status", "--porcelain")
    return {"repo": repo, "root": repo / "build" / "years" / str(YEAR), "status": status,
            "stored_unchanged": stored_outputs(repo) == before}


def test_the_readme_commands_leave_git_status_empty_and_2023_intact(next_year):
    assert next_year["status"] == {"reproduce": "", "by-hand": ""}
    assert next_year["stored_unchanged"], "a stored 2023 output changed"


def test_processed_tables_follow_the_fixture(next_year):
    fixture = rows(FIXTURE / "table1_preschools_2024.csv")
    processed = rows(next_year["root"] / "processed" / "preschool_inclusion_2024.csv")
    header = processed[0]
    by_printed = {r[header.index("region_as_printed")]: r for r in processed[1:]}
    assert len(by_printed) == 20
    for printed in fixture[2:]:
        row = by_printed[printed[0]]
        assert row[header.index("year")] == str(YEAR)
        assert row[header.index("preschools_total")] == printed[1]
        assert row[header.index("preschools_inclusive")] == printed[2]


def test_the_by_hand_command_writes_its_notebook_and_manifest_in_its_own_folders(next_year):
    root = next_year["root"]
    assert (root / "notebooks" / "00_clean_extracts.ipynb").exists()
    fragment = rows(root / "results" / "manifest" / "00_clean_extracts.csv")
    assert all(r[0].startswith("build/years/2024/processed/") for r in fragment[1:])


def test_every_notebook_that_takes_a_year_ran_for_it(next_year):
    from analysis.pipeline.runner import notebook_parameters, read_notebook
    from analysis.pipeline.years import YEAR_LAYERS

    with_year = {nb.stem for nb in paths.NOTEBOOKS.glob("*.ipynb") if "year" in notebook_parameters(read_notebook(nb))}
    assert {nb for layer in YEAR_LAYERS for nb in layer} == with_year
    assert {p.stem for p in (next_year["root"] / "notebooks").glob("*.ipynb")} == with_year


@pytest.mark.parametrize(("stem", "raw"), [("table1_preschools", "table1_preschools_2024.csv"),
                                           ("table2_teacher_shortage", "table2_teacher_shortage_2024.csv")])
def test_rebuilt_tables_follow_the_fixture_not_2023(next_year, stem, raw):
    root = next_year["root"]
    fixture = rows(FIXTURE / raw)[1:]
    table = rows(root / "results" / "tables" / f"{stem}_kk.csv")[1:]
    stored_2023 = rows(paths.RESULTS / "tables" / f"{stem}_kk.csv")[1:]
    assert table == fixture, "every cell, total row included, equals the 2024 fixture"
    assert table[0] != stored_2023[0]
    assert "2024" in (root / "results" / "tables" / f"{stem}_en.md").read_text(encoding="utf-8")
    text = (root / "notebooks" / "10_table1_preschools.ipynb").read_text(encoding="utf-8")
    assert "injected-parameters" in text and "2024" in text
