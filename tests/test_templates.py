from pathlib import Path

import pytest

from scaffold import __version__
from scaffold.errors import PyframeError
from scaffold.templates import BUILTIN, builtin_root, read_questions, resolve

#: Pure logic, no rendering: the fast tier (``pytest -m fast``).
pytestmark = pytest.mark.fast


@pytest.mark.parametrize("name", BUILTIN)
def test_builtin_templates_resolve_with_version_and_questions(name):
    template = resolve(name)
    assert template.builtin
    assert template.version == __version__
    assert Path(template.source) == builtin_root() / name
    names = [q.name for q in template.questions]
    assert names[:2] == ["project_name", "package_name"]


def test_unknown_name_lists_the_builtins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PyframeError) as info:
        resolve("pyramid")
    assert "django, fastapi, flask" in info.value.message


def test_folder_without_copier_yml_is_refused(tmp_path):
    (tmp_path / "README.md").write_text("x")
    with pytest.raises(PyframeError, match=r"no copier\.yml"):
        resolve(str(tmp_path))


@pytest.mark.parametrize(
    "source",
    ["gh:acme/service-template", "gl:acme/t", "https://example.com/t.git", "git@example.com:a/b"],
)
def test_git_sources_are_handed_to_copier_as_they_are(source):
    template = resolve(source)
    assert template.source == source
    assert not template.builtin
    assert not template.is_local


def test_read_questions_understands_copiers_forms(make_template):
    root = make_template(
        {
            "copier.yml": (
                "_subdirectory: t\n"
                "name: demo\n"
                "db:\n  type: str\n  choices: {SQLite: sqlite, PostgreSQL: postgresql}\n"
                "  default: sqlite\n  help: Database\n"
                "docker:\n  default: true\n"
                "token:\n  type: str\n  secret: true\n  when: false\n"
                "extra: !include other.yml\n"
            )
        }
    )
    questions = {q.name: q for q in read_questions(root)}
    assert list(questions) == ["name", "db", "docker", "token", "extra"]
    assert questions["name"].default == "demo"
    assert questions["db"].choices == ("sqlite", "postgresql")
    assert questions["db"].help == "Database"
    assert questions["docker"].type == "bool"
    assert questions["token"].secret and questions["token"].when is False


def test_malformed_copier_yml_names_file_and_line(make_template):
    root = make_template({"copier.yml": "a: 1\nb: [unclosed\nc: 2\n"})
    with pytest.raises(PyframeError) as info:
        resolve(str(root))
    assert "copier.yml:" in info.value.message
    assert "not valid YAML" in info.value.message
