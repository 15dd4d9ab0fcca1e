"""Build, install, test and boot every variant of a template: what CI runs to trust a template.

Three parts, in the order they run:

1. **Plan** - the variants come from the template's own ``copier.yml``: every choice and bool
   question, pairwise (every pair of values at least once), full, or just the defaults, with
   ``when:`` conditions honoured, so a new question is covered without touching pyframe.
2. **Run** - per variant: render, install, lint, migrate (on a fresh database, then
   ``make check-migrations`` where it exists), test, boot the production server and
   ``GET /health``. A step that fails stops the variant; its log is kept.
3. **Report** - a table, JUnit XML, JSON, and one last line ``N passed, M failed``.

A template that follows the skeleton contract (``make install`` ... ``make serve``) needs nothing
else. Another may declare its own commands in ``copier.yml``::

    _pyframe:
      smoke:
        install: pip install -e .        # any step: a shell command, run in the project
        test: pytest -q
        serve: gunicorn app:app --bind $HOST:$PORT
        health: /healthz                 # path expected to answer 200 (default /health)

A step that is neither declared nor a Makefile target is reported as skipped ("no make test").
"""

from __future__ import annotations

import functools
import itertools
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from .errors import PyframeError
from .render import make_targets
from .templates import Question, Template, settings_of

Mode = Literal["defaults", "pairwise", "full"]
Status = Literal["pass", "fail", "skip"]
STEPS = ("render", "install", "lint", "migrate", "test", "boot")
_FULL_LIMIT = 200_000
_BOOT_TIMEOUT = 60.0
_STEP_TIMEOUT = 900.0


# ---------------------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class Variant:
    """One combination of answers for one template."""

    template: Template
    number: int
    answers: Mapping[str, Any]

    @property
    def id(self) -> str:
        return f"{self.template.name}-{self.number:02d}"

    def describe(self) -> str:
        return " ".join(f"{k}={_show(v)}" for k, v in self.answers.items()) or "(defaults)"


def plan(
    template: Template, mode: Mode = "pairwise", pinned: Mapping[str, Any] | None = None
) -> list[Variant]:
    """The variants to build for ``template``; ``pinned`` answers are the same in all of them."""
    pinned = dict(pinned or {})
    questions = [q for q in template.questions if not q.secret]
    unknown = set(pinned) - {q.name for q in questions}
    if unknown and questions:
        raise PyframeError(
            f"--data: template {template.name!r} has no question {', '.join(sorted(unknown))}"
        )
    axes = {q.name: _values(q) for q in questions if q.name not in pinned and _values(q)}
    if mode == "defaults" or not axes:
        rows = [{}]
    elif mode == "full":
        rows = _product(axes)
    else:
        rows = _pairwise(axes, questions, pinned)
    seen: set[tuple[tuple[str, str], ...]] = set()
    variants = []
    for row in rows:
        answers = _normalise({**pinned, **row}, questions)
        key = tuple(sorted((k, repr(v)) for k, v in answers.items()))
        if key in seen:
            continue
        seen.add(key)
        chosen = {k: v for k, v in answers.items() if k in axes or k in pinned}
        variants.append(Variant(template, len(variants) + 1, chosen))
    return variants


def covered_pairs(variants: Sequence[Variant]) -> set[frozenset[tuple[str, str]]]:
    """Every pair of (question, value) that some variant has; for tests and ``--matrix`` output."""
    pairs = set()
    for variant in variants:
        items = [(k, repr(v)) for k, v in variant.answers.items()]
        pairs.update(frozenset(p) for p in itertools.combinations(items, 2))
    return pairs


def possible_pairs(
    template: Template, pinned: Mapping[str, Any] | None = None
) -> set[frozenset[tuple[str, str]]]:
    """Every pair of answer values that can occur together, ``when:`` conditions considered."""
    return covered_pairs(plan(template, "full", pinned))


def _values(question: Question) -> tuple[Any, ...]:
    if question.choices:
        return tuple(question.choices)
    if question.type == "bool":
        return (False, True)
    return ()


def _product(axes: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    size = 1
    for values in axes.values():
        size *= len(values)
    if size > _FULL_LIMIT:
        raise PyframeError(
            f"--matrix full would build {size} variants; use pairwise or pin answers with --data"
        )
    names = list(axes)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*axes.values())]


