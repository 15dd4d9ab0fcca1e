"""The command line, driven as a person or a script drives it.

Most tests call ``main(argv)`` in-process (fast, and it is exactly what the console script runs);
the ones about terminals, signals and start-up run the real ``pyframe`` executable.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from scaffold import __version__
from scaffold.cli import main

PYFRAME = [sys.executable, "-m", "scaffold"]


@pytest.fixture
def cli(capsys, tmp_path, monkeypatch):
    """Run ``pyframe ARGS`` in tmp_path; returns (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def answers(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def assert_one_line_error(code: int, err: str, fragment: str) -> None:
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("pyframe: error: "), err
    assert fragment in err
    assert "Traceback" not in err


# ------------------------------------------------------------------------------ top level


def test_version(cli):
    code, out, _ = cli("--version")
    assert (code, out) == (0, f"pyframe {__version__}\n")


def test_help_lists_the_commands(cli):
    code, out, _ = cli("--help")
    assert code == 0
    for command in ("new", "recommend", "templates", "smoke"):
        assert command in out


def test_unknown_command_and_option_are_one_line(cli):
    assert_one_line_error(*cli("bogus")[::2], "No such command")
    assert_one_line_error(*cli("new", "demo", "--bogus")[::2], "No such option: --bogus")


# ------------------------------------------------------------------------------------ new


@pytest.mark.parametrize("framework", ["django", "fastapi", "flask"])
def test_new_with_framework_renders_and_prints_next_steps(cli, tmp_path, framework):
    code, out, err = cli("new", "my-service", "--framework", framework, "--defaults")
    assert code == 0, err
    project = tmp_path / "my-service"
    recorded = answers(project)
    assert recorded["project_name"] == "my-service"
    assert recorded["package_name"] == "my_service"
    assert (project / "my_service").is_dir()
    assert out.rstrip().endswith("Next:\n  cd my-service\n  make install\n  make run")


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--kind", "cms", "--need", "admin"], "django"),
        (["--kind", "ml-serving", "--need", "async"], "fastapi"),
        (["--kind", "prototype", "--team", "flask"], "flask"),
    ],
)
def test_new_without_framework_renders_the_recommendation(cli, tmp_path, flags, expected):
    code, out, err = cli("new", "svc", *flags, "--defaults")
    assert code == 0, err
    assert out.startswith(f"{expected} fits best")
    assert answers(tmp_path / "svc")["_src_path"].endswith(expected)


def test_needs_change_the_templates_defaults(cli, tmp_path):
    code, _, err = cli(
        "new",
        "svc",
        "--framework",
        "fastapi",
        "--need",
        "websockets",
        "--need",
        "background-jobs",
        "--defaults",
    )
    assert code == 0, err
    recorded = answers(tmp_path / "svc")
    assert recorded["websockets"] is True
    assert recorded["background_jobs"] == "celery"


def test_data_and_answers_file(cli, tmp_path):
    answers_file = tmp_path / "answers.yml"
    answers_file.write_text("database: postgresql\nci: gitlab\n_commit: ignored\n")
    code, _, err = cli(
        "new",
        "svc",
        "--framework",
        "flask",
        "--answers-file",
        str(answers_file),
        "--data",
        "ci=none",
        "-d",
        "flavour=api",
        "-y",
    )
    assert code == 0, err
    recorded = answers(tmp_path / "svc")
    assert (recorded["database"], recorded["ci"], recorded["flavour"]) == (
        "postgresql",
        "none",
        "api",
    )
    assert not (tmp_path / "svc" / ".gitlab-ci.yml").exists()


def test_output_chooses_the_folder(cli, tmp_path):
    code, out, _ = cli("new", "svc", "--framework", "flask", "-y", "--output", "deep/place")
    assert code == 0
    assert answers(tmp_path / "deep" / "place")["project_name"] == "svc"
    assert "cd deep/place" in out


def test_paths_are_printed_as_they_are(cli, tmp_path):
    code, out, _ = cli("new", "svc", "--framework", "flask", "-y", "--output", "a[b]")
    assert code == 0
    assert out.startswith(f"Created {tmp_path / 'a[b]'} (")
    assert "  cd a[b]\n" in out


