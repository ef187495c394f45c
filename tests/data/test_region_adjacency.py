"""The contiguity list of the 20 units: each pair once, connected, and each city of republican
significance touching only the region around it."""

from __future__ import annotations

import numpy as np

from analysis.ingest.load import load_processed
from analysis.ingest.regions import load_adjacency
from analysis.stats import spatial

CODES = list(load_processed("regions.csv")["region_iso"])
PAIRS = load_adjacency(codes=CODES)


def neighbours(code: str) -> set[str]:
    return {b for a, b in zip(PAIRS["region_iso_a"], PAIRS["region_iso_b"], strict=True) if a == code} | \
           {a for a, b in zip(PAIRS["region_iso_a"], PAIRS["region_iso_b"], strict=True) if b == code}


def test_every_unit_has_a_neighbour_and_the_graph_is_connected():
    assert all(neighbours(c) for c in CODES)
    seen, todo = set(), [CODES[0]]
    while todo:
        code = todo.pop()
        if code not in seen:
            seen.add(code)
            todo += sorted(neighbours(code) - seen)
    assert seen == set(CODES)


def test_the_weights_are_symmetric_before_row_standardising():
    w = spatial.weights(list(zip(PAIRS["region_iso_a"], PAIRS["region_iso_b"], strict=True)), CODES)
    binary = (w > 0).astype(int)
    assert np.array_equal(binary, binary.T)
    assert np.allclose(w.sum(axis=1), 1.0)


def test_each_city_touches_only_the_region_around_it():
    assert neighbours("KZ-75") == {"KZ-19"}  # Almaty in Almaty Region
    assert neighbours("KZ-71") == {"KZ-11"}  # Astana in Akmola
    assert neighbours("KZ-79") == {"KZ-61"}  # Shymkent in Turkistan


def test_every_pair_has_a_source_and_a_quote_or_is_marked_uncertain():
    assert PAIRS["source_url"].str.startswith("http").all()
    assert (PAIRS["quote"].str.len() > 10).all()
    assert set(PAIRS["status"]) <= {"sourced", "uncertain"}
    uncertain = PAIRS[PAIRS["status"] == "uncertain"]
    # across Lake Balkhash, and the short Karaganda-Kostanay segment after the 2022 Ulytau split
    assert set(zip(uncertain["region_iso_a"], uncertain["region_iso_b"], strict=True)) == {
        ("KZ-19", "KZ-35"), ("KZ-33", "KZ-35"), ("KZ-35", "KZ-39")}
    assert uncertain["method"].str.startswith("uncertain:").all()
