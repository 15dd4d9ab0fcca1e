"""Every pairwise variant of every built-in template: render, install, lint, migrate, test, boot.

This is ``pyframe smoke --all --matrix pairwise`` run from the test suite, one test per template
so pytest-xdist spreads them over the cores. PostgreSQL, MariaDB and Redis variants use the real
servers; without them those variants are skipped with the reason, unless
PYFRAME_REQUIRE_SERVICES=1 (CI), where a missing server is a failure.
"""

from __future__ import annotations

import os

import pytest

from scaffold.smoketest import Options, Services, plan, smoke, summary_line
from scaffold.templates import BUILTIN, resolve

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", BUILTIN)
def test_every_pairwise_variant_builds_tests_and_boots(name):
    required = os.environ.get("PYFRAME_REQUIRE_SERVICES") == "1"
    variants = plan(resolve(name), "pairwise").variants
    report = smoke(variants, Options(jobs=1, services=Services.from_urls(), require_services=required))
    problems = [
        f"{r.variant.id} [{r.variant.describe()}] failed at {s.name}: {s.message}\n"
        + (s.log.read_text(errors="replace")[-3000:] if s.log and s.log.exists() else "")
        for r in report.results
        for s in r.steps
        if s.status == "fail"
    ]
    assert not problems, "\n\n".join(problems)
    ran = [r for r in report.results if r.status == "pass"]
    if not ran:
        pytest.skip("; ".join(sorted({r.skipped for r in report.results})))
    assert summary_line(report).startswith(f"{len(ran)} passed, 0 failed")
