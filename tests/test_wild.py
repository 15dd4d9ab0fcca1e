"""pyframe on templates shaped like the public ones (``wild.py``): at least as safe as Copier.

Each test runs the command line in-process, as a person would type it, against a template
that has the feature that once broke pyframe: tasks that must see the real project, an answers
file in a subfolder, a repository whose HEAD is not its newest release, a package name with a
dash, symbolic links that lead out of the project.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scaffold.cli import main

from . import wild


@pytest.fixture
def cli(capsys, tmp_path, monkeypatch):
    """Run ``pyframe ARGS`` in tmp_path/work; returns (exit code, stdout, stderr)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 2, err
    assert err.startswith("pyframe: error: ") and err.count("\n") == 1, err
    for fragment in fragments:
        assert fragment in err


def tree(root: Path) -> dict[str, str]:
    """Every file and link under ``root`` with its content (or link target)."""
    found = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_file():
            found[key] = path.read_text(errors="replace")
    return found


def commit_all(project: Path) -> None:
    if not (project / ".git").exists():
        wild.git(project, "init", "-q")
    wild.git(project, "add", "-A")
    wild.git(project, "commit", "-q", "-m", "generated")


# ------------------------------------------------------------------ answers, like Copier's


def test_only_the_name_is_imposed_the_templates_package_rule_decides(cli, tmp_path):
    library = wild.library(tmp_path / "library")
    code, _, err = cli("new", "my-lib", "--template", str(library), "-y", "--trust",
                         "--data", "author=Ann")  # fmt: skip
    assert code == 0, err
    recorded = yaml.safe_load(Path("my-lib/.copier-answers.yml").read_text())
    assert recorded["package_name"] == "my-lib"  # the template's default, not my_lib
    code, _, err = cli("new", "other", "--template", str(library), "-y", "--trust",
                       "--data", "author=Ann", "--data", "package_name=other-lib")  # fmt: skip
    assert code == 0, err
    assert 'name = "other-lib"' in Path("other/pyproject.toml").read_text()
    code, _, err = cli("new", "third", "--template", str(library), "-y", "--trust",
                       "--data", "author=Ann", "--data", "package_name=Bad Name")  # fmt: skip
    one_line_error(code, err, "lowercase letters, digits")  # the template's own message
    assert not Path("third").exists()


def test_a_required_string_and_a_multiselect(cli, tmp_path):
    library = wild.library(tmp_path / "library")
    code, _, err = cli("new", "lib", "--template", str(library), "-y", "--trust")
    one_line_error(code, err, '"author" is required')
    code, _, err = cli("new", "lib", "--template", str(library), "-y", "--trust",
                       "--data", "author=Ann", "--data", "features=[cli, docs]")  # fmt: skip
    assert code == 0, err
    assert "# features: cli, docs" in Path("lib/pyproject.toml").read_text()
    assert yaml.safe_load(Path("lib/.copier-answers.yml").read_text())["features"] == [
        "cli",
        "docs",
    ]
    code, _, err = cli("new", "lib2", "--template", str(library), "-y", "--trust",
                       "--data", "author=Ann", "--data", "features=docs,cli")  # fmt: skip
    assert code == 0, err  # the comma form, in the choices' order
    assert "# features: cli, docs" in Path("lib2/pyproject.toml").read_text()


def test_jinja_extensions_need_trust(cli, tmp_path):
    library = wild.library(tmp_path / "library")
    code, _, err = cli("new", "lib", "--template", str(library), "-y", "--data", "author=A")
    one_line_error(code, err, "pass --trust if you trust it")
    assert list(Path().iterdir()) == []


def test_next_steps_are_what_the_project_offers(cli, tmp_path):
    library = wild.library(tmp_path / "library")
    code, out, _ = cli("new", "lib", "--template", str(library), "-y", "--trust",
                       "--data", "author=A")  # fmt: skip
    assert code == 0
    assert "make" not in out  # no Makefile: no make command suggested
    assert "Your library lib is ready: run `hatch test` in it." in out
    code, out, _ = cli("new", "web", "--template", str(wild.fullstack(tmp_path / "fs")),
                       "-y", "--trust")  # fmt: skip
    assert code == 0
    assert out.endswith("Next:\n  cd web\n  make install\n")


def test_a_choice_a_validator_forbids_is_one_line(cli, tmp_path):
    template = wild.validated(tmp_path / "validated")
    code, _, err = cli("new", "svc", "--template", str(template), "-y", "--data", "orm=tortoise")
    one_line_error(code, err, "Tortoise needs async")
    code, _, err = cli("new", "svc", "--template", str(template), "-y", "--data", "workers=0")
    one_line_error(code, err, "at least one worker")
    code, _, err = cli("new", "svc", "--template", str(template), "-y",
                       "--data", "orm=tortoise", "--data", "async=true")  # fmt: skip
    assert code == 0, err
    assert Path("svc/settings.txt").read_text() == "tortoise True 2 none\n"


