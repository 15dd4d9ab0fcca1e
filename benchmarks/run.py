"""Measure pyframe and its skeletons, print a table and write JSON.

    python benchmarks/run.py            # everything, medians of 5 or more runs (about 25 minutes)
    python benchmarks/run.py --quick    # fewer runs and shorter loads (about 5 minutes)
    python benchmarks/run.py --only startup,render,memory

Rows: ``pyframe --help`` start-up and ``pyframe new`` render time (hyperfine), rendering alone
(in-process), peak memory of ``pyframe new``, time from ``pyframe new`` to a green ``make test``
with a warm uv cache, each skeleton's ``/health`` and authenticated 50-row items list under its
production server with one worker against PostgreSQL (wrk -t2 -c32), and ``pyframe smoke``
(one variant, and every built-in template pairwise).

pyframe is measured as a user installs it: the script builds a fresh virtualenv in a scratch
folder, installs this checkout's wheel there with bytecode compiled (``uv pip install
--compile-bytecode``, as ``pip install`` does) and runs itself again from it. ``--here`` measures
the environment it was started from instead (an editable checkout, say), after compiling its
bytecode.

Needs: hyperfine and wrk (Debian: ``apt-get install hyperfine wrk``), the psql client, and a
PostgreSQL server (``--database-url``, default postgresql://postgres@127.0.0.1:5432/postgres).
This is not a test: it prints figures and never fails on them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PYFRAME = str(BIN / "pyframe")
FRAMEWORKS = ("django", "fastapi", "flask")
# The py-spy executable --profile uses, found before the scratch install (which lacks it).
PY_SPY = "PYFRAME_BENCH_PY_SPY"
SECTIONS = ("startup", "render", "memory", "green", "http", "smoke")
INSTALL_NOTE = "PYFRAME_BENCH_INSTALL"


@dataclass
class Row:
    what: str
    value: float
    unit: str
    target: str = ""
    note: str = ""


# -------------------------------------------------------------------------------- helpers


def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, check=True, text=True, capture_output=True, **kwargs)


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "DATABASE_URL")}
    env["PATH"] = f"{BIN}{os.pathsep}{env['PATH']}"
    return env


def hyperfine(command: str, runs: int, prepare: str | None = None) -> float:
    """Median seconds of ``command`` over ``runs`` runs (after 2 warm-ups), by hyperfine."""
    with tempfile.NamedTemporaryFile(suffix=".json") as export:
        args = ["hyperfine", "-N", "-w", "2", "-r", str(runs), "--export-json", export.name]
        if prepare:
            args += ["--prepare", prepare]
        run([*args, command], env=environment())
        return float(json.loads(Path(export.name).read_text())["results"][0]["median"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def psql(url: str, sql: str) -> None:
    run(["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


# --------------------------------------------------------------------------------- pyframe


def bench_startup(runs: int) -> list[Row]:
    seconds = hyperfine(f"{PYFRAME} --help", runs)
    return [Row("pyframe --help (whole process)", seconds * 1000, "ms", "<= 150 ms")]


def bench_render(runs: int, work: Path) -> list[Row]:
    rows = []
    for framework in FRAMEWORKS:
        dest = work / f"render-{framework}"
        command = f"{PYFRAME} new x --framework {framework} --defaults --output {dest}"
        seconds = hyperfine(command, runs, prepare=f"rm -rf {dest}")
        rows.append(
            Row(
                f"pyframe new --framework {framework} (whole process)",
                seconds * 1000,
                "ms",
                "<= 600 ms",
            )
        )
        importing, rendering = render_only(framework, runs, work)
        rows.append(Row(f"  of which importing Copier ({framework})", importing * 1000, "ms"))
        rows.append(Row(f"  of which rendering ({framework})", rendering * 1000, "ms", "<= 300 ms"))
    return rows


def render_only(framework: str, runs: int, work: Path) -> tuple[float, float]:
    """Median seconds to import Copier, and to ``render()`` once it is imported; each run in a
    fresh process, since ``pyframe new`` pays for both."""
    code = (
        "import sys, time; from pathlib import Path; "
        "from scaffold.render import render; from scaffold.templates import resolve; "
        "t = resolve(sys.argv[1]); start = time.perf_counter(); import copier; "
        "imported = time.perf_counter(); "
        "render(t, Path(sys.argv[2]), data={'project_name': 'x'}); "
        "print(imported - start, time.perf_counter() - imported)"
    )
    importing, rendering = [], []
    for i in range(runs):
        dest = work / f"render-only-{framework}-{i}"
        first, second = run([sys.executable, "-c", code, framework, str(dest)]).stdout.split()
        importing.append(float(first))
        rendering.append(float(second))
        shutil.rmtree(dest)
    return statistics.median(importing), statistics.median(rendering)


def bench_memory(work: Path) -> list[Row]:
    rows = []
    for framework in FRAMEWORKS:
        dest = work / f"memory-{framework}"
        code = (
            "import resource, subprocess, sys; "
            "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        command = [PYFRAME, "new", "x", "--framework", framework, "-y", "--output", str(dest)]
        kilobytes = int(run([sys.executable, "-c", code, *command]).stdout)
        rows.append(
            Row(f"peak memory of pyframe new ({framework})", kilobytes / 1024, "MB", "<= 100 MB")
        )
        shutil.rmtree(dest)
    return rows


def bench_green(runs: int, work: Path) -> list[Row]:
    """``pyframe new`` -> ``make install`` -> ``make test``; the first (warming) run is dropped."""
    rows = []
    env = environment()
    for framework in FRAMEWORKS:
        times = []
        for i in range(runs + 1):
            dest = work / f"green-{framework}-{i}"
            start = time.monotonic()
            run(
                [PYFRAME, "new", "x", "--framework", framework, "-y", "--output", str(dest)],
                env=env,
            )
            run(["make", "install"], cwd=dest, env=env)
            run(["make", "test"], cwd=dest, env=env)
            times.append(time.monotonic() - start)
            shutil.rmtree(dest)
        rows.append(
            Row(
                f"new -> make install -> make test green ({framework})",
                statistics.median(times[1:]),
                "s",
                "<= 30 s",
            )
        )
    return rows


def bench_smoke(quick: bool, work: Path) -> list[Row]:
    env = environment()
    rows = []
    start = time.monotonic()
    run([PYFRAME, "smoke", "fastapi", "--matrix", "defaults", "--json"], env=env, cwd=work)
    rows.append(
        Row(
            "smoke: one variant, render to healthy boot (fastapi)",
            time.monotonic() - start,
            "s",
            "< 45 s",
        )
    )
    if not quick:
        start = time.monotonic()
        done = subprocess.run(
            [PYFRAME, "smoke", "--all", "--json"], env=env, cwd=work, capture_output=True, text=True
        )
        summary = json.loads(done.stdout)["summary"]["line"] if done.stdout else "no report"
        rows.append(
            Row(
                "smoke: all built-in templates, pairwise, 2 jobs",
                (time.monotonic() - start) / 60,
                "min",
                "< 10 min",
                summary,
            )
        )
    return rows


# ------------------------------------------------------------------------------ skeletons


@dataclass
class Skeleton:
    """How to stand up one skeleton variant for a load test: answers, seeding, its pages."""

    name: str
    framework: str
    answers: dict[str, str]
    #: (page, path, needs the seeded credentials, target in CPU ms per request or "")
    pages: tuple[tuple[str, str, bool, str], ...]
    seed: Callable[[str, Path, dict[str, str]], dict[str, str]] | None = None  # -> auth headers


def http(
    method: str, url: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={
            "Content-Type": "application/json",
            "X-Forwarded-Proto": "https",
            **(headers or {}),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read()
        return json.loads(text) if text else None


EMAIL, PASSWORD = "bench@example.com", "correct horse battery staple"


def seed_fastapi(base: str, project: Path, env: dict[str, str]) -> dict[str, str]:
    http("POST", f"{base}/api/users", {"email": EMAIL, "password": PASSWORD})
    request = urllib.request.Request(
        f"{base}/api/auth/token",
        data=f"username={EMAIL}&password={PASSWORD.replace(' ', '+')}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        token = json.loads(response.read())["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    for i in range(50):
        http("POST", f"{base}/api/items", {"title": f"item {i}", "description": "x"}, headers)
    return headers


def seed_django(base: str, project: Path, env: dict[str, str]) -> dict[str, str]:
    run(
        [
            str(project / ".venv/bin/python"),
            "manage.py",
            "createsuperuser",
            "--noinput",
            "--email",
            EMAIL,
        ],
        cwd=project,
        env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )
    token = http("POST", f"{base}/api/auth/token/", {"email": EMAIL, "password": PASSWORD})
    headers = {"Authorization": f"Token {token['token']}"}
    for i in range(50):
        http("POST", f"{base}/api/items/", {"title": f"item {i}", "description": "x"}, headers)
    return headers


def seed_flask(base: str, project: Path, env: dict[str, str]) -> dict[str, str]:
    http("POST", f"{base}/auth/register", {"email": EMAIL, "password": PASSWORD})
    token = http("POST", f"{base}/auth/token", {"email": EMAIL, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    for i in range(50):
        http("POST", f"{base}/items/", {"title": f"item {i}", "description": "x"}, headers)
    return headers


HEALTH = ("/health", "/health", False, "")
SKELETONS = (
    Skeleton(
        "fastapi",
        "fastapi",
        {"database": "postgresql"},
        (HEALTH, ("items list, 50 rows, JWT", "/api/items?limit=50", True, "<= 1.5")),
        seed_fastapi,
    ),
    Skeleton(
        "django drf",
        "django",
        {"database": "postgresql", "api": "drf"},
        (
            HEALTH,
            ("login page", "/accounts/login/", False, ""),
            ("DRF items list, 1 row, token", "/api/items/?limit=1", True, "<= 1.5"),
            ("DRF items list, 50 rows, token", "/api/items/?limit=50", True, "<= 2.5"),
        ),
        seed_django,
    ),
    Skeleton(
        "flask api",
        "flask",
        {"database": "postgresql", "flavour": "api"},
        (HEALTH, ("items list, 50 rows, bearer token", "/items/?per_page=50", True, "<= 2.0")),
        seed_flask,
    ),
    Skeleton(
        "flask web",
        "flask",
        {"database": "postgresql", "flavour": "web"},
        (("login page (form, CSRF token)", "/auth/login", False, "<= 0.6"),),
    ),
)


@dataclass(frozen=True)
class Load:
    """What one ``wrk`` run measured, with the server's CPU time per request."""

    rate: float
    p50: float
    p99: float
    requests: int
    cpu_ms: float


