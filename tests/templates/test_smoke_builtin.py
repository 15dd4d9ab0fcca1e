"""Every pairwise variant of every built-in template: render, install, lint, migrate, test, boot.

This is ``pyframe smoke --all --matrix pairwise`` run from the test suite, one variant per
test (``--shard I/N``, as CI systems fan it out) so that pytest-xdist keeps every core busy
until the end. PostgreSQL, MariaDB and Redis variants use the real servers; without them those
variants are skipped with the reason, unless PYFRAME_REQUIRE_SERVICES=1 (CI), where a missing
server is a failure.
"""

from __future__ import annotations

import functools
import os

import pytest

from scaffold.smoketest import Options, Services, plan, select, smoke, summary_line
from scaffold.templates import BUILTIN, resolve

pytestmark = pytest.mark.slow

@functools.cache
def _variants(name: str) -> tuple[object, ...]:
    """The template's pairwise plan, made once per test process (Django's takes seconds)."""
    return tuple(plan(resolve(name), "pairwise").variants)


def _shards() -> list[object]:
    """One variant per test: a variant is a minute or two, so pytest-xdist (which starts these
    first, see tests/conftest.py) keeps both cores busy to the end."""
    shards = []
    for name in BUILTIN:
        total = len(_variants(name))
        shards += [
            pytest.param(name, index, total, id=f"{name}-{index}of{total}")
            for index in range(1, total + 1)
        ]
    return shards


@pytest.mark.parametrize(("name", "index", "total"), _shards())
def test_every_pairwise_variant_builds_tests_and_boots(
    name, index, total, tmp_path_factory, monkeypatch
):
    required = os.environ.get("PYFRAME_REQUIRE_SERVICES") == "1"
    # The variants' tests run without coverage measurement, which costs a third of their time
    # and would take the suite past CI's 30 minutes. Coverage is not lost sight of: each
    # template's defaults run `make test` with its 90% threshold in test_generated.py, and a
    # user's `pyframe smoke` runs `make test` unchanged.
    monkeypatch.setenv("PYTEST_ADDOPTS", "--no-cov")
    variants = select(list(_variants(name)), shard=(index, total))
    # One mypy cache for every shard of the session (the xdist workers' temp folders share a
    # parent), as one `pyframe smoke --all` run shares it between its variants.
    cache = tmp_path_factory.getbasetemp().parent / "smoke-mypy-cache"
    options = Options(
        jobs=1, services=Services.from_urls(), require_services=required, mypy_cache=cache
    )
    report = smoke(variants, options)
    problems = [
        f"{r.variant.id} [{r.variant.describe()}] failed at {s.name}: {s.message}\n"
        + (s.log.read_text(errors="replace")[-3000:] if s.log and s.log.exists() else "")
        for r in report.results
        for s in r.steps
        if s.status == "fail"
    ]
    assert not problems, "\n\n".join(problems)
    incomplete = [r.variant.id for r in report.results if r.status == "incomplete"]
    assert not incomplete, f"built-in variants must run every step: {incomplete}"
    ran = [r for r in report.results if r.status == "pass"]
    if not ran:
        pytest.skip("; ".join(sorted({r.skipped for r in report.results})))
    assert summary_line(report).startswith(f"{len(ran)} passed, 0 failed")
