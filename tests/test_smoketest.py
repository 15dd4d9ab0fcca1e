from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from scaffold.errors import PyframeError
from scaffold.smoketest import (
    STEPS,
    Options,
    Services,
    covered_pairs,
    plan,
    possible_pairs,
    services_needed,
    smoke,
    summary_line,
    to_json,
    to_junit,
)
from scaffold.templates import resolve

QUESTIONS = (
    "_subdirectory: project\n"
    "project_name:\n  type: str\n"
    "database:\n  type: str\n  choices: [sqlite, postgresql, mysql]\n  default: sqlite\n"
    "flavour:\n  type: str\n  choices: [web, api]\n  default: web\n"
    "admin:\n  type: bool\n  default: false\n  when: \"{{ flavour == 'web' }}\"\n"
    "ci:\n  type: str\n  choices: [github, gitlab, none]\n  default: github\n"
    "docker:\n  type: bool\n  default: true\n"
)

#: A contract-following template that needs no Python packages: every step is plain shell, and
#: ``make serve`` is Python's own HTTP server answering /health from a file.
MAKEFILE = """\
install:
\ttouch installed
lint:
\ttest -f installed
migrate:
\techo "$${DATABASE_URL:-sqlite}" > migrated
test:
\ttest -f migrated
serve:
\tprintf ok > health && exec python3 -m http.server --bind $$HOST $$PORT
"""