def wrk(url: str, headers: dict[str, str], seconds: int, server: int | None = None) -> Load:
    """``wrk -t2 -c32`` against ``url``: req/s, p50 and p99 (ms), and, when ``server`` (a
    process group) is given, the CPU milliseconds its processes spent per request, read from
    /proc before and after: steadier than req/s on a noisy machine."""
    args = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency"]
    for name, value in {"X-Forwarded-Proto": "https", **headers}.items():
        args += ["-H", f"{name}: {value}"]
    before = cpu_seconds(server) if server else 0.0
    out = run([*args, url]).stdout
    used = cpu_seconds(server) - before if server else 0.0
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses under load")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return Load(
        rate=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50=_latency(out, "50%"),
        p99=_latency(out, "99%"),
        requests=requests,
        cpu_ms=used * 1000 / requests if requests else 0.0,
    )


def profile(url: str, headers: dict[str, str], seconds: int, server: int, out: Path) -> None:
    """Load ``url`` again with py-spy sampling the server's processes, only while a thread holds
    the GIL (``--gil``: a thread waiting on PostgreSQL or a socket is not using the CPU), and
    write the raw stacks to ``out``.txt and the functions that cost the most to ``out``.top."""
    raw = out.with_suffix(".txt")
    spy = subprocess.Popen(
        [
            os.environ[PY_SPY],
            "record",
            "--gil",
            "--subprocesses",
            "--nonblocking",
            "-r",
            "250",
            "-d",
            str(seconds + 1),
            "-f",
            "raw",
            "-o",
            str(raw),
            "-p",
            str(server),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1)
    wrk(url, headers, seconds)
    spy.wait(timeout=seconds + 60)
    out.with_suffix(".top").write_text(top_functions(raw.read_text()))


def top_functions(stacks: str, count: int = 40) -> str:
    """The functions in most samples (their own time and what they call), from py-spy's raw
    (collapsed) stacks: ``frame;frame;... samples`` per line."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in stacks.split("\n"):
        stack, _, samples = line.rpartition(" ")
        if not samples.isdigit():  # a blank line, or part of a frame name that held a newline
            continue
        n = int(samples)
        total += n
        # Without the process frames --subprocesses puts first, and without the files' folders.
        frames = [
            re.sub(r" \((?:.*/)?([^/:]+)(?::\d+)?\)$", r" (\1)", frame)
            for frame in stack.split(";")
            if not frame.startswith("process ")
        ] or ["(no Python frame)"]
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    lines = [f"{total} samples while a server thread held the GIL", "", "with what it calls:"]
    lines += [f"{100 * n / total:5.1f}%  {f}" for f, n in inclusive.most_common(count)]
    lines += ["", "own time:"]
    lines += [f"{100 * n / total:5.1f}%  {f}" for f, n in own.most_common(count // 2)]
    return "\n".join(lines) + "\n"


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def _latency(out: str, percentile: str) -> float:
    found = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]
    return float(found.group(1)) * scale


def cpu_seconds(group: int) -> float:
    """User plus system CPU seconds of every process in process group ``group`` (the server:
    make, the gunicorn master and its worker)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group:  # field 5, pgrp, counting from the state
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def bench_http(
    quick: bool, work: Path, server_url: str, names: list[str], profiles: Path | None = None
) -> list[Row]:
    rows = []
    env = environment()
    seconds = 3 if quick else 10
    for skeleton in (s for s in SKELETONS if s.name in names):
        project = work / f"http-{skeleton.name.replace(' ', '-')}"
        data = [f"--data={k}={v}" for k, v in skeleton.answers.items()]
        run(
            [
                PYFRAME,
                "new",
                "bench",
                "--framework",
                skeleton.framework,
                "-y",
                "--output",
                str(project),
                *data,
            ],
            env=env,
        )
        run(["make", "install"], cwd=project, env=env)
        database = f"pyframe_bench_{skeleton.framework}_{secrets.token_hex(3)}"
        psql(server_url, f"CREATE DATABASE {database}")
        port = free_port()
        app_env = {
            **env,
            "DATABASE_URL": with_database(server_url, database),
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
            "LOG_LEVEL": "warning",
        }
        server = None
        try:
            run(["make", "migrate"], cwd=project, env=app_env)
            server = subprocess.Popen(
                ["make", "serve"],
                cwd=project,
                env=app_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            base = f"http://127.0.0.1:{port}"
            wait_healthy(f"{base}/health", server)
            headers = skeleton.seed(base, project, app_env) if skeleton.seed else {}
            for page, path, authenticated, target in skeleton.pages:
                auth = headers if authenticated else {}
                wrk(base + path, auth, 2)  # warm-up
                load = wrk(base + path, auth, seconds, server.pid)
                label = f"{skeleton.name} {page}"
                fastapi_health = skeleton.framework == "fastapi" and path == "/health"
                rows.append(
                    Row(
                        f"{label}: req/s",
                        load.rate,
                        "req/s",
                        ">= 10,500 req/s" if fastapi_health else "",
                    )
                )
                rows.append(Row(f"{label}: p50", load.p50, "ms"))
                rows.append(
                    Row(
                        f"{label}: p99",
                        load.p99,
                        "ms",
                        "<= 2.5 x p50" if authenticated else ("<= 8 ms" if fastapi_health else ""),
                        note=f"{load.p99 / load.p50:.1f} x p50" if load.p50 else "",
                    )
                )
                rows.append(Row(f"{label}: CPU per request", load.cpu_ms, "ms", target))
                if profiles and target:
                    profile(base + path, auth, seconds, server.pid, profiles / slug(label))
        finally:
            if server:
                os.killpg(server.pid, 15)
                server.wait(timeout=30)
            psql(server_url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    return rows


def wait_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within 60 s")


# ------------------------------------------------------------------------------------ main


def machine() -> dict[str, str]:
    def version(command: list[str]) -> str:
        """The first line a tool prints about itself (wrk prints it and exits 1)."""
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError:
            return "missing"
        return (done.stdout + done.stderr).strip().splitlines()[0]

    import copier

    return {
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "pyframe": run([PYFRAME, "--version"]).stdout.split()[-1],
        "copier": copier.__version__,
        "uv": version([str(BIN / "uv"), "--version"]),
        "hyperfine": version(["hyperfine", "--version"]),
        "wrk": version(["wrk", "-v"]),
        "install": os.environ.get(INSTALL_NOTE, "the running environment, bytecode compiled"),
        "load average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def rerun_from_a_fresh_install(argv: list[str]) -> int:
    """Install this checkout's wheel into a scratch virtualenv and run the script from there.

    An editable install measures the wrong thing: its modules are found through a path hook and,
    under ``PYTHONDONTWRITEBYTECODE``, recompiled on every run. A wheel with compiled bytecode is
    what ``pip install pyframe-cli`` gives a user."""
    uv = shutil.which("uv", path=str(BIN)) or shutil.which("uv")
    if uv is None:
        sys.exit("benchmarks/run.py: uv is needed to build the scratch install (pip install uv)")
    with tempfile.TemporaryDirectory(prefix="pyframe-bench-venv-") as scratch:
        venv = Path(scratch) / "venv"
        print(f"[install] a fresh virtualenv in {venv} ...", file=sys.stderr, flush=True)
        run([uv, "venv", "-q", "--python", sys.executable, str(venv)])
        python = venv / "bin" / "python"
        # uv itself comes along: generated projects' `make install` and the smoke use it.
        run(
            [
                uv,
                "pip",
                "install",
                "-q",
                "--compile-bytecode",
                "--python",
                str(python),
                str(ROOT),
                "uv",
            ]
        )
        env = {
            **os.environ,
            INSTALL_NOTE: "a fresh virtualenv: this checkout's wheel, bytecode compiled",
        }
        return subprocess.run([str(python), __file__, *argv, "--here"], env=env).returncode


def compile_bytecode() -> None:
    """Compile the environment's bytecode and pyframe's own, as ``pip install`` does (uv does
    not by default): without it every run would compile Copier and prompt_toolkit again (about
    0.6 s), which no user pays."""
    import sysconfig

    import scaffold

    paths = {sysconfig.get_paths()["purelib"], str(Path(scaffold.__file__).parent)}
    run([sys.executable, "-m", "compileall", "-q", "-j", "0", *sorted(paths)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, shorter loads")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--skeletons",
        default=",".join(s.name for s in SKELETONS),
        help="for http: comma-separated skeletons (fastapi, django drf, flask api, flask web)",
    )
    parser.add_argument(
        "--here",
        action="store_true",
        help="measure the running environment instead of a fresh install of this checkout",
    )
    parser.add_argument(
        "--json", type=Path, default=ROOT / "benchmarks" / "results" / "latest.json"
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="for http: also profile each page with a target (py-spy) and write the stacks to DIR",
    )
    args = parser.parse_args()
    sections = [s for s in args.only.split(",") if s]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {SECTIONS}")
    missing = [tool for tool in ("hyperfine", "wrk", "psql") if shutil.which(tool) is None]
    if missing:
        parser.error(
            f"missing {', '.join(missing)} (Debian: apt-get install hyperfine wrk "
            "postgresql-client)"
        )
    if args.profile:
        spy = os.environ.get(PY_SPY) or shutil.which("py-spy") or shutil.which("py-spy", path=BIN)
        if spy is None:
            parser.error("--profile needs py-spy (pip install py-spy)")
        os.environ[PY_SPY] = spy
        args.profile = args.profile.resolve()
        args.profile.mkdir(parents=True, exist_ok=True)
    if not args.here:
        argv = sys.argv[1:] + (["--profile", str(args.profile)] if args.profile else [])
        return rerun_from_a_fresh_install(argv)
    runs = 5 if args.quick else 10
    compile_bytecode()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="pyframe-bench-") as scratch:
        work = Path(scratch)
        steps: dict[str, Callable[[], list[Row]]] = {
            "startup": lambda: bench_startup(runs * 2),
            "render": lambda: bench_render(runs, work),
            "memory": lambda: bench_memory(work),
            "green": lambda: bench_green(1 if args.quick else 5, work),
            "http": lambda: bench_http(
                args.quick, work, args.database_url, args.skeletons.split(","), args.profile
            ),
            "smoke": lambda: bench_smoke(args.quick, work),
        }
        for section in sections:
            print(f"[{section}] ...", file=sys.stderr, flush=True)
            rows += steps[section]()
    info = machine()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    width = max(len(r.what) for r in rows)
    for row in rows:
        figure = f"{row.value:,.0f}" if row.value >= 100 else f"{row.value:.2f}"
        line = f"{row.what:<{width}}  {figure:>10} {row.unit:<6} {row.target:<28} {row.note}"
        print(line.rstrip())
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"machine": info, "rows": [r.__dict__ for r in rows]}, indent=2) + "\n"
    )
    print(f"written: {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