# ------------------------------------------------------------------ git versions


def test_a_local_repository_renders_its_newest_tag_not_head(cli, tmp_path):
    repo = wild.fullstack(tmp_path / "fullstack")
    assert not (repo / "copier.yml").exists()  # HEAD moved it away; the tags have one
    code, _, err = cli("new", "web", "--template", str(repo), "-y", "--trust",
                       "--data", "database=sqlite")  # fmt: skip
    assert code == 0, err
    answers = yaml.safe_load(Path("web/.copier/.copier-answers.yml").read_text())
    assert answers["_commit"] == "v2.0.0" and answers["database"] == "sqlite"
    assert not Path("web/.copier-answers.yml").exists()
    assert not Path("web/notes.bak").exists()  # the template's own _exclude
    assert not Path("web/copier.yml").exists()  # and Copier's, which it replaced


def test_questions_and_data_are_read_at_the_requested_ref(cli, tmp_path):
    repo = wild.fullstack(tmp_path / "fullstack")
    code, _, err = cli("new", "old", "--template", str(repo), "--vcs-ref", "v1.0.0", "-y",
                       "--trust", "--data", "database=sqlite")  # fmt: skip
    one_line_error(code, err, "has no question 'database'")
    code, _, err = cli("new", "old", "--template", str(repo), "--vcs-ref", "v1.0.0", "-y",
                       "--trust")  # fmt: skip
    assert code == 0, err
    assert Path("old/README.md").read_text() == "# old (react)\n"
    code, _, err = cli("new", "x", "--template", str(repo), "--vcs-ref", "v9", "-y")
    one_line_error(code, err, "no version 'v9'")


# ------------------------------------------------------------------ tasks, like Copier's


def test_tasks_run_in_the_final_project(cli, tmp_path):
    repo = wild.fullstack(tmp_path / "fullstack")
    code, _, err = cli("new", "web", "--template", str(repo), "-y", "--trust")
    assert code == 0, err
    project = Path("web").absolute()
    assert (project / "where.txt").read_text() == str(project)
    assert (project / "operations.txt").read_text() == "copy\n"
    assert (project / "generated/client.py").read_text() == "CLIENT = 1\n"
    assert [p for p in project.parent.iterdir() if p.name != "web"] == []


def test_a_venv_made_by_a_task_works_and_edits_land_in_the_files(cli, tmp_path):
    code, _, err = cli("new", "tiny", "--template", str(wild.tiny_tasks(tmp_path / "t")), "-y",
                       "--trust")  # fmt: skip
    assert code == 0, err
    python = Path("tiny/.venv/bin/python").absolute()
    ran = subprocess.run([python, "-c", "import sys; print(sys.prefix)"], capture_output=True,
                         text=True, check=True)  # fmt: skip
    assert ran.stdout.strip() == str(python.parent.parent)
    assert Path("tiny/README.md").read_text() == "# tiny\nedited by a task\n"


def test_a_layers_task_edits_the_real_project(cli, tmp_path):
    code, _, err = cli("new", "tiny", "--template", str(wild.tiny_tasks(tmp_path / "t")), "-y",
                       "--trust")  # fmt: skip
    assert code == 0, err
    commit_all(Path("tiny"))
    code, _, err = cli("add", str(wild.layer(tmp_path / "layer", tasks=True)), "tiny", "-y",
                       "--trust")  # fmt: skip
    assert code == 0, err
    assert Path("tiny/README.md").read_text().endswith("layer was here\n")
    assert not Path("tiny/README.md.pyframe-new").exists()
    assert Path("tiny/shared/OWNERS").read_text() == "platform\n"


def test_update_honours_an_answers_file_in_a_subfolder_and_runs_tasks_there(cli, tmp_path):
    repo = wild.fullstack(tmp_path / "fullstack")
    code, _, err = cli("new", "web", "--template", str(repo), "--vcs-ref", "v1.0.0", "-y",
                       "--trust")  # fmt: skip
    assert code == 0, err
    commit_all(Path("web"))
    code, out, _ = cli("update", "web", "--check")
    assert code == 1 and ".copier/.copier-answers.yml" in out and "1.0.0 -> 2.0.0" in out
    code, out, err = cli("update", "web", "--trust")
    assert code == 0, err
    assert Path("web/README.md").read_text() == "# web (react, postgres)\n"
    assert Path("web/operations.txt").read_text() == "copy\nupdate\n"
    code, out, _ = cli("update", "web", "--check", "--answers-file",
                       ".copier/.copier-answers.yml")  # fmt: skip
    assert code == 0 and "up to date at 2.0.0" in out


