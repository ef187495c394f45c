"""The choice of kernels and what a warm kernel's template preloads (no kernel started here)."""

from __future__ import annotations

import pytest

from analysis.pipeline import kernels
from analysis.pipeline.forking import env_key
from analysis.pipeline.kernel_template import notebook_imports, preload


def test_the_switch_chooses_plain_warm_or_what_the_platform_supports(monkeypatch):
    monkeypatch.setenv("KERNELS", "plain")
    assert kernels.kind() == "plain"
    assert kernels.kind("warm") == "warm", "an explicit choice wins over the environment"
    monkeypatch.setenv("KERNELS", "auto")
    assert kernels.kind() == ("warm" if kernels.fork_is_safe() else "plain")
    monkeypatch.delenv("KERNELS")
    assert kernels.kind() == ("warm" if kernels.fork_is_safe() else "plain")
    monkeypatch.setenv("KERNELS", "lukewarm")
    with pytest.raises(ValueError, match="warm, plain, auto"):
        kernels.kind()


def test_only_an_ipykernel_launcher_command_is_forked():
    cmd = ["/venv/bin/python", "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "/tmp/k.json"]
    assert kernels.split_command(cmd) == (["/venv/bin/python", "-Xfrozen_modules=off"], ["-f", "/tmp/k.json"])
    assert kernels.split_command(["R", "--slave", "-f", "x"]) is None
    assert kernels.split_command(["python", "-m", "other_launcher"]) is None


def test_kernels_draw_with_agg_and_share_a_template_whatever_their_per_kernel_variables():
    env = kernels.kernel_env({"PATH": "/bin", "MPLBACKEND": "TkAgg"})
    assert env == {"PATH": "/bin", "MPLBACKEND": "Agg"}
    one = {**env, "JPY_PARENT_PID": "1", "JPY_SESSION_NAME": "a", "PYTEST_CURRENT_TEST": "a.ipynb::Cell 0 (setup)"}
    other = {**env, "JPY_PARENT_PID": "2", "PYTEST_CURRENT_TEST": "b.ipynb::Cell 0 (setup)"}  # nbval: one per notebook
    assert env_key(one, kernels.PER_KERNEL_ENV) == env_key(other, kernels.PER_KERNEL_ENV)
    assert env_key(env, kernels.PER_KERNEL_ENV) != env_key({**env, "OPENBLAS_CORETYPE": "Prescott"},
                                                          kernels.PER_KERNEL_ENV), "import-time variables count"


def test_the_template_preloads_what_a_notebook_imports(tmp_path):
    import json

    notebook = tmp_path / "nb.ipynb"
    cells = [{"cell_type": "code", "source": ["import numpy as np\n", "from analysis.stats import regional\n",
                                              "if True:\n", "    import json\n"]},
             {"cell_type": "markdown", "source": ["import nothing"]}, {"cell_type": "code", "source": ["%%time\n1"]}]
    notebook.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert notebook_imports(notebook) == ["numpy", "analysis.stats", "analysis.stats.regional"]
    assert preload(["json", "json.dumps", "no_such_module_here"]) == ["no_such_module_here"], \
        "a name that is not a module is no failure; a missing module is"


def test_a_template_preloads_what_the_notebooks_it_serves_use(tmp_path):
    import json

    from analysis.pipeline.kernel_template import BASE_MODULES, KERNEL_MODULES, USED_INSIDE_FUNCTIONS, preload_modules

    own = tmp_path / "01_mine.ipynb"
    own.write_text(json.dumps({"cells": [{"cell_type": "code", "source": "import csv"}]}), encoding="utf-8")
    assert preload_modules([own]) == [*KERNEL_MODULES, "csv"], "a notebook of one's own: the kernel and its imports"
    step = preload_modules([tmp_path / "42_trends.ipynb"])  # a step, by name (the floor's copies)
    assert set(BASE_MODULES) | {"analysis.stats.trend", *USED_INSIDE_FUNCTIONS} <= set(step)
    assert set(step) < set(preload_modules()), "every step's modules by default"
