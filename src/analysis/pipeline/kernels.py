"""Warm kernels: each notebook's kernel forked from a template process that has already imported
the heavy modules, so that no notebook pays for importing pandas, matplotlib, scipy and the rest.

The runner (:mod:`analysis.pipeline.runner`) starts kernels through
:class:`WarmKernelProvisioner`, a jupyter_client kernel provisioner registered under the entry
point ``kz-warm-fork`` (``pyproject.toml``). For a kernel command
``<python> [flags] -m ipykernel_launcher -f <connection file>`` it does not exec a new Python:
it asks a **template** (``python [flags] -m analysis.pipeline.kernel_template``, see that module),
started with the kernel's own environment, to ``fork()``; the child becomes the kernel, exactly
as ``python -m ipykernel_launcher`` would (same arguments, working directory, environment, standard
streams, process group), with the modules already in memory. Every notebook still runs in a process
of its own, forked from the same untouched template, so it starts with the same state as every
other: nothing a notebook defines, changes or draws reaches the next one.

Which kernels (the switch): ``KERNELS=warm`` (forked), ``KERNELS=plain`` (ordinary: one new Python
per notebook), ``KERNELS=auto`` or unset: warm where ``fork()`` is safe, i.e. on Linux; plain
elsewhere (macOS, whose system frameworks are not fork-safe once loaded, and Windows, which has no
``fork``). ``make KERNELS=plain reproduce`` passes it on. JupyterLab and the installed kernelspec
are not concerned: they keep ordinary kernels; only the runner asks for the provisioner.

Kernels the runner starts, of either kind, draw with matplotlib's ``Agg`` backend (``MPLBACKEND``,
:func:`kernel_env`): notebooks write their figures to files and show the PNG they wrote, and
the template must import matplotlib with the backend its kernels will have.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from analysis.pipeline.forking import Template, env_key

#: The environment variable (and make variable) that chooses the kernels.
SWITCH = "KERNELS"
KINDS = ("warm", "plain")
#: The provisioner's entry-point name (group ``jupyter_client.kernel_provisioners``).
PROVISIONER_NAME = "kz-warm-fork"
#: Variables that may differ between the template and a kernel (each kernel gets its own values):
#: those jupyter_client sets per kernel, and pytest's name of the running test, which differs for
#: every notebook nbval runs (kept in the key, it started one template per notebook).
PER_KERNEL_ENV = ("JPY_PARENT_PID", "JPY_SESSION_NAME", "JPY_INTERRUPT_EVENT", "IPY_INTERRUPT_EVENT",
                  "PYTEST_CURRENT_TEST")
KERNEL_MODULE = "ipykernel_launcher"


def fork_is_safe() -> bool:
    """Whether this platform forks a process that has loaded numpy, matplotlib and scipy safely."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def kind(requested: str | None = None) -> str:
    """``warm`` or ``plain``: ``requested``, else ``$KERNELS``, else (``auto``) what the platform supports."""
    value = (requested or os.environ.get(SWITCH) or "auto").strip().lower()
    if value == "auto":
        return "warm" if fork_is_safe() else "plain"
    if value not in KINDS:
        raise ValueError(f"{SWITCH}={value!r}: expected one of warm, plain, auto")
    if value == "warm" and not hasattr(os, "fork"):
        raise ValueError(f"{SWITCH}=warm: this platform has no fork(); use {SWITCH}=plain")
    return value