def test_update_without_trust_refuses_before_changing_anything(cli, tmp_path):
    repo = wild.fullstack(tmp_path / "fullstack")
    assert cli("new", "web", "--template", str(repo), "--vcs-ref", "v1.0.0", "-y",
               "--trust")[0] == 0  # fmt: skip
    commit_all(Path("web"))
    before = tree(Path("web"))
    code, _, err = cli("update", "web")
    progress, refusal = err.splitlines(keepends=True)
    assert progress.startswith("updating .copier/.copier-answers.yml")
    one_line_error(code, refusal, "pass --trust")
    assert tree(Path("web")) == before


def test_a_failing_task_says_what_is_in_the_folder(cli, tmp_path):
    template = wild.write(
        tmp_path / "t",
        {
            "copier.yml": "_tasks:\n  - touch first\n  - exit 4\nproject_name:\n  type: str\n",
            "README.md.jinja": "{{ project_name }}\n",
        },
    )
    code, _, err = cli("new", "svc", "--template", str(template), "-y", "--trust")
    one_line_error(code, err, "task `exit 4` exited with 4",
                   f"files are complete in {Path('svc').absolute()}")  # fmt: skip
    assert sorted(p.name for p in Path("svc").iterdir()) == ["README.md", "first"]


# ------------------------------------------------------------------ never outside the project


@pytest.mark.parametrize("link", ["absolute", "relative"])
def test_force_never_writes_through_a_link_out_of_the_folder(cli, tmp_path, link):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    Path("svc").mkdir()
    Path("svc/notes.txt").write_text("mine\n")
    Path("svc/shared").symlink_to(elsewhere if link == "absolute" else "../../elsewhere")
    before = tree(Path("svc"))
    code, _, err = cli("new", "svc", "--template", str(wild.layer(tmp_path / "layer")), "-y",
                       "--force")  # fmt: skip
    one_line_error(code, err, f"{Path('svc/shared').absolute()} is a symbolic link")
    assert list(elsewhere.iterdir()) == []
    assert tree(Path("svc")) == before


def test_a_layer_never_writes_through_a_link_the_template_planted(cli, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    code, _, err = cli("new", "svc", "--template",
                       str(wild.with_symlink(tmp_path / "sym", str(outside))), "-y")  # fmt: skip
    assert code == 0, err
    assert os.readlink("svc/shared") == str(outside)
    before = tree(Path("svc"))
    code, _, err = cli("add", str(wild.layer(tmp_path / "layer")), "svc", "-y")
    one_line_error(code, err, "shared is a symbolic link", "outside the project")
    assert list(outside.iterdir()) == []
    assert tree(Path("svc")) == before


def test_a_link_that_stays_inside_the_project_is_followed_as_copier_does(cli, tmp_path):
    Path("svc/real").mkdir(parents=True)
    Path("svc/shared").symlink_to("real")
    code, _, err = cli("new", "svc", "--template", str(wild.layer(tmp_path / "layer")), "-y",
                       "--force")  # fmt: skip
    assert code == 0, err
    assert Path("svc/real/OWNERS").read_text() == "platform\n"


# ------------------------------------------------------------------ errors the user can fix


def test_file_system_errors_are_one_line_naming_the_path(cli, tmp_path):
    template = str(wild.layer(tmp_path / "layer"))
    Path("afile").write_text("x")
    code, _, err = cli("new", "svc", "--template", template, "-y", "-o", "afile/sub/svc")
    one_line_error(code, err, "afile/sub", "a file is where a folder must go")
    code, _, err = cli("new", "svc", "--template", template, "-y", "-o", "d/" + "n" * 300)
    one_line_error(code, err, "file name too long")
    assert not Path("d").exists()  # the parent it made for --output is gone again


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.ENOSPC, "no space left on the device"),
        (errno.EROFS, "read-only file system"),
        (errno.EACCES, "permission denied"),
    ],
)
def test_a_failing_disk_is_exit_2_not_a_bug(cli, tmp_path, monkeypatch, number, words):
    import scaffold.render

    def failing(source, target):
        raise OSError(number, os.strerror(number), str(target))

    monkeypatch.setattr(scaffold.render.os, "rename", failing)
    code, _, err = cli("new", "svc", "--template", str(wild.layer(tmp_path / "layer")), "-y")
    one_line_error(code, err, str(Path("svc").absolute()), words)
    assert list(Path().iterdir()) == []


