"""A template's questions as Copier sees them: what a form shows and what it refuses."""

from __future__ import annotations

import pytest

from scaffold.errors import PyframeError
from scaffold.questions import Evaluator
from scaffold.templates import resolve

from . import wild

pytestmark = pytest.mark.fast


def test_check_gives_every_refused_field_its_own_message(tmp_path):
    evaluator = Evaluator(resolve(str(wild.validated(tmp_path / "v"))))
    checked = evaluator.check({"project_name": "x", "orm": "tortoise", "workers": 0})
    assert checked.errors == {
        "orm": "orm=tortoise: Tortoise needs async",
        "workers": "at least one worker",
    }
    assert checked.shown == ("project_name", "orm", "async", "workers", "cache")
    assert not checked.ok
    fixed = evaluator.check({"project_name": "x", "orm": "tortoise", "async": True})
    assert fixed.ok and fixed.answers["workers"] == 2


def test_when_hides_a_question_and_a_missing_required_answer_is_named():
    evaluator = Evaluator(resolve("flask"))
    checked = evaluator.check({"flavour": "api"})
    assert "admin" not in checked.shown
    assert checked.errors["project_name"] == "required"
    web = evaluator.check({"project_name": "shop", "flavour": "web"})
    assert "admin" in web.shown and web.ok
    assert web.answers["package_name"] == "shop"


def test_cast_refuses_a_question_the_template_does_not_ask():
    evaluator = Evaluator(resolve("fastapi"))
    assert evaluator.cast({"websockets": "yes"}) == {"websockets": True}
    with pytest.raises(PyframeError, match="has no question databse"):
        evaluator.cast({"databse": "sqlite"})


def test_an_answer_outside_the_choices_is_a_field_error():
    checked = Evaluator(resolve("flask")).check({"project_name": "x", "database": "oracle"})
    assert checked.errors == {"database": "oracle is not one of the choices (sqlite, postgresql)"}
    database = next(q for q in resolve("flask").questions if q.name == "database")
    assert database.choice_labels["postgresql"].startswith("PostgreSQL")