def test_new_with_a_framework_does_not_load_rich(tmp_path):
    """What ``new --framework F`` prints is plain text, so it need not pay for importing rich."""
    code = (
        "import sys; from scaffold.cli import main; "
        "code = main(['new', 'svc', '--framework', 'flask', '-y']); "
        "print(code, 'rich' in sys.modules, file=sys.stderr)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert run.stderr.strip().splitlines()[-1] == "0 False"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["class"], "Python keyword"),
        (["email"], "standard library"),
        (["django"], "shadow a library"),
        (["9lives"], "start with a digit"),
        (["../up"], "not a path"),
        (["svc", "--framework", "rails"], "unknown --framework 'rails'"),
        (["svc", "--kind", "blog"], "unknown --kind 'blog': choose one of api, web-app"),
        (["svc", "--need", "speed"], "unknown --need 'speed'"),
        (["svc", "--team", "rails"], "unknown --team 'rails'"),
        (["svc", "--framework", "flask", "--data", "nope"], "--data expects KEY=VALUE"),
        (["svc", "--framework", "flask", "--data", "databse=x"], "no question 'databse'"),
        (["svc", "--framework", "flask", "--data", "package_name=Bad"], "lowercase"),
        (["svc", "--framework", "flask", "--answers-file", "missing.yml"], "does not exist"),
        (["svc", "--framework", "flask", "--template", "."], "exclude each other"),
        (["svc", "--template", "no/such/dir"], "unknown template 'no/such/dir'"),
        (["svc", "--framework", "flask", "--data", "database=oracle"], "database"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(cli, tmp_path, args, fragment):
    code, _, err = cli("new", *args, "--defaults")
    assert_one_line_error(code, err, fragment)
    assert [p.name for p in tmp_path.iterdir()] == []


def test_dry_run_prints_tree_and_answers_and_writes_nothing(cli, tmp_path):
    code, out, err = cli("new", "svc", "--framework", "fastapi", "--dry-run", "-y")
    assert code == 0, err
    assert "dry run: nothing written" in out
    assert "pyproject.toml" in out and "Dockerfile" in out
    assert "project_name: 'svc'" in out
    assert list(tmp_path.iterdir()) == []


def test_non_empty_folder_is_refused_then_force_keeps_files(cli, tmp_path):
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "README.md").write_text("mine\n")
    code, _, err = cli("new", "svc", "--framework", "flask", "-y")
    assert_one_line_error(code, err, "is not empty")
    assert [p.name for p in (tmp_path / "svc").iterdir()] == ["README.md"]
    code, out, err = cli("new", "svc", "--framework", "flask", "-y", "--force")
    assert code == 0, err
    assert (tmp_path / "svc" / "README.md").read_text() == "mine\n"
    assert (tmp_path / "svc" / "README.md.pyframe-new").exists()
    assert "kept your README.md" in out


def test_external_template_needs_trust_for_tasks(cli, tmp_path, make_template):
    template = make_template(
        {
            "copier.yml": "project_name:\n  type: str\n_tasks:\n  - touch task-ran\n",
            "README.md.jinja": "{{ project_name }}\n",
        }
    )
    code, _, err = cli("new", "svc", "--template", str(template), "-y")
    assert_one_line_error(code, err, "pass --trust if you trust it")
    assert not (tmp_path / "svc").exists()
    code, _, err = cli("new", "svc", "--template", str(template), "-y", "--trust")
    assert code == 0, err
    assert (tmp_path / "svc" / "task-ran").exists()
    assert (tmp_path / "svc" / "README.md").read_text() == "svc\n"


def test_a_bug_is_exit_3_with_a_log_not_a_traceback(cli, monkeypatch):
    import scaffold.core

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(scaffold.core, "render", boom)
    code, _, err = cli("new", "svc", "--framework", "flask", "-y")
    assert code == 3
    assert "internal error: RuntimeError: kaboom" in err and "Traceback" not in err
    log = Path(err.rsplit("details are in ", 1)[1].split(")")[0])
    text = log.read_text()
    log.unlink()
    assert "kaboom" in text
    assert "command: pyframe new svc --framework flask -y" in text
    assert f"pyframe: {__version__}" in text and "copier: 9." in text
    assert f"python: {sys.version.split()[0]}" in text


# ------------------------------------------------------------------------------ recommend


def test_recommend_json_has_the_documented_shape(cli):
    code, out, _ = cli(
        "recommend", "--kind", "api", "--need", "async", "--scale", "large", "--json"
    )
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"framework", "runner_up", "scores", "reasons", "inputs"}
    assert result["framework"] == "fastapi"
    assert set(result["scores"]) == {"django", "fastapi", "flask"}
    assert result["inputs"]["kind"] == "api" and result["inputs"]["needs"] == ["async"]
    assert all(set(r) == {"framework", "weight", "because"} for r in result["reasons"])