def test_a_non_utf8_answers_file_is_one_line(cli, tmp_path):
    Path("answers.yml").write_bytes(b"team: \xff\xfe\n")
    code, _, err = cli("new", "svc", "--template", str(wild.layer(tmp_path / "layer")), "-y",
                       "--answers-file", "answers.yml")  # fmt: skip
    one_line_error(code, err, "answers.yml is not UTF-8 text")


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("{{ 1 // 0 }}", "ZeroDivisionError"),
        ("{% macro r() %}{{ r() }}{% endmacro %}{{ r() }}", "RecursionError"),
    ],
)
def test_a_template_expression_that_raises_is_the_templates_error(cli, tmp_path, expression, words):
    template = wild.write(
        tmp_path / "t",
        {"copier.yml": "project_name:\n  type: str\n", "broken.txt.jinja": expression},
    )
    code, _, err = cli("new", "svc", "--template", str(template), "-y")
    one_line_error(code, err, "failed to render", words)
    assert list(Path().iterdir()) == []


# ------------------------------------------------------------------ two at once


def test_two_renders_into_the_same_new_folder_one_wins(tmp_path):
    slow = "{% for i in range(100000) %}{% for j in range(40) %}{% endfor %}{% endfor %}"
    template = wild.write(
        tmp_path / "t",
        {
            "copier.yml": "project_name:\n  type: str\ncolour:\n  type: str\n",
            "slow.txt.jinja": slow + "{{ colour }}\n",
            "{{_copier_conf.answers_file}}.jinja": wild.ANSWERS,
        },
    )
    work = tmp_path / "work"
    work.mkdir()
    command = [sys.executable, "-m", "scaffold", "new", "same", "--template", str(template)]
    runs = [
        subprocess.Popen(
            [*command, "-y", "--data", f"colour={colour}"],
            cwd=work,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for colour in ("red", "blue")
    ]
    results = [(run.communicate(timeout=120)[1], run.returncode) for run in runs]
    results = [(code, err) for err, code in results]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    loser = next(err for code, err in results if code == 2)
    assert str(work / "same") in loser and loser.count("\n") == 1
    colour = yaml.safe_load((work / "same/.copier-answers.yml").read_text())["colour"]
    assert (work / "same/slow.txt").read_text() == f"{colour}\n"  # one answer set, not a mix
    assert sorted(p.name for p in work.iterdir()) == ["same"]


def test_ctrl_c_during_an_update_changes_nothing_and_leaves_no_scratch(tmp_path):
    import signal
    import time

    repo = wild.write(
        tmp_path / "template",
        {
            "copier.yml": "project_name:\n  type: str\n",
            "README.md.jinja": "# {{ project_name }}\n",
            "{{_copier_conf.answers_file}}.jinja": wild.ANSWERS,
        },
    )
    wild.release(repo, "v1.0.0")
    slow = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    wild.write(repo, {"slow.txt.jinja": slow})
    wild.release(repo, "v2.0.0")
    work = tmp_path / "work"
    work.mkdir()
    assert main(["new", "svc", "--template", str(repo), "--vcs-ref", "v1.0.0", "-y",
                 "-o", str(work / "svc")]) == 0  # fmt: skip
    commit_all(work / "svc")
    before = tree(work / "svc")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "scaffold", "update", str(work / "svc")],
        env={**os.environ, "TMPDIR": str(scratch)},
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(scratch.glob("pyframe-update-*/project")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1)  # Copier is now rendering the slow new version
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=90)
    assert process.returncode == 130, err
    assert err.splitlines()[-1] == f"pyframe: interrupted; {work / 'svc'} was not changed"
    assert "Traceback" not in err
    assert list(scratch.glob("pyframe-update-*")) == []
    assert tree(work / "svc") == before


def test_an_answers_file_anywhere_is_found_when_named(cli, tmp_path):
    repo = wild.write(
        tmp_path / "template",
        {
            "copier.yml": "_answers_file: config/answers.yml\nproject_name:\n  type: str\n",
            "README.md.jinja": "# {{ project_name }}\n",
            "{{_copier_conf.answers_file}}.jinja": wild.ANSWERS,
        },
    )
    wild.release(repo, "v1.0.0")
    assert cli("new", "svc", "--template", str(repo), "-y")[0] == 0
    commit_all(Path("svc"))
    code, _, err = cli("update", "svc", "--check")
    one_line_error(code, err, "name the answers file")
    code, out, _ = cli("update", "svc", "--check", "--answers-file", "config/answers.yml")
    assert code == 0 and out == "config/answers.yml (" + str(repo) + "): up to date at 1.0.0\n"
