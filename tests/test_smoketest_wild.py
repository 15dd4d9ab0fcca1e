"""``pyframe smoke`` on templates nobody here wrote: trust, versions, every question type,
validators, crashes that stay in one variant, and fanning out over CI jobs."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from scaffold.cli import main
from scaffold.smoketest import covered_pairs, plan, possible_pairs, select
from scaffold.templates import checkout, resolve

from . import wild

#: Every step is plain shell; ``serve`` answers /health from a file.
MAKEFILE = """\
install:
\ttouch installed
test:
\ttest -f installed
serve:
\tprintf ok > health && exec python3 -m http.server --bind $$HOST $$PORT
"""


@pytest.fixture(autouse=True)
def _private_tempdir(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def cli(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def typed(root: Path, extra_settings: str = "") -> Path:
    """A template with a question of every type, a required string and a multiselect."""
    return wild.write(
        root,
        {
            "copier.yml": extra_settings
            + """
            project_name:
              type: str
            owner:
              type: str
            replicas:
              type: int
              default: 1
            ratio:
              type: float
              default: 0.5
            debug:
              type: bool
              default: false
            labels:
              type: yaml
              default: {}
            tier:
              type: str
              choices:
                Free: {value: free}
                Paid:
                  value: paid
                  validator: "{% if replicas < 2 %}paid needs 2 replicas{% endif %}"
              default: free
            extras:
              type: str
              multiselect: true
              choices: [metrics, tracing, admin]
              default: []
            """,
            "Makefile": MAKEFILE,
            "answers.txt.jinja": (
                "{{ owner }} {{ replicas + 1 }} {{ ratio * 2 }} {{ debug }} {{ labels }} "
                "{{ tier }} {{ extras | join('+') }}\n"
            ),
        },
    )


# ------------------------------------------------------------------------------------ planning


def test_multiselect_options_are_each_covered_on_and_off():
    template = resolve(str(typed(Path("t"))))
    planned = plan(template, "pairwise", {"owner": "ann", "replicas": "2"})
    seen = {
        (option, option in variant.answers["extras"])
        for variant in planned.variants
        for option in ("metrics", "tracing", "admin")
    }
    assert seen == {(o, on) for o in ("metrics", "tracing", "admin") for on in (True, False)}
    assert covered_pairs(planned.variants) == possible_pairs(
        template, {"owner": "ann", "replicas": "2"}
    )


def test_a_combination_the_template_refuses_is_excluded_with_its_message():
    template = resolve(str(wild.validated(Path("v"))))
    planned = plan(template, "full")
    assert planned.excluded, "tortoise without async must be refused"
    for refused in planned.excluded:
        assert refused.message in (
            "orm=tortoise: Tortoise needs async",
            "redis cache needs async",
        )
    for variant in planned.variants:
        answers = variant.answers
        assert answers["async"] or (answers["orm"], answers["cache"]) == ("sqlalchemy", "none")
    assert len(planned.variants) + len(planned.excluded) == 2 * 2 * 2


def test_pairwise_covers_every_pair_the_template_accepts():
    template = resolve(str(wild.validated(Path("v"))))
    planned = plan(template, "pairwise")
    assert covered_pairs(planned.variants) == possible_pairs(template)


def test_a_required_question_must_be_pinned(cli):
    code, _, err = cli("smoke", str(typed(Path("t"))), "--list")
    assert code == 2 and err.count("\n") == 1
    assert "question 'owner' has no default" in err and "--data owner=VALUE" in err


@pytest.mark.parametrize("total", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("source", ["django", "fastapi", "flask", "validated", "typed"])
def test_shards_are_disjoint_and_together_the_whole_plan(source, total):
    if source == "validated":
        template = resolve(str(wild.validated(Path("v"))))
        planned = plan(template, "full").variants
    elif source == "typed":
        planned = plan(resolve(str(typed(Path("t")))), "pairwise", {"owner": "a"}).variants
    else:
        planned = plan(resolve(source), "pairwise").variants
    shards = [select(planned, shard=(index, total)) for index in range(1, total + 1)]
    ids = [v.id for shard in shards for v in shard]
    assert len(ids) == len(set(ids))  # disjoint
    assert sorted(ids) == sorted(v.id for v in planned)  # the whole plan


def test_list_json_is_a_ci_matrix_and_shows_the_slice(cli):
    code, out, _ = cli("smoke", "flask", "--list", "--json")
    assert code == 0
    whole = [row["variant"] for row in json.loads(out)["include"]]
    code, out, _ = cli("smoke", "flask", "--list", "--json", "--shard", "2/3")
    assert [row["variant"] for row in json.loads(out)["include"]] == whole[1::3]
    code, _, err = cli("smoke", "flask", "--list", "--variant", "flask-99")
    assert code == 2 and "no variant flask-99" in err
    code, _, err = cli("smoke", "flask", "--list", "--shard", "4/3")
    assert code == 2 and "--shard expects I/N" in err


# ------------------------------------------------------------------------------------ trust


def test_smoke_runs_tasks_only_with_trust(cli):
    template = wild.write(
        Path("tasks"),
        {
            "copier.yml": "_tasks:\n  - touch task-ran\nproject_name:\n  type: str\n",
            "Makefile": MAKEFILE.replace(
                "\ttouch installed", "\ttest -f task-ran && touch installed"
            ),
        },
    )
    code, _, err = cli("smoke", str(template), "--matrix", "defaults")
    assert code == 2 and err.count("\n") == 1
    assert "runs tasks, migrations or Jinja extensions" in err and "--trust" in err
    code, out, err = cli("smoke", str(template), "--matrix", "defaults", "--trust", "--jobs", "1")
    assert code == 0, out + err
    assert out.endswith("1 passed, 0 failed\n")


# ------------------------------------------------------------------------------------ running


def test_pinned_answers_of_every_type_reach_the_project(cli):
    template = typed(Path("t"))
    code, out, err = cli(
        "smoke", str(template), "--matrix", "defaults", "--keep", "--jobs", "1",
        "--data", "owner=ann", "--data", "replicas=3", "--data", "ratio=1.5",
        "--data", "debug=yes", "--data", "labels={team: core}", "--data", "tier=paid",
        "--data", "extras=tracing,metrics",
    )  # fmt: skip
    assert code == 0, out + err
    kept = Path(err.split("kept t-01: ", 1)[1].split()[0])
    assert (kept / "answers.txt").read_text() == (
        "ann 4 3.0 True {'team': 'core'} paid metrics+tracing\n"
    )


def test_a_version_is_planned_and_rendered_from_the_same_ref(cli):
    repo = wild.fullstack(Path("fullstack"))
    for ref, database in (("v1.0.0", False), ("v2.0.0", True), (None, True)):
        with tempfile.TemporaryDirectory() as into:
            found = checkout(resolve(str(repo)), Path(into), ref)
            names = {q.name for q in found.questions}
            assert ("database" in names) == database
            rendered = Path(found.source, "template", "README.md.jinja").read_text()
            assert ("database" in rendered) == database
    code, out, _ = cli("smoke", str(repo), "--vcs-ref", "v1.0.0", "--list", "--trust")
    assert code == 0 and "database" not in out and "frontend=react" in out


def test_a_crash_in_one_variant_fails_only_that_variant(cli, monkeypatch):
    from scaffold.smoketest import run

    real = run._Runner._render

    def crash_on_vue(self, variant, project):
        if variant.answers.get("frontend") == "vue":
            raise RuntimeError("a bug in pyframe")
        return real(self, variant, project)

    monkeypatch.setattr(run._Runner, "_render", crash_on_vue)
    template = wild.write(
        Path("two"),
        {
            "copier.yml": "project_name:\n  type: str\nfrontend:\n  type: str\n"
            "  choices: [react, vue]\n  default: react\n",
            "Makefile": MAKEFILE,
        },
    )
    code, out, _ = cli("smoke", str(template), "--jobs", "1", "--junit", "report.xml", "--json")
    assert code == 1
    report = json.loads(out)
    statuses = {v["answers"]["frontend"]: v for v in report["variants"]}
    assert statuses["react"]["status"] == "pass"
    crashed = statuses["vue"]
    assert crashed["status"] == "fail"
    [step] = crashed["steps"]
    assert step["message"] == "pyframe crashed: RuntimeError: a bug in pyframe"
    assert "RuntimeError: a bug in pyframe" in Path(step["log"]).read_text()
    assert report["summary"]["line"] == "1 passed, 1 failed"
    suites = ET.parse("report.xml").getroot()
    assert len(suites.findall(".//failure")) == 1


def test_incomplete_variants_fail_unless_allowed_in_every_format(cli):
    template = wild.write(
        Path("lib"),
        {"copier.yml": "project_name:\n  type: str\n", "Makefile": "install:\n\ttrue\n"},
    )
    code, out, _ = cli("smoke", str(template), "--jobs", "1", "--junit", "r.xml")
    assert code == 1
    assert "INCOMPLETE" in out and "incomplete: no make test" in out
    assert out.endswith("0 passed, 1 failed\n")
    failure = ET.parse("r.xml").getroot().find(".//testcase[failure]")
    assert failure.get("name").startswith("complete")
    assert failure.find("failure").get("message") == "incomplete: no make test"
    code, out, _ = cli("smoke", str(template), "--jobs", "1", "--allow-incomplete", "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["variants"][0]["status"] == "incomplete"
    assert summary["summary"]["line"] == "1 passed, 0 failed"


def test_excluded_combinations_are_listed_not_run(cli):
    template = wild.write(
        Path("guarded"),
        {
            "copier.yml": (
                "project_name:\n  type: str\n"
                "mode:\n  type: str\n  choices: [a, b]\n  default: a\n"
                "fast:\n  type: bool\n  default: true\n"
                "  validator: \"{% if mode == 'b' and fast %}b cannot be fast{% endif %}\"\n"
            ),
            "Makefile": MAKEFILE,
        },
    )
    code, out, _ = cli("smoke", str(template), "--matrix", "full", "--jobs", "1", "--json",
                       "--junit", "g.xml")  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert len(report["variants"]) == 3
    assert report["excluded"] == [
        {"template": "guarded", "answers": {"mode": "b", "fast": True},
         "message": "b cannot be fast"}
    ]  # fmt: skip
    skipped = ET.parse("g.xml").getroot().findall(".//testcase/skipped")
    assert "excluded by the template: b cannot be fast" in [s.get("message") for s in skipped]


def test_junit_files_of_shards_join_into_one(cli):
    template = wild.write(
        Path("two"),
        {
            "copier.yml": "project_name:\n  type: str\nfrontend:\n  type: str\n"
            "  choices: [react, vue]\n  default: react\n",
            "Makefile": MAKEFILE,
        },
    )
    for index in (1, 2):
        code, _, _ = cli("smoke", str(template), "--shard", f"{index}/2", "--jobs", "1",
                         "--junit", f"shard{index}.xml")  # fmt: skip
        assert code == 0
    code, out, _ = cli("junit-merge", "all.xml", "shard1.xml", "shard2.xml")
    assert code == 0 and "0 failed test cases" in out
    [suite] = ET.parse("all.xml").getroot().findall("testsuite")
    names = {case.get("classname") for case in suite.findall("testcase")}
    assert names == {"two.two-01", "two.two-02"}
    assert int(suite.get("tests")) == len(suite.findall("testcase"))
