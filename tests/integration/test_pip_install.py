"""Without make: the README's pip instructions, run as printed in a copy of the project (a fresh
virtualenv, the lock installed with pip, the project in editable mode), end with papermill running
a notebook on the python3 kernel that installation provides, and leave every tracked file as it was."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from analysis import paths

from support import copy_worktree, git


def readme_block(name: str) -> str:
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(rf"<!-- readme-commands: {name} -->\n```sh\n(.*?)```", readme, re.S)
    assert block, f"the README has no block marked readme-commands: {name}"
    return block.group(1)


def test_the_readme_pip_instructions_run_a_notebook(tmp_path):
    python = shutil.which(f"python{sys.version_info.major}.{sys.version_info.minor}")
    if python is None or subprocess.run([python, "-c", "import venv, ensurepip"], capture_output=True).returncode:
        pytest.skip("no Python with venv and ensurepip on the PATH")
    repo = copy_worktree(tmp_path / "kz pip")
    shims = tmp_path / "bin"  # `python3` as the README types it: this test's Python version
    shims.mkdir()
    (shims / "python3").symlink_to(python)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("PYTEST")}
    env["PATH"] = os.pathsep.join([str(shims), *(p for p in env["PATH"].split(os.pathsep)
                                                  if not p.startswith(str(paths.PROJECT_ROOT)))])
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", readme_block("pip")], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (repo / "out.ipynb").exists(), "papermill wrote the executed notebook"
    assert git(repo, "status", "--porcelain") == "?? out.ipynb\n", "the run changed a tracked file"
