"""The questions pyframe asks a person at a terminal, all in one style.

Two stages: what the person builds (kind, needs, team, scale: what the recommendation weighs),
then the chosen template's own questions, read from its ``copier.yml`` and seen as Copier sees
them (``questions.Evaluator``: ``when:``, rendered defaults, validators). pyframe asks both, so
every prompt looks the same and shows where the person is (``[3/11]``); the answers then go to
Copier as data, and Copier asks nothing more.

Every prompt has a flag, so a script never needs a terminal; ``can_prompt()`` is how the CLI
decides, and ``input``/``output`` let tests drive the real prompts with injected keys.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .matrix import Matrix, Needs

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

    from .templates import Question, Template

_QUESTIONS = {
    "kind": "What are you building?",
    "need": "What does it need? (space selects, enter when done)",
    "team": "What does your team know best?",
    "scale": "How large will it grow?",
}
_INDENT = "      "


def can_prompt() -> bool:
    """True when a person is at a terminal; otherwise pyframe must not ask anything."""
    return sys.stdin.isatty() and sys.stdout.isatty()


class _Prompts:
    """questionary prompts with pyframe's look: a ``[n/total]`` mark and wrapped help."""

    def __init__(self, total: int, input: Input | None, output: Output | None) -> None:
        self.total = total
        self.number = 0
        self.io: dict[str, Any] = {"input": input, "output": output}

    def mark(self) -> str:
        self.number += 1
        return f"[{self.number}/{self.total}]"

    def message(self, title: str, help_text: str = "") -> str:
        """The question, with its help wrapped to the terminal under it."""
        if not help_text or help_text == title:
            return title
        width = max(40, shutil.get_terminal_size((80, 24)).columns - len(_INDENT) - 1)
        lines = textwrap.wrap(" ".join(help_text.split()), width)
        return title + "".join(f"\n{_INDENT}{line}" for line in lines)

    def ask(self, prompt: Any) -> Any:
        return prompt.unsafe_ask()


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
    import questionary

    known = known or Needs()
    open_ = [d for d, v in _given(known).items() if not v]
    prompts = _Prompts(len(open_), input, output)
    answers: dict[str, Any] = {}
    for dimension in open_:
        choices = _word_choices(dimension, matrix)
        message = prompts.message(_QUESTIONS[dimension])
        if dimension == "need":
            answers[dimension] = frozenset(
                prompts.ask(
                    questionary.checkbox(
                        message, choices=choices, qmark=prompts.mark(), **prompts.io
                    )
                )
            )
            continue
        default = {"team": "new", "scale": "small"}.get(dimension)
        chosen = next((c for c in choices if c.value == default), None)
        answers[dimension] = prompts.ask(
            questionary.select(
                message, choices=choices, default=chosen, qmark=prompts.mark(), **prompts.io
            )
        )
    return Needs(
        kind=known.kind or answers.get("kind"),
        needs=known.needs or answers.get("need", frozenset()),
        team=known.team or answers.get("team"),
        scale=known.scale or answers.get("scale"),
    )


def _given(needs: Needs) -> dict[str, Any]:
    return {"kind": needs.kind, "need": needs.needs, "team": needs.team, "scale": needs.scale}


def _word_choices(dimension: str, matrix: Matrix) -> list[Any]:
    """The words as choices: the word itself is the title (and the answer echoed), its
    description shows under the list for the highlighted one."""
    import questionary

    descriptions = matrix.descriptions.get(dimension, {})
    return [
        questionary.Choice(title=word, value=word, description=descriptions.get(word) or None)
        for word in matrix.vocabulary[dimension]
    ]


def ask_template(
    template: Template,
    given: Mapping[str, Any],
    defaults: Mapping[str, Any],
    *,
    input: Input | None = None,
    output: Output | None = None,
) -> dict[str, Any]:
    """Ask ``template``'s questions that ``given`` does not answer; returns every answer.

    ``defaults`` (the organisation's, the needs' suggestions) replace the template's defaults.
    A question ``when:`` hides is not asked; an answer a validator refuses is asked again with
    the template's message. Copier then renders with these answers as data.
    """
    from .answers import cast_answer
    from .questions import Evaluator

    evaluator = Evaluator(template, trusted=True)
    context: dict[str, Any] = dict(given)
    answers: dict[str, Any] = dict(given)
    pending = [q for q in template.questions if q.name not in given]
    prompts = _Prompts(len(pending), input, output)

    def default_of(question: Question, answered: Mapping[str, Any]) -> Any:
        if question.name in defaults:
            return defaults[question.name]
        return evaluator.default(question, answered)

    for number, question in enumerate(pending):
        if not evaluator.shown(question, context):
            continue
        # The position counts what the answers so far still leave to ask, so "[3/9]" stays
        # true when an answer hides (or shows) later questions.
        ahead, assumed = 0, dict(context)
        for later in pending[number + 1 :]:
            if evaluator.shown(later, assumed):
                ahead += 1
            assumed.setdefault(later.name, default_of(later, assumed))
        prompts.total = prompts.number + 1 + ahead
        value = _ask_question(question, default_of(question, context), prompts, evaluator, context)
        context[question.name] = answers[question.name] = cast_answer(question, value)
    return answers


def _ask_question(
    question: Question, default: Any, prompts: _Prompts, evaluator: Any, context: dict[str, Any]
) -> Any:
    import questionary

    message = prompts.message(question.name, question.help)

    def validate(text: Any) -> bool | str:
        from .answers import cast_answer
        from .errors import PyframeError

        try:
            value = cast_answer(question, text)
        except PyframeError as exc:
            return exc.message
        refusal = str(evaluator.refusal(question, value, context))
        return refusal or True

    mark = prompts.mark()
    if question.choices and question.multiselect:
        chosen = default if isinstance(default, list) else []
        choices = [
            questionary.Choice(
                title=str(value),
                value=value,
                checked=value in chosen,
                description=question.choice_labels.get(value),
            )
            for value in question.choices
        ]
        return prompts.ask(
            questionary.checkbox(
                message, choices=choices, qmark=mark, validate=validate, **prompts.io
            )
        )
    if question.choices:
        choices = [
            questionary.Choice(
                title=str(value), value=value, description=question.choice_labels.get(value)
            )
            for value in question.choices
        ]
        selected = next((c for c in choices if c.value == default), None)
        while True:  # a choice a validator refuses is asked again, with its message
            value = prompts.ask(
                questionary.select(
                    message, choices=choices, default=selected, qmark=mark, **prompts.io
                )
            )
            refusal = validate(value)
            if refusal is True:
                return value
            message = prompts.message(question.name, f"{refusal} -- {question.help}")
    if question.type == "bool":
        return prompts.ask(
            questionary.confirm(message, default=bool(default), qmark=mark, **prompts.io)
        )
    text = "" if default is None else str(default)
    kind = questionary.password if question.secret else questionary.text
    return prompts.ask(kind(message, default=text, qmark=mark, validate=validate, **prompts.io))
