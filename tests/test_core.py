"""The typed core any front end calls: ``choose`` what to render, then ``create`` it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from scaffold.config import load_config, matrix_for
from scaffold.core import check_early, choose, create, frameworks
from scaffold.errors import PyframeError
from scaffold.matrix import Needs, recommend

#: An organisation's matrix that knows only two of the built-in frameworks.
TWO_FRAMEWORKS = """
[matrix]
frameworks = ["fastapi", "flask"]

[sources]
Handbook = "Acme's engineering handbook"

[vocabulary]
kind = { api = "an API", site = "a website" }
need = { admin = "an admin" }
team = { flask = "knows Flask" }
scale = { small = "small" }

[default]
fastapi = 1
because = "our default"
source = ["Handbook: Defaults"]

[rules.kind.api]
fastapi = 2
because = "APIs"
source = ["Handbook: APIs"]
"""


def configure(tmp_path: Path, text: str, matrix: str | None = None):
    if matrix is not None:
        (tmp_path / "acme-matrix.toml").write_text(textwrap.dedent(matrix))
    path = tmp_path / "pyframe.toml"
    path.write_text(textwrap.dedent(text))
    return load_config(path)


@pytest.mark.fast
def test_a_built_in_framework_works_with_a_matrix_that_does_not_list_it(tmp_path):
    settings = configure(tmp_path, '[matrix]\nfile = "acme-matrix.toml"\n', TWO_FRAMEWORKS)
    assert frameworks(settings) == ("django", "fastapi", "flask")
    check_early("svc", tmp_path / "svc", settings, framework="django")
    choice = choose(Needs(), settings, framework="django")
    assert choice.template.builtin and choice.template.name == "django"
    assert choice.recommendation is None and dict(choice.suggested) == {}


@pytest.mark.fast
def test_the_recommendation_decides_when_nothing_is_named(tmp_path):
    settings = configure(tmp_path, "")
    choice = choose(Needs(kind="api", needs=frozenset({"async"})), settings)
    assert choice.recommendation is not None
    assert choice.framework == choice.recommendation.framework == choice.template.name
    assert choice.routed == ""


@pytest.mark.fast
def test_needs_are_asked_only_when_nothing_was_said_or_named(tmp_path):
    settings = configure(tmp_path, "")
    asked = []

    def ask_needs(matrix, known):
        asked.append(known)
        return Needs(kind="cms", needs=frozenset({"admin"}))

    choice = choose(Needs(), settings, ask_needs=ask_needs)
    assert asked == [Needs()]
    asked_for = recommend(Needs(kind="cms", needs=frozenset({"admin"})), matrix_for(settings))
    assert choice.recommendation == asked_for
    assert choice.recommendation != recommend(Needs(), matrix_for(settings))
    choose(Needs(kind="api"), settings, ask_needs=ask_needs)
    choose(Needs(), settings, framework="flask", ask_needs=ask_needs)
    assert len(asked) == 1


@pytest.mark.fast
def test_the_organisation_routes_a_kind_before_any_recommendation(tmp_path):
    settings = configure(tmp_path, '[matrix.kind]\napi = "flask"\n')
    choice = choose(Needs(kind="api"), settings)
    assert choice.template.name == "flask" and choice.recommendation is None
    assert (
        choice.routed
        == f": your configuration maps --kind api to it ({tmp_path / 'pyframe.toml'}:2)"
    )


@pytest.mark.fast
def test_the_organisation_routes_the_winning_framework(tmp_path):
    settings = configure(tmp_path, '[matrix.use]\nfastapi = "flask"\n')
    choice = choose(Needs(), settings, framework="fastapi")
    assert choice.template.name == "flask" and choice.framework == "fastapi"
    assert choice.routed.startswith(" for fastapi, as your configuration says (")


@pytest.mark.fast
def test_early_checks_refuse_before_anything_is_asked(tmp_path):
    settings = configure(tmp_path, "")
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file").write_text("x")
    with pytest.raises(PyframeError, match="is not empty"):
        check_early("taken", tmp_path / "taken", settings)
    with pytest.raises(PyframeError, match="unknown framework 'rails'"):
        check_early("svc", tmp_path / "svc", settings, framework="rails")
    with pytest.raises(PyframeError, match="standard library module"):
        check_early("email", tmp_path / "email", settings)
    # another template decides its own package rule: only the folder name is checked
    check_early("email", tmp_path / "email", settings, template=str(tmp_path))


def test_create_renders_with_the_answers_in_their_order(tmp_path):
    settings = configure(tmp_path, '[defaults]\nauthor_name = "Acme"\nci = "gitlab"\n')
    choice = choose(Needs(), settings, framework="flask")
    rendered = create(
        choice,
        "svc",
        settings,
        output=tmp_path / "svc",
        data={"ci": "none"},
        answers_file={"description": "From a file"},
    )
    answers = yaml.safe_load((tmp_path / "svc" / ".copier-answers.yml").read_text())
    assert rendered.destination == tmp_path / "svc"
    assert answers["author_name"] == "Acme"  # the organisation's default
    assert answers["ci"] == "none"  # data beats the organisation
    assert answers["description"] == "From a file"
    assert answers["package_name"] == "svc"


def test_an_untrusted_template_is_refused_before_any_question(tmp_path):
    from . import wild

    settings = configure(tmp_path, "")
    library = wild.library(tmp_path / "library")  # Jinja extensions: its code would run
    choice = choose(Needs(), settings, template=str(library))
    asked = []
    with pytest.raises(PyframeError, match="pass trust if you trust it"):
        create(choice, "lib", settings, output=tmp_path / "lib", interactive=True,
               ask=lambda *given: asked.append(given) or {})  # fmt: skip
    assert asked == [] and not (tmp_path / "lib").exists()
