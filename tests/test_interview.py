"""The interview's real questionary prompts, driven with injected key presses."""

from __future__ import annotations

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from scaffold.interview import ask_needs
from scaffold.matrix import Needs, load_matrix

#: Pure logic, no rendering: the fast tier (``pytest -m fast``).
pytestmark = pytest.mark.fast

DOWN, ENTER, SPACE = "\x1b[B", "\r", " "


@pytest.fixture(scope="module")
def matrix():
    return load_matrix()


def drive(matrix, keys: str, known: Needs | None = None) -> Needs:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        return ask_needs(matrix, known, input=pipe, output=DummyOutput())


def test_every_question_is_asked_in_order(matrix):
    keys = (
        DOWN * 2
        + ENTER  # kind: the third word
        + SPACE
        + DOWN
        + SPACE
        + ENTER  # needs: the first two words
        + DOWN
        + ENTER  # team: one below the default (new)
        + ENTER  # scale: the default
    )
    needs = drive(matrix, keys)
    kinds, all_needs, teams = (matrix.vocabulary[d] for d in ("kind", "need", "team"))
    assert needs.kind == kinds[2]
    assert needs.needs == frozenset(all_needs[:2])
    assert needs.team == teams[(teams.index("new") + 1) % len(teams)]
    assert needs.scale == "small"


def test_answers_given_as_flags_are_not_asked_again(matrix):
    known = Needs(kind="api", needs=frozenset({"async"}), team="fastapi")
    needs = drive(matrix, DOWN + ENTER, known)  # only the scale is asked
    assert needs == Needs(kind="api", needs=frozenset({"async"}), team="fastapi", scale="medium")


def test_ctrl_c_interrupts(matrix):
    with pytest.raises(KeyboardInterrupt):
        drive(matrix, "\x03")
