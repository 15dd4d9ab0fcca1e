"""The questions the three built-in templates share are one spec, and so is the package rule."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scaffold.errors import PyframeError
from scaffold.names import validate_package_name
from scaffold.questions import Evaluator
from scaffold.templates import BUILTIN, resolve

from .test_names import PROBES

ROOT = Path(__file__).resolve().parents[1]
SHARED = (
    "project_name",
    "package_name",
    "description",
    "author_name",
    "author_email",
    "python_version",
    "database",
    "background_jobs",
    "ci",
    "docker",
    "observability",
)
#: The real differences between the templates' shared questions.
DIFFERENT = {("description", "default"), ("database", "choices")}


def specs(framework: str) -> dict[str, dict]:
    return yaml.safe_load((ROOT / "templates" / framework / "copier.yml").read_text())


def test_the_templates_copy_the_current_spec():
    done = subprocess.run(
        [sys.executable, "tools/shared_questions.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", SHARED)
def test_a_shared_question_is_the_same_in_every_template(name):
    seen = {fw: specs(fw)[name] for fw in BUILTIN}
    keys = set().union(*(spec.keys() for spec in seen.values()))
    for key in sorted(keys):
        if (name, key) in DIFFERENT:
            continue
        values = {fw: spec.get(key) for fw, spec in seen.items()}
        assert len({repr(v) for v in values.values()}) == 1, f"{name}.{key}: {values}"


def test_the_shared_questions_come_first_and_in_order():
    for framework in BUILTIN:
        names = [k for k in specs(framework) if not k.startswith("_")]
        assert tuple(names[: len(SHARED)]) == SHARED, framework


@pytest.mark.parametrize("framework", BUILTIN)
@pytest.mark.parametrize(("name", "accepted"), PROBES.items())
def test_pyframe_and_each_templates_validator_give_one_answer(framework, name, accepted):
    checked = Evaluator(resolve(framework)).check({"project_name": "x", "package_name": name})
    assert ("package_name" not in checked.errors) == accepted, checked.errors
    try:
        validate_package_name(name)
    except PyframeError:
        assert not accepted
    else:
        assert accepted
