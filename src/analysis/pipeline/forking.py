"""The client side of a kernel template (:mod:`analysis.pipeline.kernel_template`): start one, ask
it for kernels, and follow each kernel as :class:`subprocess.Popen` would (see
:mod:`analysis.pipeline.kernels` for the whole design)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

#: Longest wait for a template to finish importing (a loaded machine can take long).
READY_TIMEOUT = 300.0


def env_key(env: dict[str, str], per_kernel: tuple[str, ...]) -> tuple:
    return tuple(sorted((k, v) for k, v in env.items() if k not in per_kernel))


def _recv_line(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


class Template:
    """A template process (:mod:`analysis.pipeline.kernel_template`) and how to ask it for kernels.

    Started in the background: it imports while its owner goes on; :meth:`fork` waits for it.
    """

    def __init__(self, interpreter: list[str], env: dict[str, str], modules: list[str] | None = None,
                 cwd: str | Path | None = None) -> None:
        self.interpreter = list(interpreter)
        self.env = dict(env)
        self.folder = tempfile.mkdtemp(prefix="kzwarm-")
        self.address = os.path.join(self.folder, "template.sock")
        self.process = subprocess.Popen(
            [*self.interpreter, "-m", "analysis.pipeline.kernel_template", self.address, *(modules or [])],
            env=self.env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        self.owner = os.getpid()  # forked workers share the template; only its owner stops it

    def alive(self) -> bool:
        """Whether the template runs (asked from any process: workers are not its parent)."""
        if os.getpid() == self.owner:
            return self.process.poll() is None
        try:
            os.kill(self.process.pid, 0)
            with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as stat:
                return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
        except ProcessLookupError:
            return False
        except OSError:  # no /proc: the signal test has to do
            return True

    def connect(self, timeout: float = READY_TIMEOUT) -> socket.socket:
        """A connection to the template, once it has imported (it listens only then)."""
        deadline = time.monotonic() + timeout
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(self.address)
                return sock
            except (FileNotFoundError, ConnectionRefusedError):
                sock.close()
                if not self.alive():
                    raise RuntimeError("the kernel template stopped before it was ready") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the kernel template was not ready within {timeout:.0f} s") from None
                time.sleep(0.02)

    def fork(self, args: list[str], cwd: str, env: dict[str, str], fds: tuple[int, int, int]) -> ForkedKernel:
        """A kernel forked from the template: ``ipykernel_launcher ARGS`` in ``cwd`` with ``env``."""
        sock = self.connect()
        request = json.dumps({"args": args, "cwd": str(cwd), "env": env}).encode() + b"\n"
        socket.send_fds(sock, [request], list(fds))
        reply = _recv_line(sock)
        if not reply:
            sock.close()
            raise RuntimeError("the kernel template closed the connection without forking")
        return ForkedKernel(json.loads(reply)["pid"], sock)

    def stop(self) -> None:
        if os.getpid() != self.owner:
            return
        if self.process.poll() is None:
            self.process.terminate()  # it kills the kernels it forked that still run, then exits
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        try:
            os.unlink(self.address)
        except OSError:
            pass
        try:
            os.rmdir(self.folder)
        except OSError:
            pass


class ForkedKernel:
    """A kernel forked by a template, with the part of :class:`subprocess.Popen` that jupyter_client
    uses. The kernel is the template's child: the template reports its exit status on the
    connection that asked for it."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, connection: socket.socket) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._connection = connection

    def _read_status(self, timeout: float | None) -> int | None:
        if self.returncode is not None:
            return self.returncode
        self._connection.settimeout(timeout)
        try:
            line = _recv_line(self._connection)
        except (TimeoutError, BlockingIOError):
            return None
        finally:
            if self._connection.fileno() >= 0:
                self._connection.settimeout(None)
        # The template died before the kernel: the kernel dies with it (parent-death signal).
        self.returncode = json.loads(line)["exit"] if line else -signal.SIGKILL
        self._connection.close()
        return self.returncode

    def poll(self) -> int | None:
        return self._read_status(0.0)

    def wait(self, timeout: float | None = None) -> int:
        code = self._read_status(timeout)
        if code is None:
            raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
        return code

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