def test_recommend_table_names_winner_and_runner_up(cli):
    code, out, _ = cli("recommend", "--kind", "cms", "--need", "admin")
    assert code == 0
    assert "Recommended: django" in out and "runner-up:" in out
    assert "what moved the score" in out


def test_recommend_rejects_unknown_words(cli):
    code, _, err = cli("recommend", "--scale", "huge")
    assert_one_line_error(code, err, "unknown --scale 'huge': choose one of small, medium, large")


# ------------------------------------------------------------------------------ templates


def test_templates_lists_builtins_with_versions_and_questions(cli):
    code, out, _ = cli("templates", "--json")
    assert code == 0
    listed = {t["name"]: t for t in json.loads(out)}
    assert set(listed) == {"django", "fastapi", "flask"}
    assert listed["flask"]["version"] == __version__
    assert "flavour" in listed["flask"]["questions"]
    code, out, _ = cli("templates")
    assert code == 0 and "fastapi" in out and "built-in" in out


# -------------------------------------------------------------------- real processes


def test_no_terminal_means_no_prompt(tmp_path):
    """Without --defaults and with stdin not a terminal, pyframe must finish, not hang."""
    run = subprocess.run(
        [*PYFRAME, "new", "svc", "--framework", "flask"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "svc" / ".copier-answers.yml").exists()


def _interrupt_when(process: subprocess.Popen[str], ready: Callable[[], bool]) -> str:
    deadline = time.monotonic() + 60
    while not ready() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready(), "the command never reached the point to interrupt"
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    _, err = process.communicate(timeout=90)
    assert process.returncode == 130, err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err


def test_ctrl_c_during_render_leaves_nothing(tmp_path, make_template):
    slow = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    template = make_template({"copier.yml": "project_name:\n  type: str\n", "big.txt.jinja": slow})
    work = tmp_path / "work"
    work.mkdir()
    process = subprocess.Popen(
        [*PYFRAME, "new", "svc", "--template", str(template), "-y", "-o", "deep/er/svc"],
        cwd=work,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    err = _interrupt_when(process, lambda: bool(list(work.glob("deep/er/.svc.*.pyframe-tmp"))))
    assert "nothing was written" in err
    assert list(work.iterdir()) == []  # the scratch folder and the parents it made are gone


def test_ctrl_c_during_tasks_says_the_files_are_complete(tmp_path, make_template):
    template = make_template(
        {
            "copier.yml": "project_name:\n  type: str\n_tasks:\n  - touch started && sleep 30\n",
            "README.md.jinja": "{{ project_name }}\n",
        }
    )
    work = tmp_path / "work"
    work.mkdir()
    process = subprocess.Popen(
        [*PYFRAME, "new", "svc", "--template", str(template), "-y", "--trust"],
        cwd=work,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    err = _interrupt_when(process, (work / "svc" / "started").exists)
    assert f"the project's files are complete in {work / 'svc'}" in err
    assert (work / "svc" / "README.md").read_text() == "svc\n"
    assert [p.name for p in work.iterdir()] == ["svc"]


def test_ctrl_c_while_the_cli_still_imports_is_one_line(tmp_path):
    slow = tmp_path / "slow" / "typer"
    slow.mkdir(parents=True)
    (slow / "__init__.py").write_text(
        "import pathlib, time\npathlib.Path('importing').touch()\ntime.sleep(60)\n"
    )
    process = subprocess.Popen(
        [*PYFRAME, "--help"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "slow")},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    err = _interrupt_when(process, (tmp_path / "importing").exists)
    assert err == "pyframe: interrupted; nothing was changed\n"


def test_importing_the_cli_loads_no_heavy_library():
    code = (
        "import sys, scaffold.cli; "
        "print(sorted(m for m in ('copier', 'questionary', 'jinja2', 'rich', 'yaml') "
        "if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_interactive_recommend_in_a_terminal(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "scaffold", "recommend"],
        cwd=str(tmp_path),
        timeout=30,
        env={**os.environ, "COLUMNS": "160", "TERM": "xterm"},
        encoding="utf-8",
    )
    child.expect("What are you building")
    child.send("\x1b[B\x1b[B\r")  # down, down: the third kind (cms)
    child.expect("What does it need")
    child.send(" \r")  # the first need (admin)
    child.expect("What does your team know")
    child.send("\r")
    child.expect("How large")
    child.send("\r")
    child.expect(r"Recommended: \S*django")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_vcs_ref_renders_that_version_of_a_git_template(cli, tmp_path, make_template):
    template = make_template(
        {
            "copier.yml": "project_name:\n  type: str\n",
            "VERSION.jinja": "one {{ project_name }}\n",
            "{{_copier_conf.answers_file}}.jinja": "{{ _copier_answers|to_nice_yaml -}}\n",
        }
    )
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(template)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    subprocess.run([*git, "tag", "v1"], check=True)
    (template / "VERSION.jinja").write_text("two {{ project_name }}\n")
    subprocess.run([*git, "commit", "-qam", "two"], check=True)
    subprocess.run([*git, "tag", "v2"], check=True)
    code, _, err = cli("new", "old", "--template", str(template), "--vcs-ref", "v1", "-y")
    assert code == 0, err
    assert (tmp_path / "old" / "VERSION").read_text() == "one old\n"
    assert answers(tmp_path / "old")["_commit"] == "v1"
    code, _, err = cli("new", "new", "--template", str(template), "-y")
    assert code == 0, err
    assert (tmp_path / "new" / "VERSION").read_text() == "two new\n"


def test_scale_is_weighed_by_new(cli):
    code, out, _ = cli("new", "svc", "--kind", "api", "--scale", "small", "--dry-run", "-y")
    assert code == 0
    small = out.splitlines()[0]
    code, out, _ = cli("new", "svc", "--kind", "api", "--scale", "large", "--dry-run", "-y")
    assert code == 0
    assert out.splitlines()[0] != small


def test_errors_name_inputs_as_flags_only_in_the_cli(cli, tmp_path):
    from scaffold.errors import PyframeError
    from scaffold.render import render
    from scaffold.templates import resolve

    template = tmp_path / "t"
    template.mkdir()
    (template / "copier.yml").write_text("_tasks:\n  - touch x\nproject_name:\n  type: str\n")
    with pytest.raises(PyframeError) as refused:
        render(resolve(str(template)), tmp_path / "out", data={"project_name": "x"})
    assert refused.value.field == "trust"
    assert "--" not in refused.value.message  # what a web front end shows
    assert "read it, then pass trust if you trust it" in refused.value.message
    words = {"trust": "the server's trust setting"}
    assert "then pass the server's trust setting if" in refused.value.text(words)
    code, _, err = cli("new", "svc", "--template", str(template), "-y")
    assert code == 2 and "read it, then pass --trust if you trust it" in err


def test_new_says_what_the_team_would_have_to_learn_and_counts_points_right(cli):
    code, out, _ = cli(
        "new", "svc", "--kind", "microservice", "--need", "high-concurrency", "--team", "flask",
        "--scale", "small", "--dry-run",
    )  # fmt: skip
    assert code == 0
    summary = out.split("(dry run")[0]
    assert summary.startswith("fastapi fits best (7 points; flask 7 points):")
    assert "the team knows flask, but fastapi fits the project better" in " ".join(summary.split())
    from scaffold.display import _points

    assert [_points(n) for n in (1, -1, 0, 2)] == ["1 point", "-1 point", "0 points", "2 points"]


@pytest.mark.parametrize("command", ["new", "recommend", "update", "add", "smoke", "templates"])
def test_help_shows_words_and_metavars_not_python_types(cli, command):
    code, out, _ = cli(command, "--help")
    assert code == 0
    assert not re.search(r"<(str|int|path|list\[str\]|bool)>|list\[", out), out


def test_help_lists_the_matrixs_words():
    from scaffold import cli as module
    from scaffold.matrix import load_matrix

    vocabulary = load_matrix().vocabulary
    for dimension, words in (
        ("kind", module.KINDS),
        ("need", module.NEEDS),
        ("team", module.TEAMS),
        ("scale", module.SCALES),
    ):
        assert words.split(", ") == list(vocabulary[dimension]), dimension
