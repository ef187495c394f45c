"""The README: every number of its findings is the outputs' number, its two commands are the ones
CI runs, and the Pythons it names are the ones make supports.

Each sentence of "What it found" that states a number has an entry in ``FINDINGS``: a pattern whose
groups are the numbers as the README writes them, the output they come from, and how to read them
there. When an output changes, the test names the sentence and the file; update the README's
words and, if the output's columns changed, the entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pytest

from analysis import paths

README = paths.PROJECT_ROOT / "README.md"
#: Numbers in the findings that are names, not results.
NOT_RESULTS = re.compile(r"Tables? 1(?: and 2)?|Table 2")
#: A number as the README writes it: 5 555, 44.0, 44/25.
NUMBER = re.compile(r"\d+(?:[.,/]\d+)*(?: \d{3}(?!\d))*")


def readme() -> str:
    return README.read_text(encoding="utf-8")


def findings() -> str:
    """The section "What it found", its comments removed, as one line."""
    section = re.search(r"^## What it found\n(.*?)^## ", readme(), re.S | re.M)
    assert section, "the README has a section '## What it found'"
    return " ".join(re.sub(r"<!--.*?-->", "", section.group(1), flags=re.S).split())


def csv(relative: str) -> pd.DataFrame:
    return pd.read_csv(paths.RESULTS / relative, keep_default_na=False, na_values=[""])


def estimate(relative: str, test: str, quantity: str) -> pd.Series:
    """The row of a tidy statistics table (results/stats/*_statistics.csv) for ``test``/``quantity``."""
    table = csv(relative)
    row = table[(table["test"] == test) & (table["quantity"] == quantity)]
    assert len(row) == 1, f"{relative}: no single row test={test!r}, quantity={quantity!r}"
    return row.iloc[0]


def pct(share: float) -> str:
    return f"{100 * share:.1f}"


def whole(n: float) -> str:
    return f"{int(n):,}".replace(",", " ")


def none_or(count: int, word: str) -> str:
    return word if count == 0 else str(count)


def claims() -> tuple[str, ...]:
    verdicts = csv("claims/claims_report.csv")["verdict"].value_counts()
    return whole(verdicts.sum()), whole(verdicts.get("consistent", 0)), whole(verdicts.get("not_checkable", 0))


def errata_count(kind: str) -> tuple[str, ...]:
    return (whole((csv("claims/errata.csv")["kind"] == kind).sum()),)


def erratum(about: str) -> pd.Series:
    errata = csv("claims/errata.csv")
    row = errata[(errata["kind"] == "error") & errata["correction_en"].str.contains(about, regex=False)]
    assert len(row) == 1, f"results/claims/errata.csv: no single error whose correction_en names {about!r}"
    return row.iloc[0]


def crc_resolution() -> tuple[str, ...]:
    row = erratum("Convention on the Rights of the Child")
    return row["printed"], re.search(r"resolution (\d+/\d+)", row["correction_en"]).group(1)


def national_share() -> tuple[str, ...]:
    row = estimate("stats/40_regional_disparity_statistics.csv", "national_share", "inclusive_share")
    return pct(row["estimate"]), whole(row["n"])


def regional_range() -> tuple[str, ...]:
    table = csv("stats/40_regional_disparity_regions.csv")
    shares = table[(table["test"] == "wilson_interval") & (table["quantity"] == "inclusive_share")]
    return pct(shares["estimate"].min()), pct(shares["estimate"].max()), whole(shares["subject"].nunique())


def regions() -> tuple[str, ...]:
    row = estimate("stats/40_regional_disparity_statistics.csv", "beta_binomial", "sd_of_true_shares")
    assert row["n_unit"] == "regions"
    return (whole(row["n"]),)


def city_model() -> tuple[str, ...]:
    table = "stats/40_regional_disparity_statistics.csv"
    odds = estimate(table, "city_model", "city_odds_ratio")
    return (pct(estimate(table, "city_model", "mean_share_city")["estimate"]),
            pct(estimate(table, "city_model", "mean_share_region")["estimate"]), f"{float(odds['p_value']):.2g}")


def standing_out() -> tuple[str, ...]:
    row = estimate("stats/40_regional_disparity_statistics.csv", "city_model", "smallest_loo_predictive_p")
    return ("no" if float(row["p_adjusted"]) >= 0.05 else "a",)


def private_share() -> tuple[str, ...]:
    return (pct(estimate("stats/41_teacher_shortage_statistics.csv", "national_split", "private_share")["estimate"]),)


def planned() -> tuple[str, ...]:
    table = csv("stats/41_teacher_shortage_statistics.csv")
    holm = table[table["test"] == "holm"]
    significant = holm[holm["p_adjusted"].astype(float) < 0.05]["quantity"].tolist()
    assert significant == ["share_vs_sen_per_preschool"], "the README names which association survives"
    return whole(len(holm)), whole(len(significant))


def power() -> tuple[str, ...]:
    row = estimate("stats/41_teacher_shortage_statistics.csv", "power", "detectable_rho_80pct_alpha_0.05")
    return whole(row["n"]), f"{row['estimate']:.2f}", re.search(r"_(\d+)pct_", row["quantity"]).group(1)


def article_trend() -> tuple[str, ...]:
    return (whole(estimate("stats/42_trends_statistics.csv", "descriptive_change", "change_2021-2023")["n"]),)


def statement_trends() -> tuple[str, ...]:
    table = csv("stats/42_trend_tests_by_indicator.csv")
    robust = csv("stats/42_trends_statistics.csv").query("test == 'trend_robustness'")
    rises = robust[robust["note"].str.startswith("robust rise")]["subject"].tolist()
    assert rises == ["pmpk [all_dates]"], "the README names the one rise that survives under every rule"
    return (whole(table["n"].max()),)


@dataclass(frozen=True)
class Stated:
    """A sentence of the findings: ``pattern``'s groups are ``values()``, read from ``source``."""

    pattern: str
    source: str
    values: Callable[[], tuple[str, ...]]


FINDINGS = [
    Stated(r"Of the article's (\d+) numeric and legal statements, (\d+) agree .*?, and (\d+) cannot be checked",
           "results/claims/claims_report.csv: rows, verdict consistent, verdict not_checkable", claims),
    Stated(r"The errata for the journal list (\d+) errors", "results/claims/errata.csv: kind error", lambda: errata_count("error")),
    Stated(r"resolution (\d+/\d+) \(it is (\d+/\d+)\)", "results/claims/errata.csv: printed, correction_en", crc_resolution),
    Stated(r"(\d+) queries for the authors", "results/claims/errata.csv: kind query", lambda: errata_count("query")),
    Stated(r"and (\d+) minor points", "results/claims/errata.csv: kind minor", lambda: errata_count("minor")),
    Stated(r"\(data of (\d{4})\)", "analysis.paths.ARTICLE_YEAR", lambda: (str(paths.ARTICLE_YEAR),)),
    Stated(r"([\d.]+)% of the ([\d ]+) public preschools have conditions for inclusive education",
           "results/stats/40_regional_disparity_statistics.csv: national_share estimate, n", national_share),
    Stated(r"from ([\d.]+)% to ([\d.]+)% across the (\d+) regions",
           "results/stats/40_regional_disparity_regions.csv: wilson_interval inclusive_share", regional_range),
    Stated(r"a mean share of ([\d.]+)% against ([\d.]+)% in the other regions,\s+likelihood-ratio p = ([\d.]+)\)",
           "results/stats/40_regional_disparity_statistics.csv: city_model mean shares, odds ratio p", city_model),
    Stated(r"once they are allowed for, (no) region stands out",
           "results/stats/40_regional_disparity_statistics.csv: city_model smallest_loo_predictive_p p_adjusted",
           standing_out),
    Stated(r"([\d.]+)% of the teacher shortage in Table 2 is in private preschools",
           "results/stats/41_teacher_shortage_statistics.csv: private_share", private_share),
    Stated(r"Of the (\d+) planned associations, (\d+) survives Holm's correction",
           "results/stats/41_teacher_shortage_statistics.csv: holm p_adjusted", planned),
    Stated(r"a census of one year in (\d+) regions",
           "results/stats/40_regional_disparity_statistics.csv: sd_of_true_shares n", regions),
    Stated(r"With (\d+) regions only a correlation of ([\d.]+) or more is detected with (\d+)% power",
           "results/stats/41_teacher_shortage_statistics.csv: detectable_rho_80pct_alpha_0.05 n, estimate", power),
    Stated(r"TVET\) students with SEN rests on (\d+) points",
           "results/stats/42_trends_statistics.csv: descriptive_change n", article_trend),
    Stated(r"at most (\d+) yearly points per indicator", "results/stats/42_trend_tests_by_indicator.csv: n, and "
           "42_trends_statistics.csv: trend_robustness", statement_trends),
]


@pytest.mark.parametrize("stated", FINDINGS, ids=lambda s: s.pattern[:40])
def test_each_number_of_the_findings_is_the_outputs(stated):
    found = re.search(stated.pattern, findings())
    assert found, f"the README's findings no longer say /{stated.pattern}/: update the README or FINDINGS"
    assert found.groups() == stated.values(), (
        f"the README says {found.group(0)!r}; {stated.source} gives {stated.values()}")


def test_every_number_of_the_findings_is_checked():
    text = findings()
    checked = [m.span(g) for s in FINDINGS for m in re.finditer(s.pattern, text) for g in range(1, m.re.groups + 1)]
    names = [m.span() for m in NOT_RESULTS.finditer(text)]
    unchecked = [n.group() for n in NUMBER.finditer(text)
                 if not any(a <= n.start() and n.end() <= b for a, b in checked + names)]
    assert not unchecked, f"numbers in the README's findings that no entry of FINDINGS checks: {unchecked}"


def test_the_two_commands_are_the_makefile_targets_ci_runs():
    """The block under "Two commands" is exactly the two commands; both are documented Makefile
    targets, and CI runs them."""
    block = re.search(r"## Two commands.*?```sh\n(.*?)```", readme(), re.S).group(1)
    assert [line.split("#")[0].strip() for line in block.splitlines()] == ["make reproduce", "make test"]
    makefile = (paths.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("reproduce", "test"):
        assert re.search(rf"^{target}:.*## ", makefile, re.M), f"make {target} has no help line"
    ci = (paths.PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make reproduce$", ci, re.M) and re.search(r"^make test$", ci, re.M)


def test_the_readme_names_the_pythons_make_supports():
    makefile = (paths.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    supported = sorted(re.search(r"^SUPPORTED\s*:=\s*(.*)$", makefile, re.M).group(1).split(),
                       key=lambda v: tuple(map(int, v.split("."))))
    named = "Python " + ", ".join(supported[:-1]) + " or " + supported[-1]
    assert named in " ".join(readme().split()), f"the README should say {named!r}"
