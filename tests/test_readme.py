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


def test_readme_gives_the_two_commands():
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "make reproduce" in readme and "make test" in readme
