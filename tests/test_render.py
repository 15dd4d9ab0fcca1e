from pathlib import Path

import pytest

from scaffold.errors import Interrupted, PyframeError
from scaffold.render import KEPT_SUFFIX, preview, render
from scaffold.templates import resolve

SIMPLE = {
    "copier.yml": (
        "_subdirectory: project\n"
        "project_name:\n  type: str\n"
        "greeting:\n  type: str\n  default: hello\n"
    ),
    "project/README.md.jinja": "# {{ project_name }}\n{{ greeting }}\n",
    "project/src/app.py": "print('hi')\n",
    "project/{{_copier_conf.answers_file}}.jinja": "{{ _copier_answers|to_nice_yaml -}}\n",
}


def leftovers(parent: Path) -> list[str]:
    return [p.name for p in parent.iterdir() if p.name.endswith(".pyframe-tmp")]


def test_render_places_the_project_and_records_answers(make_template, tmp_path):
    template = resolve(str(make_template(SIMPLE)))
    dest = tmp_path / "out" / "demo"
    result = render(template, dest, data={"project_name": "demo"})
    assert (dest / "README.md").read_text() == "# demo\nhello\n"
    assert "project_name: demo" in (dest / ".copier-answers.yml").read_text()
    assert set(result.files) == {"README.md", "src/app.py", ".copier-answers.yml"}
    assert result.answers["greeting"] == "hello"
    assert leftovers(dest.parent) == []


def test_user_defaults_change_defaults_and_data_wins(make_template, tmp_path):
    template = resolve(str(make_template(SIMPLE)))
    render(
        template,
        tmp_path / "a",
        data={"project_name": "a"},
        user_defaults={"greeting": "howdy", "project_name": "ignored"},
    )
    assert (tmp_path / "a" / "README.md").read_text() == "# a\nhowdy\n"


def test_non_empty_destination_is_refused_and_untouched(make_template, tmp_path):
    template = resolve(str(make_template(SIMPLE)))
    dest = tmp_path / "demo"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    with pytest.raises(PyframeError, match="not empty"):
        render(template, dest, data={"project_name": "demo"})
    assert [p.name for p in dest.iterdir()] == ["notes.txt"]
    assert leftovers(tmp_path) == []


def test_empty_destination_is_used(make_template, tmp_path):
    template = resolve(str(make_template(SIMPLE)))
    dest = tmp_path / "demo"
    dest.mkdir()
    render(template, dest, data={"project_name": "demo"})
    assert (dest / "src" / "app.py").exists()


def test_force_adds_files_but_never_overwrites(make_template, tmp_path):
    template = resolve(str(make_template(SIMPLE)))
    dest = tmp_path / "demo"
    (dest / "src").mkdir(parents=True)
    (dest / "README.md").write_text("my readme\n")
    (dest / "src" / "app.py").write_text("print('hi')\n")  # identical to the template's
    result = render(template, dest, data={"project_name": "demo"}, force=True)
    assert (dest / "README.md").read_text() == "my readme\n"
    assert (dest / f"README.md{KEPT_SUFFIX}").read_text() == "# demo\nhello\n"
    assert not (dest / f"src/app.py{KEPT_SUFFIX}").exists()
    assert (dest / ".copier-answers.yml").exists()
    assert result.kept == ("README.md",)


def test_force_refuses_a_file_where_the_template_has_a_folder(make_template, tmp_path):
    template = resolve(str(make_template(SIMPLE)))
    dest = tmp_path / "demo"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    (dest / "src").write_text("a file, not a folder")
    with pytest.raises(PyframeError, match="is a file, but the template puts a folder there"):
        render(template, dest, data={"project_name": "demo"}, force=True)
    assert sorted(p.name for p in dest.iterdir()) == ["notes.txt", "src"]
    assert (dest / "src").read_text() == "a file, not a folder"
    assert leftovers(tmp_path) == []


def test_failed_render_leaves_nothing(make_template, tmp_path):
    broken = dict(SIMPLE)
    broken["project/zz_broken.txt.jinja"] = "{{ undefined_filter | no_such_filter }}\n"
    template = resolve(str(make_template(broken)))
    dest = tmp_path / "demo"
    with pytest.raises(PyframeError):
        render(template, dest, data={"project_name": "demo"})
    assert not dest.exists()
    assert leftovers(tmp_path) == []