def kernel_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a kernel the runner starts (either kind): the given one (default: this
    process's) with matplotlib's non-interactive ``Agg`` backend."""
    out = dict(os.environ if env is None else env)
    out["MPLBACKEND"] = "Agg"
    return out


def split_command(cmd: list[str]) -> tuple[list[str], list[str]] | None:
    """``(interpreter and its flags, the launcher's arguments)`` of a kernel command
    ``python [flags] -m ipykernel_launcher ARGS``, or None for any other command."""
    for i in range(1, len(cmd) - 1):
        if cmd[i] == "-m" and cmd[i + 1] == KERNEL_MODULE:
            return list(cmd[:i]), list(cmd[i + 2:])
    return None


#: This process's templates, by interpreter and environment (inherited by forked workers).
_templates: dict[tuple, Template] = {}
_templates_lock = threading.Lock()


def template_for(interpreter: list[str], env: dict[str, str], modules: list[str] | None = None) -> Template:
    """The template for kernels of ``interpreter`` with ``env``: an existing one whose interpreter
    and environment (all but the per-kernel variables) are the same, or a new one."""
    key = (tuple(interpreter), env_key(env, PER_KERNEL_ENV))
    with _templates_lock:
        template = _templates.get(key)
        if template is None or not template.alive():
            if not _templates:
                import atexit

                atexit.register(stop_templates)
            template = _templates[key] = Template(interpreter, env, modules)
    return template


def start_template(notebooks: list | None = None, kernel_name: str | None = None,
                   kernels: str | None = None) -> Template | None:
    """Start the template for ``kernel_name``'s kernels now (it imports in the background), so that
    workers forked from this process later share it; it preloads what ``notebooks`` use
    (:func:`analysis.pipeline.kernel_template.preload_modules`). None when kernels are not warm."""
    if kind(kernels) != "warm":
        return None
    from jupyter_client.kernelspec import KernelSpecManager

    from analysis import paths

    spec = KernelSpecManager().get_kernel_spec(kernel_name or paths.KERNEL_NAME)
    parts = split_command(spec.argv)
    if parts is None:
        return None
    from analysis.pipeline.kernel_template import preload_modules

    interpreter = [sys.executable if a == "python" else a for a in parts[0]]
    return template_for(interpreter, kernel_env(), preload_modules(notebooks))


def stop_templates() -> None:
    """Stop the templates this process started (forked workers leave them to their owner)."""
    with _templates_lock:
        for template in list(_templates.values()):
            template.stop()
        _templates.clear()


def kernel_manager(directory: Path, kernels: str | None = None):
    """A kernel manager talking to the kernel over IPC sockets in ``directory`` (not TCP: nothing
    listens on the network, and ipykernel does not warn about unencrypted TCP), its kernels of
    the kind ``kernels`` (:mod:`analysis.pipeline.kernels`: ``warm``, forked from a template that
    has imported the heavy modules, or ``plain``), drawing with matplotlib's Agg backend."""
    from jupyter_client.manager import AsyncKernelManager

    warm = kind(kernels) == "warm"

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(directory / "kernel"))
            super().__init__(**kwargs)

        @property
        def kernel_spec(self):
            spec = super().kernel_spec
            if warm and spec is not None and "kernel_provisioner" not in spec.metadata:
                # The installed kernelspec stays ordinary (JupyterLab uses it); the runner's kernels
                # are provisioned by the warm provisioner (entry point in pyproject.toml).
                spec.metadata = {**spec.metadata,
                                 "kernel_provisioner": {"provisioner_name": PROVISIONER_NAME}}
            return spec

        async def _async_pre_start_kernel(self, **kw):
            kw["env"] = kernel_env(kw.get("env"))
            return await super()._async_pre_start_kernel(**kw)

        async def _async_interrupt_kernel(self):
            # jupyter_client interrupts every kernel before shutting it down, and ipykernel then
            # logs "KeyboardInterrupt caught in kernel" at ERROR level: alarming, and meaningless
            # here. A kernel whose notebook has finished is idle; the shutdown request suffices
            # (and jupyter_client still kills a kernel that does not stop in time).
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

    return IPCKernelManager


def warm_kernelspec(folder: str | Path, kernel_name: str | None = None) -> Path:
    """A copy of the installed kernelspec ``kernel_name`` under ``folder/kernels/``, asking for the
    warm provisioner. Put ``folder`` first on ``JUPYTER_PATH`` for a tool that starts kernels by
    name (nbval) to have warm ones; the installed kernelspec (JupyterLab's) is not touched."""
    from jupyter_client.kernelspec import KernelSpecManager

    from analysis import paths

    name = kernel_name or paths.KERNEL_NAME
    installed = Path(KernelSpecManager().find_kernel_specs()[name])
    target = Path(folder) / "kernels" / name
    shutil.copytree(installed, target, dirs_exist_ok=True)
    spec = json.loads((target / "kernel.json").read_text(encoding="utf-8"))
    spec.setdefault("metadata", {})["kernel_provisioner"] = {"provisioner_name": PROVISIONER_NAME}
    (target / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return Path(folder)


def _stream_fd(value: Any, default: int) -> int:
    if value is None or value == subprocess.PIPE:
        return default
    return value if isinstance(value, int) and value >= 0 else value.fileno()


class WarmKernelProvisioner(LocalProvisioner):
    """LocalProvisioner whose kernels are forked from a template that has already imported the
    heavy modules (:mod:`analysis.pipeline.kernel_template`). A command that is not
    ``python -m ipykernel_launcher`` is launched as LocalProvisioner does."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        parts = split_command(cmd) if fork_is_safe() or os.environ.get(SWITCH) == "warm" else None
        if parts is None:
            return await super().launch_kernel(cmd, **kwargs)
        interpreter, args = parts
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        devnull = os.open(os.devnull, os.O_RDONLY)
        try:
            fds = (devnull, _stream_fd(kwargs.get("stdout"), 1), _stream_fd(kwargs.get("stderr"), 2))
            self.process = template_for(interpreter, env).fork(args, cwd, env, fds)
        finally:
            os.close(devnull)
        self.pid = self.pgid = self.process.pid  # the kernel leads a process group of its own
        self.cwd = cwd
        return self.connection_info

    async def wait(self) -> int | None:
        ret = 0
        if self.process:
            while await self.poll() is None:
                import asyncio

                await asyncio.sleep(0.05)
            ret = self.process.returncode
            self.process = None
        return ret
