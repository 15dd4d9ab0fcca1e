"""Run variants: render, install, check the lock, lint, migrate, test, boot.

Per variant, each step runs in the rendered project; the first failing step stops the variant
and its log is kept. A variant passes only when its project was installed and its tests ran and
passed (and it answered ``/health`` when it has a server to boot). A variant where one of those
could not run at all (no Makefile target, no ``_pyframe.smoke`` command) is *incomplete*: it did
not fail, but it did not show that it works either.

One variant's crash (a bug, a template that breaks pyframe) fails that variant, with its log;
the others still run, and the reports are always written.
"""

from __future__ import annotations

import functools
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import PyframeError
from ..render import make_targets
from ..templates import Template
from .plan import Variant
from .services import (
    Services,
    admin_command,
    reachable,
    redact,
    services_needed,
    with_database,
)

Status = Literal["pass", "fail", "skip", "incomplete"]
STEPS = ("render", "install", "lock", "lint", "migrate", "test", "boot")
#: What each step runs when the template declares nothing: the Makefile's target.
_TARGETS = {"lock": "check-lock"}
_BOOT_TIMEOUT = 60.0
_STEP_TIMEOUT = 900.0


@dataclass
class StepResult:
    name: str
    status: Literal["pass", "fail", "skip"]
    seconds: float = 0.0
    message: str = ""
    log: Path | None = None


@dataclass
class VariantResult:
    variant: Variant
    steps: list[StepResult] = field(default_factory=list)
    skipped: str = ""
    #: Where the project was rendered; only kept on disk with ``Options.keep``.
    project: Path | None = None

    @property
    def status(self) -> Status:
        if self.skipped:
            return "skip"
        if any(s.status == "fail" for s in self.steps):
            return "fail"
        return "incomplete" if self.missing else "pass"

    @property
    def missing(self) -> list[str]:
        """The steps a pass needs that could not run: install and test, and boot when the
        project has a server (a ``serve`` command)."""
        ran = {s.name: s for s in self.steps}
        needed = ["install", "test"]
        boot = ran.get("boot")
        if boot is None or boot.message != _NO_SERVER:
            needed.append("boot")
        return [name for name in needed if name not in ran or ran[name].status != "pass"]

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.steps)


#: A boot step skipped because the project declares no server: it is a library, not a service.
_NO_SERVER = "no make serve"


Event = Callable[[Variant, str, str], None]  # (variant, step, "start" | status)


@dataclass
class Options:
    jobs: int = os.cpu_count() or 1
    keep: bool = False
    services: Services = field(default_factory=Services)
    require_services: bool = False
    #: Let the templates' tasks run (built-in templates are always trusted).
    trust: bool = False
    #: Count incomplete variants as passed (the report still says they are incomplete).
    allow_incomplete: bool = False
    #: mypy's cache, shared by the variants (default: one per run). Variants install the same
    #: libraries, and mypy checks each cached module against its source's hash, so a shared
    #: cache gives the same verdicts in a tenth of the time (12 s -> 1 s per variant).
    mypy_cache: Path | None = None
    on_event: Event | None = None


def run_variants(
    variants: Sequence[Variant], options: Options
) -> tuple[list[VariantResult], Path | None]:
    """Run every variant (``options.jobs`` at a time); returns the results and the folder of
    kept logs. Ctrl-C stops every process, drops the databases and removes the folders."""
    runner = _Runner(options)
    try:
        with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            futures = [pool.submit(runner.run, v) for v in variants]
            try:
                results = [f.result() for f in _wait_interruptibly(futures)]
            except BaseException:
                runner.cancel()  # before the pool waits for its threads
                for future in futures:
                    future.cancel()
                raise
    finally:
        runner.cleanup()
    return results, runner.kept_logs()


def _wait_interruptibly(futures: list[Any]) -> Iterator[Any]:
    """Wait in short slices so that Ctrl-C reaches the main thread at once."""
    for future in futures:
        while not future.done():
            time.sleep(0.1)
        yield future


