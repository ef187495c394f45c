"""The template process warm kernels are forked from (see :mod:`analysis.pipeline.kernels`).

``python [flags] -m analysis.pipeline.kernel_template SOCKET [MODULE ...]``, started with a kernel's
interpreter, flags and environment:

1. imports the modules given, else what the pipeline's notebooks use (:func:`preload_modules`: numpy, pandas, matplotlib with the
   kernel's backend, scipy.stats, ipykernel and IPython, the ``analysis`` modules the steps
   declare under ``uses`` and every module a notebook imports, and the libraries those use only
   inside functions: statsmodels' GLM, nbconvert), touching no other state: no figure, no random
   number, no working-directory change;
2. listens on the Unix socket ``SOCKET`` (which exists only from then on: clients wait for it);
3. for each request (one JSON line: the launcher's arguments, working directory, environment,
   and the three standard streams as passed file descriptors) forks a child that becomes the
   kernel exactly as ``python -m ipykernel_launcher ARGS`` would, and answers with its pid; when
   the child exits, writes its exit status on the same connection.

The child (:func:`_become_kernel`) leads a new session (as jupyter_client's kernels do, so an
interrupt reaches its group), dies with the template (``PR_SET_PDEATHSIG``; the template dies
with its owner), takes its standard streams, working directory and environment from the request,
reseeds the random generators from the operating system (a fresh process has fresh seeds;
Python's ``random`` reseeds itself after ``fork``, NumPy's global generator is reseeded here),
and runs ``ipykernel_launcher`` as ``__main__``. The template itself never runs notebook code,
so every kernel starts from the same state.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import selectors
import signal
import socket
import sys

#: The kernel itself: every template imports these.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "IPython.display")
#: What every step of the pipeline uses.
BASE_MODULES = ("numpy", "pandas", "matplotlib", "matplotlib.pyplot", "scipy.stats", "analysis",
                "analysis.pipeline.session")
#: Libraries the steps' code imports only inside functions (where it is used).
USED_INSIDE_FUNCTIONS = ("statsmodels.genmod.generalized_linear_model", "statsmodels.genmod.families",
                         "nbconvert")
PARENT_CHECK_SECONDS = 0.5
PR_SET_PDEATHSIG = 1


def preload_modules(notebooks: list | None = None) -> list[str]:
    """The modules to import before forking, in order, duplicates removed: the kernel's; for the
    pipeline's steps (every step by default, else those among ``notebooks``, by name) what every
    step uses, the modules each declares under ``uses``, what they import, and what the steps'
    code imports only inside functions; and what each of ``notebooks`` imports. A template for a
    few notebooks of one's own (a test's) imports no more than they do."""
    from pathlib import Path

    from analysis import paths, pipeline

    steps = {spec.name: spec for spec in pipeline.steps()}
    chosen = list(steps.values()) if notebooks is None else [steps[Path(nb).stem] for nb in notebooks
                                                             if Path(nb).stem in steps]
    names = list(KERNEL_MODULES) + (list(BASE_MODULES) if chosen else [])
    package = paths.PROJECT_ROOT / "src" / "analysis"
    for spec in chosen:
        for used in spec.uses:  # files under src/analysis, globs allowed (stats/*.py)
            for file in sorted(package.glob(used)) if used.endswith(".py") else ():
                parts = ("analysis", *file.relative_to(package).with_suffix("").parts)
                names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
        names += notebook_imports(spec.notebook)
    for notebook in notebooks or []:
        names += notebook_imports(paths.resolve(notebook))
    names += USED_INSIDE_FUNCTIONS if chosen else ()
    return list(dict.fromkeys(names))


def notebook_imports(notebook) -> list[str]:
    """The modules a notebook's code cells import at their top level (``import a.b``, ``from a.b
    import c``: ``a.b``, and ``a.b.c`` when that is a module)."""
    import ast

    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return []
    out = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                out += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                out.append(node.module)
                out += [f"{node.module}.{alias.name}" for alias in node.names]
    return out


def preload(names: list[str]) -> list[str]:
    """Import ``names``; return those that failed (a notebook importing one fails as it would in
    an ordinary kernel). ``a.b.c`` that is a name, not a module, is not an error."""
    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as err:
            parent = name.rpartition(".")[0]
            if not (err.name == name and parent in sys.modules):  # a.b.c with c a name in a.b: fine
                failed.append(name)
        except Exception:  # a broken module: the notebook will say so, as in an ordinary kernel
            failed.append(name)
    return failed


def _set_parent_death_signal(signum: int) -> None:
    """Linux: receive ``signum`` when the parent dies (nothing elsewhere)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _become_kernel(request: dict, fds: list[int], parent: int) -> None:
    """In the forked child: become ``python -m ipykernel_launcher ARGS``; never returns."""
    code = 1
    try:
        os.setsid()
        _set_parent_death_signal(signal.SIGKILL)
        if os.getppid() != parent:  # the template died between fork and prctl
            os._exit(1)
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGPIPE):
            signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT else
                          (signal.SIG_IGN if signum == signal.SIGPIPE else signal.SIG_DFL))
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(parent)  # ipykernel exits when its parent goes away
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()  # fresh entropy, as in a new process
        sys.argv = ["ipykernel_launcher", *request["args"]]
        import runpy

        runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # the kernel's own failure: printed as an ordinary kernel's would be
        import traceback

        traceback.print_exc()
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()  # what the interpreter runs at exit (the template registers none)
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(address: str, modules: list[str] | None = None) -> int:
    owner = os.getppid()
    # The kernels' parent is this process: ipykernel reads JPY_PARENT_PID when it is imported
    # (its parent poller then ends a kernel whose template is gone).
    os.environ["JPY_PARENT_PID"] = str(os.getpid())
    if sys.path and sys.path[0] and os.path.abspath(sys.path[0]) == os.getcwd():
        del sys.path[0]  # as ipykernel_launcher does: the working directory is not on the path
    preload(modules or preload_modules())
    gc.collect()
    gc.freeze()  # imported objects stay put: children share their pages instead of copying them

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address + ".new")
    listener.listen(64)
    os.rename(address + ".new", address)  # clients connect once it exists: the template is ready
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    os.set_blocking(wake_read, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(wake_read, selectors.EVENT_READ, "wake")
    children: dict[int, socket.socket] = {}
    try:
        while not stopping and os.getppid() == owner:
            for key, _ in selector.select(PARENT_CHECK_SECONDS):
                if key.data == "wake":
                    try:
                        os.read(wake_read, 4096)
                    except BlockingIOError:
                        pass
                elif key.data == "accept":
                    conn, _ = listener.accept()
                    _fork_one(conn, listener, children, (wake_read, wake_write))
            _reap(children)
    finally:
        for pid in children:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        for conn in children.values():
            conn.close()
        listener.close()
    return 0


def _fork_one(conn: socket.socket, listener: socket.socket, children: dict, wake: tuple[int, int]) -> None:
    try:
        message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
        while not message.endswith(b"\n"):
            more = conn.recv(1 << 20)
            if not more:
                raise ValueError("incomplete request")
            message += more
        request = json.loads(message)
    except (OSError, ValueError):
        conn.close()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        signal.set_wakeup_fd(-1)
        listener.close()
        for other in children.values():
            other.close()
        for fd in wake:
            os.close(fd)
        conn.close()
        _become_kernel(request, fds, parent)
    for fd in fds:
        os.close(fd)
    children[pid] = conn
    try:
        conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
    except OSError:
        pass


def _reap(children: dict) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is not None:
            try:
                conn.sendall(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
            except OSError:
                pass
            conn.close()


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1], sys.argv[2:]))
