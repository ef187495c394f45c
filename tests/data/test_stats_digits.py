"""The error rule on the stored statistics: every estimate in results/stats/*.csv that has a
standard error (or posterior SD, resampling SD, interval-derived error) is written to no more
decimals than that error supports, and the error itself with two significant digits."""

from __future__ import annotations

import csv

import pytest

from analysis import paths
from analysis.precision import ERROR_SIGNIFICANT, written_decimals
from analysis.resultschema import schema_for

STATS = paths.RESULTS / "stats"
CSVS = sorted(STATS.glob("*.csv"))


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("path", CSVS, ids=lambda p: p.name)
def test_every_estimate_is_written_to_the_digits_of_its_error(path):
    fields = schema_for(path.relative_to(paths.RESULTS).as_posix())["schema"]["fields"]
    checked = [(f["name"], f["precision"]["standardError"]) for f in fields
               if f.get("type") == "number" and "standardError" in f.get("precision", {})]
    problems = []
    for line, row in enumerate(_rows(path), start=2):
        for name, error in checked:
            if row[name] and row[error] and float(row[error]) > 0:
                if written_decimals(row[name]) > max(written_decimals(row[error]), 0):
                    problems.append(f"line {line}, {name} = {row[name]} with {error} = {row[error]}")
    assert problems == []


@pytest.mark.parametrize("path", [p for p in CSVS if "estimate_se" in (p.open(encoding="utf-8").readline())],
                         ids=lambda p: p.name)
def test_every_interval_has_its_error_and_every_error_two_significant_digits(path):
    for line, row in enumerate(_rows(path), start=2):
        if row["ci_low"] and not row["ci_mcse"]:
            assert row["estimate_se"], f"line {line}: {row['test']}/{row['quantity']} has an interval but no error"
        if row["estimate_se"]:
            digits = row["estimate_se"].replace(".", "").lstrip("0")
            assert len(digits) <= ERROR_SIGNIFICANT, (line, row["estimate_se"])
            assert row["se_method"], line


def test_the_referee_s_examples_are_written_to_their_error():
    stats = {(r["test"], r["quantity"]): r for r in _rows(STATS / "40_regional_disparity_statistics.csv")}
    assert stats[("beta_binomial", "icc")]["estimate"] == "0.141"
    assert stats[("disparity_index", "gini_unweighted")]["estimate"] == "0.2284"
    spearman = {r["quantity"]: r for r in _rows(STATS / "41_teacher_shortage_statistics.csv") if r["test"] == "spearman"}
    assert spearman["share_vs_sen_per_preschool"]["ci_low"] == "-0.01"
