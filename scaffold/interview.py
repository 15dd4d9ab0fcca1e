"""The questions pyframe asks a person before it recommends a framework.

Only the pyframe-level questions live here (what are you building, what does it need, what does
the team know, how large will it grow). The template's own questions are asked by Copier, which
already prompts through questionary with the template's help texts, validators and ``when:``
conditions; re-implementing them would drift from the template.

Every prompt has a flag, so a script never needs a terminal; ``can_prompt()`` is how the CLI
decides, and ``input``/``output`` let tests drive the real prompts with injected keys.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from .matrix import Matrix, Needs

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

_QUESTIONS = {
    "kind": "What are you building?",
    "need": "What does it need? (space to select, enter when done)",
    "team": "What does your team know best?",
    "scale": "How large will it grow?",
}


def can_prompt() -> bool:
    """True when a person is at a terminal; otherwise pyframe must not ask anything."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def ask_needs(
    matrix: Matrix,
    known: Needs | None = None,
    *,
    input: Input | None = None,
    output: Output | None = None,
) -> Needs:
    """Ask for whatever ``known`` leaves open and return the complete Needs.

    Answers given as flags are not asked again. Ctrl-C raises KeyboardInterrupt.
    """
    known = known or Needs()
    io: dict[str, Any] = {"input": input, "output": output}
    kind = known.kind or _select("kind", matrix, None, io)
    needs = known.needs or frozenset(_checkbox("need", matrix, io))
    team = known.team or _select("team", matrix, "new", io)
    scale = known.scale or _select("scale", matrix, "small", io)
    return Needs(kind=kind, needs=needs, team=team, scale=scale)


def _choices(dimension: str, matrix: Matrix) -> list[Any]:
    import questionary

    descriptions = matrix.descriptions.get(dimension, {})
    return [
        questionary.Choice(
            title=f"{word:<16} {descriptions.get(word, '')}".rstrip(),
            value=word,
        )
        for word in matrix.vocabulary[dimension]
    ]


def _select(dimension: str, matrix: Matrix, default: str | None, io: dict[str, Any]) -> str:
    import questionary

    choices = _choices(dimension, matrix)
    default_choice = next((c for c in choices if c.value == default), None)
    answer: str = questionary.select(
        _QUESTIONS[dimension], choices=choices, default=default_choice, **io
    ).unsafe_ask()
    return answer


def _checkbox(dimension: str, matrix: Matrix, io: dict[str, Any]) -> list[str]:
    import questionary

    answer: list[str] = questionary.checkbox(
        _QUESTIONS[dimension], choices=_choices(dimension, matrix), **io
    ).unsafe_ask()
    return answer
