"""The batch runner's estimated timeline of a run (used to choose when the interruption test kills)."""

from __future__ import annotations

from analysis.pipeline.batch import schedule


def test_layers_follow_each_other_and_each_runs_longest_first_on_the_workers():
    durations = {"00_a": 4.0, "10_b": 10.0, "11_c": 3.0, "12_d": 6.0, "90_e": 2.0}
    plan = schedule([["00_a"], ["11_c", "10_b", "12_d"], ["90_e"]], durations, jobs=2)
    assert plan["00_a"] == (0.0, 4.0)
    assert plan["10_b"] == (4.0, 14.0) and plan["12_d"] == (4.0, 10.0) and plan["11_c"] == (10.0, 13.0)
    assert plan["90_e"] == (14.0, 16.0), "the next layer starts when the slowest worker is done"


def test_untimed_steps_count_as_the_longest_and_one_worker_runs_in_sequence():
    plan = schedule([["a", "b"]], {"a": 2.0, "elsewhere": 5.0}, jobs=1)
    assert plan["b"] == (0.0, 5.0) and plan["a"] == (5.0, 7.0)
    assert schedule([["x"]], {}, jobs=2)["x"] == (0.0, 1.0)