class _Runner:
    """Runs variants; owns every process and folder it starts so it can always clean up."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.root = Path(tempfile.mkdtemp(prefix="pyframe-smoke-"))
        self.logs = Path(tempfile.mkdtemp(prefix="pyframe-smoke-logs-"))
        self.cancelled = threading.Event()
        self._lock = threading.Lock()
        self._processes: set[subprocess.Popen[bytes]] = set()
        self._databases: list[tuple[str, str]] = []
        self._render_lock = threading.Lock()

    # -- lifecycle

    def cancel(self) -> None:
        self.cancelled.set()
        with self._lock:
            processes = list(self._processes)
        for process in processes:
            _stop(process)

    def cleanup(self) -> None:
        for admin_url, name in self._databases:
            with suppress(OSError, subprocess.SubprocessError):
                subprocess.run(
                    admin_command(admin_url, f"DROP DATABASE IF EXISTS {name}"),
                    capture_output=True,
                    timeout=30,
                    check=False,
                )
        if not self.options.keep:
            shutil.rmtree(self.root, ignore_errors=True)
        with suppress(OSError):
            self.logs.rmdir()  # only when no log was kept

    def kept_logs(self) -> Path | None:
        return self.logs if self.logs.is_dir() else None

    # -- one variant

    def run(self, variant: Variant) -> VariantResult:
        result = VariantResult(variant)
        reason = self._unavailable(variant)
        if reason:
            if self.options.require_services:
                result.steps.append(StepResult("render", "fail", message=reason))
            else:
                result.skipped = reason
            self._event(variant, "render", "skip" if result.skipped else "fail")
            return result
        project = self.root / variant.id / "project"
        result.project = project
        env = self._environment(variant)
        steps: list[tuple[str, Callable[[], StepResult]]] = [
            ("render", lambda: self._render(variant, project)),
            ("install", lambda: self._command(variant, project, "install", env)),
            ("lock", lambda: self._command(variant, project, "lock", env)),
            ("lint", lambda: self._command(variant, project, "lint", env)),
            ("migrate", lambda: self._migrate(variant, project, env)),
            ("test", lambda: self._test(variant, project, env)),
            ("boot", lambda: self._boot(variant, project, env)),
        ]
        for name, step in steps:
            if self.cancelled.is_set():
                break
            self._event(variant, name, "start")
            started = time.monotonic()
            outcome = self._guarded(variant, name, step)
            outcome.seconds = time.monotonic() - started
            result.steps.append(outcome)
            self._event(variant, name, outcome.status)
            if outcome.status == "fail":
                break
        return result

    def _guarded(self, variant: Variant, name: str, step: Callable[[], StepResult]) -> StepResult:
        """Run one step; anything it raises fails this variant only, with the traceback kept."""
        try:
            return step()
        except Exception as exc:
            log = self.root / variant.id / f"{name}.crash.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(traceback.format_exc(), encoding="utf-8")
            return self._failed(name, variant, log, f"pyframe crashed: {type(exc).__name__}: {exc}")

    def _event(self, variant: Variant, step: str, what: str) -> None:
        if self.options.on_event:
            self.options.on_event(variant, step, what)

    def _unavailable(self, variant: Variant) -> str:
        for service in services_needed(variant.answers):
            url = getattr(self.options.services, service)
            if not url:
                return f"no {service} server given (--database-url/--redis-url)"
            if not reachable(url):
                return f"{service} is not reachable at {redact(url)}"
            client = {"postgresql": "psql", "mysql": "mysql"}.get(service)
            if client and shutil.which(client) is None:
                return f"the {client} client is needed to create {service} databases"
        version = variant.answers.get("python_version")
        if version and not _python(str(version)):
            return f"no Python {version} interpreter on this machine"
        return ""

    def _environment(self, variant: Variant) -> dict[str, str]:
        drop = (
            "VIRTUAL_ENV",
            "DATABASE_URL",
            "REDIS_URL",
            "APP_ENV",
            "SECRET_KEY",
            "PYTHONPATH",
            "MYPY_CACHE_DIR",
        )
        env = {k: v for k, v in os.environ.items() if k not in drop}
        tools = Path(sys.executable).parent  # uv installed next to pyframe
        env["PATH"] = f"{tools}{os.pathsep}{env.get('PATH', '')}"
        version = variant.answers.get("python_version")
        if version:
            env["PYTHON"] = _python(str(version)) or "python3"
        if "redis" in services_needed(variant.answers) and self.options.services.redis:
            env["REDIS_URL"] = self.options.services.redis
        env["MYPY_CACHE_DIR"] = str(self.options.mypy_cache or self.root / "mypy-cache")
        return env

    def _render(self, variant: Variant, project: Path) -> StepResult:
        from ..render import render

        data = dict(variant.answers)
        known = {q.name for q in variant.template.questions}
        if "project_name" in known:
            data.setdefault("project_name", f"smoke-{variant.number:02d}")
        log = project.parent / "render.log"
        trusted = self.options.trust or variant.template.builtin
        try:
            with self._render_lock:  # Copier keeps some state per process
                render(variant.template, project, data=data, trust=trusted)
        except PyframeError as exc:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(exc.message + "\n")
            return self._failed("render", variant, log, exc.message)
        return StepResult("render", "pass")

    def _declared(self, project: Path, variant: Variant, step: str) -> str | None:
        declared = _smoke_settings(variant.template).get(step)
        if declared:
            return str(declared)
        target = _TARGETS.get(step, step)
        if target in make_targets(project):
            return f"make {target}"
        if step == "install" and (project / "pyproject.toml").exists():
            return "uv venv -q .venv && uv pip install -q -p .venv -e ."
        return None

    def _command(
        self, variant: Variant, project: Path, step: str, env: Mapping[str, str]
    ) -> StepResult:
        command = self._declared(project, variant, step)
        if command is None:
            return StepResult(step, "skip", message=f"no make {_TARGETS.get(step, step)}")
        log = project.parent / f"{step}.log"
        code = self._run(command, project, env, log)
        if code != 0:
            return self._failed(step, variant, log, f"{command!r} exited {code}")
        return StepResult(step, "pass", log=log)

    def _migrate(self, variant: Variant, project: Path, env: dict[str, str]) -> StepResult:
        """Migrate a fresh database, then check models and migrations agree, where the project
        can (``make check-migrations``)."""
        database_url = self._fresh_database(variant)
        if database_url:
            env["DATABASE_URL"] = database_url
        result = self._command(variant, project, "migrate", env)
        if result.status != "pass" or self._declared(project, variant, "check-migrations") is None:
            return result
        checked = self._command(variant, project, "check-migrations", env)
        if checked.status == "fail":
            checked.name = "migrate"
            return checked
        return StepResult("migrate", "pass", message="migrations match the models", log=result.log)

    def _test(self, variant: Variant, project: Path, env: Mapping[str, str]) -> StepResult:
        env = dict(env)
        server = self._server_url(variant)
        if server:
            env["DATABASE_URL"] = server  # the suite creates and drops its own database there
        else:
            env.pop("DATABASE_URL", None)
        return self._command(variant, project, "test", env)

    def _boot(self, variant: Variant, project: Path, env: Mapping[str, str]) -> StepResult:
        command = self._declared(project, variant, "serve")
        if command is None:
            return StepResult("boot", "skip", message=_NO_SERVER)
        port = _free_port()
        env = {
            **env,
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
        }
        path = str(_smoke_settings(variant.template).get("health", "/health"))
        log = project.parent / "boot.log"
        with log.open("wb") as out, self._process(command, project, env, out) as process:
            status, detail = _wait_healthy(
                process, f"http://127.0.0.1:{port}{path}", self.cancelled
            )
        if status != 200:
            return self._failed("boot", variant, log, detail)
        return StepResult("boot", "pass", message=f"GET {path} -> 200", log=log)

    # -- helpers

    def _server_url(self, variant: Variant) -> str | None:
        for service in ("postgresql", "mysql"):
            if service in services_needed(variant.answers):
                url: str | None = getattr(self.options.services, service)
                return url
        return None

    def _fresh_database(self, variant: Variant) -> str | None:
        server = self._server_url(variant)
        if not server:
            return None
        name = f"pyframe_smoke_{variant.number:02d}_{secrets.token_hex(4)}"
        subprocess.run(
            admin_command(server, f"CREATE DATABASE {name}"), capture_output=True, check=True
        )
        self._databases.append((server, name))
        return with_database(server, name)

    def _run(self, command: str, cwd: Path, env: Mapping[str, str], log: Path) -> int:
        with log.open("wb") as out, self._process(command, cwd, env, out) as process:
            try:
                return process.wait(timeout=_STEP_TIMEOUT)
            except subprocess.TimeoutExpired:
                out.write(f"\n[pyframe] timed out after {_STEP_TIMEOUT:.0f} s\n".encode())
                return 124

    @contextmanager
    def _process(
        self, command: str, cwd: Path, env: Mapping[str, str], out: Any
    ) -> Iterator[subprocess.Popen[bytes]]:
        process = subprocess.Popen(
            ["/bin/sh", "-c", command],
            cwd=cwd,
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stopping it stops its children
        )
        with self._lock:
            self._processes.add(process)
        try:
            yield process
        finally:
            _stop(process)
            with self._lock:
                self._processes.discard(process)

    def _failed(self, step: str, variant: Variant, log: Path, message: str) -> StepResult:
        if self.cancelled.is_set():  # stopped by Ctrl-C, not a failure of the template
            return StepResult(step, "skip", message="interrupted")
        kept = self.logs / f"{variant.id}-{step}.log"
        with suppress(OSError):
            shutil.copyfile(log, kept)
        return StepResult(step, "fail", message=message, log=kept)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, then SIGKILL whatever is left after a grace period."""
    if process.poll() is not None:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # orphans of a finished shell
        return
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def _wait_healthy(
    process: subprocess.Popen[bytes], url: str, cancelled: threading.Event
) -> tuple[int, str]:
    deadline = time.monotonic() + _BOOT_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline and not cancelled.is_set():
        if process.poll() is not None:
            return 0, f"the server exited with {process.returncode} before answering {url}"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, f"GET {url} -> {response.status}"
        except urllib.error.HTTPError as exc:
            return exc.code, f"GET {url} -> {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(getattr(exc, "reason", exc))
        time.sleep(0.2)
    return 0, f"GET {url}: no answer within {_BOOT_TIMEOUT:.0f} s ({last})"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _smoke_settings(template: Template) -> Mapping[str, Any]:
    pyframe = template.settings.get("_pyframe") or {}
    smoke_section = pyframe.get("smoke") if isinstance(pyframe, dict) else None
    return smoke_section if isinstance(smoke_section, dict) else {}


@functools.cache
def _python(version: str) -> str | None:
    """An interpreter for ``version`` (``3.12``): on PATH, or installed by pyenv or uv.

    Cached: every variant asks, and each candidate costs a subprocess.
    """
    candidates = [shutil.which(f"python{version}")]
    candidates += [
        str(p) for p in sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python"))
    ]
    candidates += [
        str(p)
        for p in sorted(Path.home().glob(f".local/share/uv/python/cpython-{version}.*/bin/python3"))
    ]
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        candidates.insert(0, sys.executable)
    for candidate in candidates:
        if candidate and _answers(candidate, version):
            return candidate
    return None


def _answers(python: str, version: str) -> bool:
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and out.stdout.strip() == version
