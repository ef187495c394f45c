"""The supplementary series: every row kept, roles, reference dates, bad input, comparison."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import paths
from analysis.errors import RawDataError
from analysis.ingest import gate
from analysis.ingest import statements as cleaning
from analysis.ingest.datapackage import rehash
from analysis.ingest.load import load_processed
from analysis.stats import statements, timeseries

SUPPLEMENTARY = "supplementary/official_statements.csv"


def load(raw_dir=paths.RAW, package=paths.DATAPACKAGE):
    """The statements as the cleaning step cleans them (through the gate), with timestamps."""
    _, path, text = gate.read_table(cleaning.RESOURCE, raw_dir, package)
    return statements.prepare(cleaning.clean_statements(text, path).reset_index(drop=True))


@pytest.fixture(scope="module")
def official():
    return load()


def test_the_processed_file_is_the_cleaned_raw_file(official):
    stored = statements.prepare(load_processed("official_statements.csv"))
    pd.testing.assert_frame_equal(stored, official, check_dtype=False)


def test_every_row_is_kept_with_a_role(official):
    raw = pd.read_csv(paths.RAW / SUPPLEMENTARY, dtype=str)
    assert len(official) == len(raw)
    assert official["line"].tolist() == list(range(2, len(raw) + 2))
    assert set(official["role"]) <= {"observation", "lower_bound", "approximate", "target", "other_indicator"}
    targets = official[official["qualifier"] == "target"]
    assert (targets["role"] == "target").all() and targets["reference_date"].isna().all()
    assert (official.loc[official["indicator"].str.startswith("other:"), "role"] == "other_indicator").all()


def test_reference_dates_follow_refers_to(official):
    start = official[official["refers_to"] == "start of current year"].iloc[0]
    assert start["reference_date"] == pd.Timestamp(start["statement_date"].year, 1, 1)
    end = official[official["refers_to"] == "end of 2024"].iloc[0]
    assert end["reference_date"] == pd.Timestamp(2024, 12, 31)
    current = official[official["refers_to"] == "current"]
    assert (current["reference_date"] == current["statement_date"]).all()


def test_series_use_observations_only(official):
    for frame in statements.series(official).values():
        assert (frame["role"] == "observation").all()
        assert frame["reference_date"].is_monotonic_increasing
    exact = statements.series(official, exact_dates_only=True)
    assert all(f["exact_date"].all() for f in exact.values())


def test_a_changed_file_is_refused(data_copy):
    path = data_copy.raw / SUPPLEMENTARY
    path.write_text(path.read_text(encoding="utf-8").replace(",87,exact,", ",88,exact,"), encoding="utf-8")
    with pytest.raises(RawDataError, match="sha256"):
        load(data_copy.raw, data_copy.package)


@pytest.mark.parametrize(("old", "new", "column"), [
    ("2022-07-08,exact", "2022-13-08,exact", "statement_date"),
    (",211,exact,MoE press service", ",many,exact,MoE press service", "value"),
    ("2022-07-08,exact,current", "2022-07-08,roughly,current", "date_quality"),
    ("2022-07-08,exact,current", "2022-07-08,exact,last spring", "refers_to"),
])
def test_bad_rows_name_line_and_column(data_copy, old, new, column):
    path = data_copy.raw / SUPPLEMENTARY
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    rehash(data_copy.package)
    with pytest.raises(RawDataError) as err:
        load(data_copy.raw, data_copy.package)
    assert err.value.column == column and err.value.line == 3


def test_comparison_with_the_article(official):
    indicators = load_processed("national_indicators.csv")
    out = statements.compare_with_article(official, indicators, timeseries.article_reference_date(indicators))
    assert out["indicator"].tolist() == list(statements.ARTICLE_START_2024.values())
    pmpk = out.set_index("indicator").loc["pmpk"]
    assert pmpk["before_date"] < "2024-01-01" <= pmpk["after_date"]
    assert pmpk["before_difference"] == pmpk["article_value"] - pmpk["before_value"]
    assert not (official.loc[official["line"].isin(out["before_line"]), "role"] == "target").any()
