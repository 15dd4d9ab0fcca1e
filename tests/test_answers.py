from pathlib import Path

import pytest

from scaffold.answers import gather, load_answers_file, parse_data
from scaffold.errors import PyframeError
from scaffold.templates import Question, Template

#: Pure logic, no rendering: the fast tier (``pytest -m fast``).
pytestmark = pytest.mark.fast

TEMPLATE = Template(
    name="t",
    source="/nowhere",
    questions=(Question("project_name"), Question("package_name"), Question("database")),
)


def test_parse_data_splits_on_the_first_equals_sign():
    assert parse_data(["database=postgresql", "description=a=b", "empty="]) == {
        "database": "postgresql",
        "description": "a=b",
        "empty": "",
    }


@pytest.mark.parametrize("pair", ["database", "=x", " =x"])
def test_parse_data_refuses_pairs_without_a_key(pair):
    with pytest.raises(PyframeError, match="KEY=VALUE"):
        parse_data([pair])


def test_answers_file_drops_copier_private_keys(tmp_path: Path):
    path = tmp_path / "a.yml"
    path.write_text("_commit: abc\n_src_path: x\ndatabase: postgresql\n")
    assert load_answers_file(path) == {"database": "postgresql"}


def test_answers_file_errors_name_the_file_and_line(tmp_path: Path):
    path = tmp_path / "a.yml"
    path.write_text("database: [postgresql\nci: github\n")
    with pytest.raises(PyframeError) as info:
        load_answers_file(path)
    assert f"{path}:" in info.value.message
    with pytest.raises(PyframeError, match="does not exist"):
        load_answers_file(tmp_path / "missing.yml")
    path.write_text("- a\n- b\n")
    with pytest.raises(PyframeError, match="mapping"):
        load_answers_file(path)


def test_precedence_data_over_file_over_name_over_suggestions():
    answers = gather(
        TEMPLATE,
        project_name="demo",
        package_name="demo",
        data={"database": "mysql"},
        answers_file={"database": "postgresql", "package_name": "core"},
        suggested={"database": "sqlite", "project_name": "ignored"},
    )
    assert answers.data == {"project_name": "demo", "package_name": "core", "database": "mysql"}
    assert answers.defaults == {}


def test_suggestions_become_defaults_only_for_questions_the_template_asks():
    answers = gather(
        TEMPLATE,
        project_name="demo",
        package_name="demo",
        data={},
        answers_file={},
        suggested={"database": "postgresql", "websockets": True},
    )
    assert answers.defaults == {"database": "postgresql"}


@pytest.mark.parametrize("origin", ["data", "answers_file"])
def test_unknown_questions_are_refused_and_the_real_ones_listed(origin):
    kwargs = {"data": {}, "answers_file": {}, origin: {"databse": "x"}}
    with pytest.raises(PyframeError) as info:
        gather(TEMPLATE, project_name="d", package_name="d", suggested={}, **kwargs)
    assert "'databse'" in info.value.message
    assert "database, package_name, project_name" in info.value.message


def test_remote_templates_accept_any_answer():
    remote = Template(name="gh:acme/t", source="gh:acme/t")
    answers = gather(
        remote,
        project_name="demo",
        package_name="demo",
        data={"anything": "1"},
        answers_file={},
        suggested={"database": "x"},
        organisation={"author_name": "Acme", "anything": "0"},
    )
    assert answers.data == {"project_name": "demo", "anything": "1"}
    # The matrix's suggestions name built-in questions; the organisation's defaults are for all.
    assert answers.defaults == {"author_name": "Acme"}


def test_organisation_defaults_rank_below_the_matrix_and_skip_unasked_questions():
    template = Template(
        name="t",
        source="t",
        questions=(Question("project_name"), Question("ci"), Question("author_name")),
    )
    answers = gather(
        template,
        project_name="demo",
        package_name=None,
        data={},
        answers_file={},
        suggested={"ci": "github"},
        organisation={"ci": "gitlab", "author_name": "Acme", "licence": "MIT"},
    )
    assert answers.defaults == {"ci": "github", "author_name": "Acme"}