@pytest.fixture(autouse=True)
def _private_tempdir(tmp_path, monkeypatch):
    """Smoke folders and kept logs go under the test's own folder."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))


def _template(make_template, makefile: str = MAKEFILE, extra: str = "") -> Path:
    return make_template(
        {
            "copier.yml": QUESTIONS + extra,
            "project/Makefile": makefile,
            "project/README.md.jinja": "{{ project_name }} {{ database }}\n",
        }
    )


# ---------------------------------------------------------------------------------------- plan


def test_pairwise_covers_every_possible_pair_and_respects_when(make_template):
    template = resolve(str(_template(make_template)))
    variants = plan(template, "pairwise").variants
    assert covered_pairs(variants) == possible_pairs(template)
    assert len(variants) < len(plan(template, "full").variants)
    for variant in variants:
        assert ("admin" in variant.answers) == (variant.answers["flavour"] == "web")


def test_full_is_the_product_with_hidden_questions_collapsed(make_template):
    template = resolve(str(_template(make_template)))
    variants = plan(template, "full").variants
    # 3 databases x 3 ci x 2 docker x (web x admin 2 + api 1)
    assert len(variants) == 3 * 3 * 2 * 3
    keys = {tuple(sorted(v.answers.items())) for v in variants}
    assert len(keys) == len(variants)


def test_defaults_is_one_variant(make_template):
    template = resolve(str(_template(make_template)))
    [variant] = plan(template, "defaults").variants
    assert variant.answers == {
        "database": "sqlite",
        "flavour": "web",
        "admin": False,
        "ci": "github",
        "docker": True,
    }


def test_pinned_answers_are_in_every_variant(make_template):
    template = resolve(str(_template(make_template)))
    variants = plan(template, "pairwise", {"database": "postgresql", "docker": "false"}).variants
    assert {v.answers["database"] for v in variants} == {"postgresql"}
    assert {v.answers["docker"] for v in variants} == {False}  # cast to the question's type
    flavours_ci = {(v.answers["flavour"], v.answers["ci"]) for v in variants}
    assert flavours_ci == set(itertools.product(["web", "api"], ["github", "gitlab", "none"]))


def test_pinning_an_unknown_question_is_refused(make_template):
    template = resolve(str(_template(make_template)))
    with pytest.raises(PyframeError, match="no question databse"):
        plan(template, "pairwise", {"databse": "x"})


@pytest.mark.parametrize("name", ["django", "fastapi", "flask"])
def test_builtin_templates_pairwise_covers_every_pair(name):
    template = resolve(name)
    variants = plan(template, "pairwise").variants
    assert covered_pairs(variants) == possible_pairs(template)


def test_services_are_read_from_answers():
    assert services_needed({"database": "postgresql"}) == ["postgresql"]
    assert services_needed({"database": "mysql", "cache": "redis"}) == ["mysql", "redis"]
    assert services_needed({"database": "sqlite", "background_jobs": "celery"}) == ["redis"]
    assert services_needed({"database": "sqlite"}) == []
    assert services_needed({"database": "sqlite", "websockets": True}) == ["redis"]
    assert services_needed({"database": "sqlite", "websockets": False}) == []


def test_database_urls_are_sorted_by_scheme(monkeypatch):
    monkeypatch.delenv("PYFRAME_POSTGRESQL_URL", raising=False)
    services = Services.from_urls(["mysql://u@db:3306/x", "postgres://p@pg/y"], "redis://r:1/0")
    assert services.mysql == "mysql://u@db:3306/x"
    assert services.postgresql == "postgres://p@pg/y"
    assert services.redis == "redis://r:1/0"
    with pytest.raises(PyframeError, match="expected postgresql"):
        Services.from_urls(["mongodb://x"])


# ----------------------------------------------------------------------------------------- run


def _options(**kwargs) -> Options:
    nowhere = "postgresql://nobody@127.0.0.1:9/none"
    services = Services(postgresql=nowhere, mysql="mysql://nobody@127.0.0.1:9/none", redis=None)
    return Options(jobs=2, services=kwargs.pop("services", services), **kwargs)


def test_a_contract_template_passes_every_step(make_template):
    template = resolve(str(_template(make_template)))
    report = smoke(plan(template, "defaults").variants, _options())
    [result] = report.results
    expected = [(s, "skip" if s == "lock" else "pass") for s in STEPS]  # no make check-lock
    assert [(s.name, s.status) for s in result.steps] == expected
    assert result.status == "pass"
    assert summary_line(report) == "1 passed, 0 failed"
    assert report.ok


def test_a_broken_template_fails_at_the_right_step_with_its_log(make_template, tmp_path):
    makefile = MAKEFILE.replace("\ttest -f installed", "\techo 'E999 lint exploded' && exit 3")
    template = resolve(str(_template(make_template, makefile)))
    report = smoke(plan(template, "defaults").variants, _options())
    [result] = report.results
    assert [(s.name, s.status) for s in result.steps] == [
        ("render", "pass"),
        ("install", "pass"),
        ("lock", "skip"),
        ("lint", "fail"),
    ]
    failed = result.steps[-1]
    assert failed.message == "'make lint' exited 2"
    assert "E999 lint exploded" in failed.log.read_text()
    assert report.logs is not None and failed.log.parent == report.logs
    assert summary_line(report) == "0 passed, 1 failed"
    assert not report.ok


def test_migrate_also_checks_the_migrations_where_the_project_can(make_template):
    makefile = MAKEFILE + "check-migrations:\n\techo 'models changed' && false\n"
    template = resolve(str(_template(make_template, makefile)))
    report = smoke(plan(template, "defaults").variants, _options())
    failed = report.results[0].steps[-1]
    assert (failed.name, failed.status) == ("migrate", "fail")
    assert "check-migrations" in failed.message
    assert "models changed" in failed.log.read_text()


def test_a_variant_whose_tests_cannot_run_is_incomplete_not_passed(make_template):
    makefile = "install:\n\ttrue\n" + MAKEFILE[MAKEFILE.index("serve:") :]
    template = resolve(str(_template(make_template, makefile)))
    variants = plan(template, "defaults").variants
    report = smoke(variants, _options())
    [result] = report.results
    steps = {s.name: s for s in result.steps}
    assert steps["install"].status == "pass" and steps["boot"].status == "pass"
    assert steps["test"].status == "skip" and steps["test"].message == "no make test"
    assert result.status == "incomplete"
    assert summary_line(report) == "0 passed, 1 failed"
    assert not report.ok
    allowed = smoke(variants, _options(allow_incomplete=True))
    assert allowed.results[0].status == "incomplete"
    assert summary_line(allowed) == "1 passed, 0 failed" and allowed.ok
    assert to_json(allowed)["variants"][0]["status"] == "incomplete"


def test_a_library_without_a_server_passes_without_booting(make_template):
    makefile = "install:\n\ttrue\ntest:\n\ttrue\n"
    template = resolve(str(_template(make_template, makefile)))
    report = smoke(plan(template, "defaults").variants, _options())
    [result] = report.results
    assert {s.name: s.status for s in result.steps}["boot"] == "skip"
    assert result.status == "pass" and report.ok


def test_declared_steps_replace_make_and_keep_keeps(make_template):
    extra = "_pyframe:\n  smoke:\n    test: echo declared > declared-ran\n"
    template = resolve(str(_template(make_template, extra=extra)))
    report = smoke(plan(template, "defaults").variants, _options(keep=True))
    assert report.ok
    project = report.results[0].project
    assert (project / "declared-ran").read_text() == "declared\n"
    assert (project / "installed").exists()


def test_missing_service_skips_or_fails_when_required(make_template):
    template = resolve(str(_template(make_template)))
    variants = plan(template, "pairwise", {"database": "postgresql"}).variants[:1]
    skipped = smoke(variants, _options())
    assert skipped.results[0].status == "skip"
    assert "postgresql is not reachable at postgresql://nobody@127.0.0.1:9/none" in (
        skipped.results[0].skipped
    )
    assert summary_line(skipped) == "0 passed, 0 failed, 1 skipped"
    required = smoke(variants, _options(require_services=True))
    assert required.results[0].status == "fail"
    assert not required.ok


def test_reports_are_valid_and_stable(make_template):
    makefile = MAKEFILE.replace("\ttest -f migrated", "\tfalse")
    template = resolve(str(_template(make_template, makefile)))
    variants = plan(template, "pairwise", {"database": "sqlite"}).variants[:2]
    report = smoke(variants, _options())
    root = ET.fromstring(to_junit(report))
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(variants) * len(STEPS)  # failed variants have no "complete" case
    assert int(suite.get("tests")) == len(cases)
    assert int(suite.get("failures")) == len(variants)
    assert len(suite.findall("testcase/failure")) == len(variants)
    skipped = {
        case.get("name").split()[0]: case.find("skipped").get("message")
        for case in cases[: len(STEPS)]
        if case.find("skipped") is not None
    }
    assert skipped == {
        "lock": "no make check-lock",
        "boot": "not run: an earlier step failed",
    }
    summary = to_json(report)
    assert json.loads(json.dumps(summary)) == summary
    assert set(summary) == {"schema", "summary", "logs", "variants", "excluded"}
    assert summary["summary"]["line"] == summary_line(report) == "0 passed, 2 failed"
    step = summary["variants"][0]["steps"][-1]
    assert step["name"] == "test" and step["status"] == "fail" and step["log"]


# -------------------------------------------------------------------------------------- ctrl-c


def test_ctrl_c_stops_servers_and_removes_temp_folders(make_template, tmp_path):
    marker = tmp_path / "server.pid"
    makefile = MAKEFILE.replace(
        "\tprintf ok > health && exec python3 -m http.server --bind $$HOST $$PORT",
        f"\techo $$$$ > {marker} && exec sleep 300",
    )
    template = _template(make_template, makefile)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    process = subprocess.Popen(
        [sys.executable, "-m", "scaffold", "smoke", str(template), "--matrix", "defaults"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists(), "the server step never started"
    time.sleep(0.3)
    server = int(marker.read_text())
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert not _running(server)
    assert list(scratch.iterdir()) == []


def _running(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (dead, waiting for init to reap it) does not count."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def test_a_git_template_is_planned_from_its_own_questions(make_template, tmp_path):
    template = _template(make_template)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(template)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], check=True)
    listed = subprocess.run(
        [sys.executable, "-m", "scaffold", "smoke", f"file://{template}", "--list"],
        capture_output=True,
        text=True,
    )
    assert listed.returncode == 0, listed.stderr
    lines = [line for line in listed.stdout.splitlines() if line.startswith(f"  {template.name}-")]
    assert len(lines) == len(plan(resolve(str(template)), "pairwise").variants) > 1
    assert "flavour=" in lines[0]


def test_an_unreachable_git_template_is_one_line(tmp_path):
    missing = subprocess.run(
        [sys.executable, "-m", "scaffold", "smoke", f"file://{tmp_path}/nothing.git", "--list"],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2
    assert missing.stderr.startswith("pyframe: error: cannot fetch template")
    assert missing.stderr.count("\n") == 1