def test_failed_task_leaves_the_complete_files_and_says_so(make_template, tmp_path):
    files = dict(SIMPLE)
    files["copier.yml"] += "_tasks:\n  - touch made-by-task\n  - exit 3\n"
    template = resolve(str(make_template(files)))
    dest = tmp_path / "demo"
    with pytest.raises(PyframeError) as failed:
        render(template, dest, data={"project_name": "demo"}, trust=True)
    message = failed.value.message
    assert "`exit 3` exited with 3" in message
    assert f"the project's files are complete in {dest}, but its tasks did not finish" in message
    assert (dest / "README.md").read_text() == "# demo\nhello\n"
    assert (dest / "made-by-task").exists()  # the first task ran, in the project itself
    assert leftovers(tmp_path) == []


def test_tasks_need_trust_for_non_builtin_templates(make_template, tmp_path):
    files = dict(SIMPLE)
    files["copier.yml"] += "_tasks:\n  - touch made-by-task\n"
    template = resolve(str(make_template(files)))
    dest = tmp_path / "demo"
    with pytest.raises(PyframeError, match="pass trust if you trust it"):
        render(template, dest, data={"project_name": "demo"})
    assert not dest.exists()
    render(template, dest, data={"project_name": "demo"}, trust=True)
    assert (dest / "made-by-task").exists()


def test_interrupt_during_render_leaves_nothing(make_template, tmp_path, monkeypatch):
    import copier

    def interrupted(*args, **kwargs):
        Path(args[1], "half.txt").write_text("half")
        raise KeyboardInterrupt

    monkeypatch.setattr(copier, "run_copy", interrupted)
    template = resolve(str(make_template(SIMPLE)))
    with pytest.raises(Interrupted, match="nothing was written"):
        render(template, tmp_path / "demo", data={"project_name": "demo"})
    assert not (tmp_path / "demo").exists()
    assert leftovers(tmp_path) == []


def test_own_exclude_does_not_leak_copier_yml_or_git(make_template, tmp_path):
    template_dir = make_template(
        {
            "copier.yml": "_exclude: ['*.bak']\nproject_name: x\n",
            "README.md.jinja": "{{ project_name }}\n",
            "old.bak": "x",
            ".git/HEAD": "ref: refs/heads/main\n",
        }
    )
    dest = tmp_path / "demo"
    render(resolve(str(template_dir)), dest, data={"project_name": "demo"})
    names = {p.name for p in dest.rglob("*")}
    assert "README.md" in names
    assert not names & {"copier.yml", ".git", "HEAD", "old.bak"}


def test_user_copier_settings_do_not_change_defaults(make_template, tmp_path, monkeypatch):
    settings = tmp_path / "settings.yml"
    settings.write_text("defaults:\n  greeting: from-user-settings\n")
    monkeypatch.setenv("COPIER_SETTINGS_PATH", str(settings))
    template = resolve(str(make_template(SIMPLE)))
    render(template, tmp_path / "demo", data={"project_name": "demo"})
    assert "from-user-settings" not in (tmp_path / "demo" / "README.md").read_text()


def test_invalid_answer_is_a_user_error(make_template, tmp_path):
    files = dict(SIMPLE)
    files["copier.yml"] += (
        'port:\n  type: int\n  default: 1\n  validator: "{% if port > 10 %}too big{% endif %}"\n'
    )
    template = resolve(str(make_template(files)))
    with pytest.raises(PyframeError, match="too big"):
        render(template, tmp_path / "demo", data={"project_name": "demo", "port": 99})
    assert not (tmp_path / "demo").exists()


def test_preview_writes_nothing_and_skips_tasks(make_template, tmp_path):
    files = dict(SIMPLE)
    files["copier.yml"] += f"_tasks:\n  - touch {tmp_path}/task-ran\n"
    template = resolve(str(make_template(files)))
    before = sorted(p.name for p in tmp_path.iterdir())
    result = preview(template, data={"project_name": "demo"}, trust=True)
    assert "README.md" in result.files
    assert result.answers["project_name"] == "demo"
    assert not result.destination.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before