def _pairwise(
    axes: Mapping[str, Sequence[Any]], questions: Sequence[Question], pinned: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """allpairspy's covering set, then extra rows for any pair that ``when:`` hid.

    A hidden question takes its default, which can drop a pair that only the hidden row had;
    those pairs are found in the full product (small for real templates) and added back.
    """
    names = list(axes)
    if len(names) == 1:
        return [{names[0]: v} for v in axes[names[0]]]
    from allpairspy import AllPairs

    rows = [dict(zip(names, row, strict=True)) for row in AllPairs([list(axes[n]) for n in names])]
    chosen = [_normalise({**pinned, **r}, questions) for r in rows]

    def pairs_of(answers: Mapping[str, Any]) -> set[frozenset[tuple[str, str]]]:
        items = [(k, repr(answers[k])) for k in names if k in answers]
        return {frozenset(p) for p in itertools.combinations(items, 2)}

    have = set().union(*(pairs_of(a) for a in chosen))
    try:
        full = [_normalise({**pinned, **r}, questions) for r in _product(axes)]
    except PyframeError:
        return rows  # too large to verify; allpairspy's set is the best available
    missing = set().union(*(pairs_of(a) for a in full)) - have
    while missing:
        best = max(full, key=lambda a: len(pairs_of(a) & missing))
        rows.append({k: best[k] for k in names if k in best})
        missing -= pairs_of(best)
    return rows


def _normalise(answers: Mapping[str, Any], questions: Sequence[Question]) -> dict[str, Any]:
    """Answers as Copier would see them: hidden questions dropped, defaults filled in."""
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment()
    context: dict[str, Any] = {}
    for q in questions:
        if not _truthy(_render(env, q.when, context)):
            continue
        if q.name in answers:
            context[q.name] = answers[q.name]
        elif _values(q):
            default = _render(env, q.default, context)
            context[q.name] = _cast(default, q)
    return {k: v for k, v in context.items() if any(q.name == k and _values(q) for q in questions)}


def _render(env: Any, value: Any, context: Mapping[str, Any]) -> Any:
    if isinstance(value, str) and ("{{" in value or "{%" in value):
        return env.from_string(value).render(**context)
    return value


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("", "false", "no", "n", "0", "off", "none", "null")
    return bool(value)


def _cast(value: Any, question: Question) -> Any:
    if question.type == "bool":
        return _truthy(value)
    return value


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


# ------------------------------------------------------------------------------------ services


@dataclass(frozen=True)
class Services:
    """Where the real servers are; a missing one skips (or, when required, fails) its variants."""

    postgresql: str | None = "postgresql://postgres@127.0.0.1:5432/postgres"
    mysql: str | None = "mysql://root@127.0.0.1:3306/mysql"
    redis: str | None = "redis://127.0.0.1:6379/0"

    @classmethod
    def from_urls(cls, database_urls: Sequence[str] = (), redis_url: str | None = None) -> Services:
        """Flags first, then PYFRAME_POSTGRESQL_URL / PYFRAME_MYSQL_URL / PYFRAME_REDIS_URL."""
        urls = {
            "postgresql": os.environ.get("PYFRAME_POSTGRESQL_URL", cls.postgresql),
            "mysql": os.environ.get("PYFRAME_MYSQL_URL", cls.mysql),
            "redis": redis_url or os.environ.get("PYFRAME_REDIS_URL", cls.redis),
        }
        for url in database_urls:
            scheme = urlsplit(url).scheme.split("+")[0]
            kind = {"postgres": "postgresql", "mariadb": "mysql"}.get(scheme, scheme)
            if kind not in ("postgresql", "mysql"):
                raise PyframeError(f"--database-url {url!r}: expected postgresql:// or mysql://")
            urls[kind] = url
        return cls(**urls)


def services_needed(answers: Mapping[str, Any]) -> list[str]:
    """Which servers a variant needs, read from its answers (database, redis, celery)."""
    values = {str(v).lower() for v in answers.values()}
    needed = []
    if answers.get("database") in ("postgresql", "postgres") or "postgresql" in values:
        needed.append("postgresql")
    if answers.get("database") in ("mysql", "mariadb") or values & {"mysql", "mariadb"}:
        needed.append("mysql")
    if values & {"redis", "celery"}:
        needed.append("redis")
    return needed


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    port = parts.port or {"postgresql": 5432, "mysql": 3306, "redis": 6379}.get(
        parts.scheme.split("+")[0], 0
    )
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _admin_command(url: str, sql: str) -> list[str]:
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres"):
        return ["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]
    command = ["mysql", "-h", parts.hostname or "127.0.0.1", "-P", str(parts.port or 3306)]
    command += ["-u", parts.username or "root"]
    if parts.password:
        command.append(f"-p{parts.password}")
    return [*command, "-e", sql]


# ----------------------------------------------------------------------------------------- run


@dataclass
class StepResult:
    name: str
    status: Status
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
        return "fail" if any(s.status == "fail" for s in self.steps) else "pass"

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.steps)


@dataclass
class Report:
    results: list[VariantResult]
    logs: Path | None = None

    def counts(self) -> dict[Status, int]:
        counts: dict[Status, int] = {"pass": 0, "fail": 0, "skip": 0}
        for result in self.results:
            counts[result.status] += 1
        return counts

    @property
    def ok(self) -> bool:
        return self.counts()["fail"] == 0


Event = Callable[[Variant, str, str], None]  # (variant, step, "start" | status)


@dataclass
class Options:
    jobs: int = os.cpu_count() or 1
    keep: bool = False
    services: Services = field(default_factory=Services)
    require_services: bool = False
    on_event: Event | None = None


def smoke(variants: Sequence[Variant], options: Options) -> Report:
    """Run every variant (``options.jobs`` at a time) and report; Ctrl-C stops and cleans up."""
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
    return Report(results=results, logs=runner.kept_logs())


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
                    _admin_command(admin_url, f"DROP DATABASE IF EXISTS {name}"),
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
            outcome = step()
            outcome.seconds = time.monotonic() - started
            result.steps.append(outcome)
            self._event(variant, name, outcome.status)
            if outcome.status == "fail":
                break
        return result

    def _event(self, variant: Variant, step: str, what: str) -> None:
        if self.options.on_event:
            self.options.on_event(variant, step, what)

    def _unavailable(self, variant: Variant) -> str:
        for service in services_needed(variant.answers):
            url = getattr(self.options.services, service)
            if not url:
                return f"no {service} server given (--database-url/--redis-url)"
            if not _reachable(url):
                return f"{service} is not reachable at {_redact(url)}"
            client = {"postgresql": "psql", "mysql": "mysql"}.get(service)
            if client and shutil.which(client) is None:
                return f"the {client} client is needed to create {service} databases"
        version = variant.answers.get("python_version")
        if version and not _python(str(version)):
            return f"no Python {version} interpreter on this machine"
        return ""

    def _environment(self, variant: Variant) -> dict[str, str]:
        drop = ("VIRTUAL_ENV", "DATABASE_URL", "REDIS_URL", "APP_ENV", "SECRET_KEY", "PYTHONPATH")
        env = {k: v for k, v in os.environ.items() if k not in drop}
        tools = Path(sys.executable).parent  # uv installed next to pyframe
        env["PATH"] = f"{tools}{os.pathsep}{env.get('PATH', '')}"
        version = variant.answers.get("python_version")
        if version:
            env["PYTHON"] = _python(str(version)) or "python3"
        if "redis" in services_needed(variant.answers) and self.options.services.redis:
            env["REDIS_URL"] = self.options.services.redis
        return env

    def _render(self, variant: Variant, project: Path) -> StepResult:
        from .render import render

        data = dict(variant.answers)
        known = {q.name for q in variant.template.questions}
        name = f"smoke-{variant.number:02d}"
        if "project_name" in known:
            data.setdefault("project_name", name)
        log = project.parent / "render.log"
        try:
            with self._render_lock:  # Copier keeps some state per process
                render(variant.template, project, data=data, trust=True)
        except PyframeError as exc:
            log.write_text(exc.message + "\n")
            return self._failed("render", variant, log, exc.message)
        return StepResult("render", "pass")

    def _declared(self, project: Path, variant: Variant, step: str) -> str | None:
        declared = _smoke_settings(variant.template).get(step)
        if declared:
            return str(declared)
        if step in make_targets(project):
            return f"make {step}"
        if step == "install" and (project / "pyproject.toml").exists():
            return "uv venv -q .venv && uv pip install -q -p .venv -e ."
        return None

    def _command(
        self, variant: Variant, project: Path, step: str, env: Mapping[str, str]
    ) -> StepResult:
        command = self._declared(project, variant, step)
        if command is None:
            return StepResult(step, "skip", message=f"no make {step}")
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
            return StepResult("boot", "skip", message="no make serve")
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
                return getattr(self.options.services, service)
        return None

    def _fresh_database(self, variant: Variant) -> str | None:
        server = self._server_url(variant)
        if not server:
            return None
        name = f"pyframe_smoke_{variant.number:02d}_{secrets.token_hex(4)}"
        subprocess.run(
            _admin_command(server, f"CREATE DATABASE {name}"), capture_output=True, check=True
        )
        self._databases.append((server, name))
        return _with_database(server, name)

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
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _smoke_settings(template: Template) -> Mapping[str, Any]:
    if not template.is_local:
        return {}
    pyframe = settings_of(Path(template.source)).get("_pyframe") or {}
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


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return url


# -------------------------------------------------------------------------------------- report


def summary_line(report: Report) -> str:
    """The last line of every smoke run, e.g. ``5 passed, 1 failed, 2 skipped``."""
    counts = report.counts()
    line = f"{counts['pass']} passed, {counts['fail']} failed"
    return line + (f", {counts['skip']} skipped" if counts["skip"] else "")


def to_json(report: Report) -> dict[str, Any]:
    """A stable, machine-readable summary (schema version 1)."""
    return {
        "schema": 1,
        "summary": {**report.counts(), "line": summary_line(report)},
        "logs": str(report.logs) if report.logs else None,
        "variants": [
            {
                "id": r.variant.id,
                "template": r.variant.template.name,
                "answers": dict(r.variant.answers),
                "status": r.status,
                "skipped": r.skipped or None,
                "seconds": round(r.seconds, 2),
                "steps": [
                    {
                        "name": s.name,
                        "status": s.status,
                        "seconds": round(s.seconds, 2),
                        "message": s.message or None,
                        "log": str(s.log) if s.status == "fail" and s.log else None,
                    }
                    for s in r.steps
                ],
            }
            for r in report.results
        ],
    }


def to_junit(report: Report) -> str:
    """JUnit XML: one suite per template, one test case per variant and step."""
    from xml.etree import ElementTree as ET

    suites = ET.Element("testsuites", name="pyframe smoke")
    by_template: dict[str, list[VariantResult]] = {}
    for result in report.results:
        by_template.setdefault(result.variant.template.name, []).append(result)
    for name, results in by_template.items():
        suite = ET.SubElement(suites, "testsuite", name=name)
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for result in results:
            ran = {s.name: s for s in result.steps}
            failed_before = False
            for step in STEPS:
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname=f"{name}.{result.variant.id}",
                    name=f"{step} [{result.variant.describe()}]",
                    time=f"{ran[step].seconds:.3f}" if step in ran else "0",
                )
                counts["tests"] += 1
                outcome = ran.get(step)
                if outcome and outcome.status == "fail":
                    failed_before = True
                    failure = ET.SubElement(case, "failure", message=outcome.message)
                    failure.text = _tail(outcome.log)
                    counts["failures"] += 1
                elif outcome is None or outcome.status == "skip":
                    why = result.skipped or (outcome.message if outcome else "")
                    if not why:
                        why = "not run: an earlier step failed" if failed_before else "not run"
                    ET.SubElement(case, "skipped", message=why)
                    counts["skipped"] += 1
        suite.set("tests", str(counts["tests"]))
        suite.set("failures", str(counts["failures"]))
        suite.set("skipped", str(counts["skipped"]))
        suite.set("errors", "0")
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _tail(log: Path | None, lines: int = 60) -> str:
    if not log or not log.exists():
        return ""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
