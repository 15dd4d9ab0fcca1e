"""Measure ``pyframe serve``: a zip against the CLI's render, and 20 concurrent generators.

    python benchmarks/web.py            # 6 zips per template, 20 clients x 4 zips
    python benchmarks/web.py --quick    # 3 zips per template, 20 clients x 2 zips
    python benchmarks/web.py --json results.json

1. **A zip against the CLI's render.** For each built-in template, alternately: the render
   ``pyframe new NAME --framework F -y`` does (``core.choose`` + ``core.create`` in this process,
   Copier already imported, as the README's "rendering" row measures it), then
   ``GET /starter.zip`` of the same answers from a ``pyframe serve`` started for the run (a new
   project name every time, so nothing is served from the server's memory of recent renders).
   Target: the zip's median within the render's median + 150 ms.
2. **20 concurrent generators.** 20 clients at once, each asking for zips of new names in turn
   (templates in rotation); every response must be a 200 zip. Prints p50, p99 and the slowest
   latency, and zips per second. The server runs its default pool (one render process per core,
   at most four) and queue.

The server is started as a user would (``pyframe serve``), in its own process, on loopback.
This is not a test: it prints figures and never fails on them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

FRAMEWORKS = ("django", "fastapi", "flask")
BUDGET_MS = 150.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Serve:
    """``pyframe serve`` on a free loopback port, for the duration of a ``with`` block."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tmp = tmp
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Serve:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scaffold", "serve", "--port", str(self.port)],
            env={**os.environ, "TMPDIR": str(self.tmp)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5):
                    return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit("pyframe serve did not start within 180 s")

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def zip(self, name: str, framework: str) -> tuple[int, float, bytes]:
        """Status, seconds and body of one ``/starter.zip``."""
        url = f"{self.url}/starter.zip?name={name}&framework={framework}"
        request = urllib.request.Request(url, headers={"User-Agent": "curl/8 (benchmark)"})
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                body = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            body, status = error.read(), error.code
        except OSError as error:
            body, status = str(error).encode(), 0
        return status, time.perf_counter() - start, body


def cli_render(tmp: Path, name: str, framework: str) -> float:
    """Seconds for the render ``pyframe new NAME --framework F -y`` does, in this process."""
    from scaffold.config import load_config
    from scaffold.core import choose, create
    from scaffold.matrix import Needs

    settings = load_config()
    start = time.perf_counter()
    choice = choose(Needs(), settings, framework=framework)
    create(choice, name, settings, output=tmp / name)
    return time.perf_counter() - start


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def zip_against_render(server: Serve, tmp: Path, runs: int) -> list[dict[str, Any]]:
    rows = []
    for framework in FRAMEWORKS:
        cli_render(tmp, f"warm-{framework}", framework)  # the first render pays for Jinja's caches
        server.zip(f"warm-{framework}", framework)
        renders, zips = [], []
        for run in range(runs):
            renders.append(cli_render(tmp, f"cli-{framework}-{run}", framework))
            status, seconds, body = server.zip(f"web-{framework}-{run}", framework)
            if status != 200:
                raise SystemExit(f"/starter.zip answered {status}: {body[:200]!r}")
            zips.append(seconds)
        render_ms = statistics.median(renders) * 1000
        zip_ms = statistics.median(zips) * 1000
        rows.append(
            {
                "framework": framework,
                "render_ms": round(render_ms),
                "zip_ms": round(zip_ms),
                "over_ms": round(zip_ms - render_ms),
                "met": zip_ms <= render_ms + BUDGET_MS,
            }
        )
    return rows


def concurrent(server: Serve, clients: int, each: int) -> dict[str, Any]:
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start_line = threading.Barrier(clients)

    def client(number: int) -> None:
        start_line.wait()
        for turn in range(each):
            framework = FRAMEWORKS[(number + turn) % len(FRAMEWORKS)]
            name = f"load-{number}-{turn}"
            status, seconds, body = server.zip(name, framework)
            ok = status == 200 and zipfile.ZipFile(BytesIO(body)).testzip() is None
            with lock:
                latencies.append(seconds)
                if not ok:
                    failures.append(f"{name}: {status} {body[:120]!r}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": len(failures),
        "first_errors": failures[:3],
        "p50_ms": round(percentile(latencies, 0.50) * 1000),
        "p99_ms": round(percentile(latencies, 0.99) * 1000),
        "max_ms": round(max(latencies) * 1000),
        "zips_per_s": round(len(latencies) / elapsed, 2),
        "seconds": round(elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    runs, each = (3, 2) if args.quick else (6, 4)
    with tempfile.TemporaryDirectory(prefix="pyframe-bench-web-") as folder:
        tmp = Path(folder)
        (tmp / "cli").mkdir()
        with Serve(tmp) as server:
            versus = zip_against_render(server, tmp / "cli", runs)
            load = concurrent(server, 20, each)
    print(f"pyframe serve on {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"\nA zip against the CLI's render (medians of {runs}; target: zip <= render + 150 ms)")
    print(f"{'template':<10}{'render':>10}{'zip':>10}{'over':>10}  target")
    for row in versus:
        verdict = "met" if row["met"] else "MISSED"
        print(
            f"{row['framework']:<10}{row['render_ms']:>8} ms{row['zip_ms']:>8} ms"
            f"{row['over_ms']:>+8} ms  {verdict}"
        )
    print(
        f"\n{load['clients']} concurrent generators, {load['requests']} zips in "
        f"{load['seconds']} s: {load['errors']} errors, p50 {load['p50_ms']} ms, "
        f"p99 {load['p99_ms']} ms, slowest {load['max_ms']} ms, {load['zips_per_s']} zips/s"
    )
    for failure in load["first_errors"]:
        print(f"  {failure}")
    if args.json:
        args.json.write_text(json.dumps({"zip_vs_render": versus, "concurrent": load}, indent=2))


if __name__ == "__main__":
    main()
