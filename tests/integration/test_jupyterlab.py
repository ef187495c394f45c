"""JupyterLab really serves the compendium: the python3 kernel is listed, every notebook opens
with its stored outputs, the kernel runs a cell that imports ``analysis`` from this project, and
JupyterLab asks nothing of the network (no news, no update checks).

Starts ``jupyter lab`` on a free localhost port with a random token, talks to it through its REST
API and kernel websocket, and stops it.
"""

from __future__ import annotations

import json
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from analysis import paths
from analysis.pipeline.run import KERNEL

websocket = pytest.importorskip("websocket")
JUPYTER = Path(sys.executable).with_name("jupyter")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port, token = free_port(), secrets.token_hex(16)
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    log = (runtime / "server.log").open("wb")  # a file, not a pipe: an unread pipe could fill and block the server
    env = {"JUPYTER_RUNTIME_DIR": str(runtime), "PATH": f"{JUPYTER.parent}:/usr/bin:/bin", "HOME": str(runtime)}
    proc = subprocess.Popen(
        [str(JUPYTER), "lab", "--no-browser", f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
         "--ServerApp.port_retries=0", "--allow-root", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={paths.PROJECT_ROOT}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--ServerApp.disable_check_xsrf=True"],
        cwd=paths.PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"

    def api(path, method="GET", body=None):
        request = urllib.request.Request(f"{base}{path}", method=method, data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
            return json.loads(text) if text else None

    deadline = time.monotonic() + 90
    while True:
        try:
            api("/api/status")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("jupyter lab did not start: " + (runtime / "server.log").read_text(errors="replace")[-2000:])
            time.sleep(0.5)
    yield {"api": api, "port": port, "token": token}
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_lab_serves_its_page(server):
    request = urllib.request.Request(f"http://127.0.0.1:{server['port']}/lab?token={server['token']}")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200 and b"JupyterLab" in response.read()


def test_the_kernel_is_listed(server):
    specs = server["api"]("/api/kernelspecs")["kernelspecs"]
    assert KERNEL["name"] in specs


def test_jupyterlab_fetches_no_news_and_checks_no_updates(server):
    """No "official Jupyter news" prompt: make venv writes JupyterLab's settings overrides."""
    schema = server["api"]("/lab/api/settings/@jupyterlab/apputils-extension:notification")["schema"]
    defaults = {name: spec.get("default") for name, spec in schema["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False


@pytest.mark.parametrize("notebook", sorted(p.name for p in paths.NOTEBOOKS.glob("*.ipynb")))
def test_notebook_opens_with_its_stored_outputs(server, notebook):
    model = server["api"](f"/api/contents/notebooks/{notebook}?content=1")
    assert model["type"] == "notebook"
    content = model["content"]
    assert content["metadata"]["kernelspec"]["name"] == KERNEL["name"]
    code = [c for c in content["cells"] if c["cell_type"] == "code"]
    assert code and all(c["execution_count"] for c in code)
    assert any(c["outputs"] for c in code), "stored outputs are shown"


def test_project_kernel_runs_a_cell_importing_analysis(server):
    kernel = server["api"]("/api/kernels", method="POST", body={"name": KERNEL["name"]})
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{server['port']}/api/kernels/{kernel['id']}/channels?token={server['token']}", timeout=60)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test", "session": uuid.uuid4().hex,
                       "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": "import analysis, analysis.paths\nprint(analysis.__version__, analysis.paths.PROJECT_ROOT)",
                        "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False}}))
        # The reply (shell channel) and the printed text (iopub channel) travel on different
        # channels and may arrive in either order.  The output of a request is complete only when
        # iopub reports the kernel idle for it, so wait for both the reply and that idle status.
        printed, status, idle = "", None, False
        deadline = time.monotonic() + 60
        while (status is None or not idle) and time.monotonic() < deadline:
            message = json.loads(ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if message["msg_type"] == "stream":
                printed += message["content"]["text"]
            elif message["msg_type"] == "execute_reply":
                status = message["content"]["status"]
            elif message["msg_type"] == "error":
                printed += f"{message['content']['ename']}: {message['content']['evalue']}"
            elif message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                idle = True
        assert (status, idle) == ("ok", True), printed
        assert printed.strip().split(" ", 1) == [__import__("analysis").__version__, str(paths.PROJECT_ROOT)]
    finally:
        ws.close()
        server["api"](f"/api/kernels/{kernel['id']}", method="DELETE")
