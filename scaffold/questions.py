"""A template's questions seen as Copier sees them: ``when:``, rendered defaults, validators.

``pyframe smoke`` asks whether the template accepts a combination of answers before building
it; a form (``pyframe serve``) asks which questions to show and what is wrong with each field.
Both go through :class:`Evaluator`, which renders the template's own Jinja (``when``,
``default``, ``validator`` and the validators of mapping-form choices) in an environment like
Copier's (its default filters, the template's ``_envops`` and, when trusted, its
``_jinja_extensions``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .answers import cast_answer
from .errors import PyframeError
from .templates import Question, Template


@dataclass(frozen=True)
class Checked:
    """Every question checked, as a form shows it."""

    #: The answers Copier would record (shown questions only), in question order.
    answers: Mapping[str, Any]
    #: The questions ``when:`` shows, in order.
    shown: tuple[str, ...]
    #: The template's message for each question it refuses (and "required" for a missing one).
    errors: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class Evaluator:
    """Evaluates one template's questions against given answers; caches compiled Jinja."""

    def __init__(
        self,
        template: Template,
        *,
        trusted: bool = False,
        questions: Sequence[Question] | None = None,
    ) -> None:
        self.template = template
        self.questions = list(template.questions if questions is None else questions)
        self._given: dict[str, Any] = {}
        self._env = _environment(template, trusted)
        self._compiled: dict[str, Any] = {}
        self._cache: dict[str, tuple[dict[str, Any], str | None]] = {}

    def with_given(self, always: Mapping[str, Any]) -> Evaluator:
        """This evaluator with answers added to every evaluation (smoke's project name)."""
        other = Evaluator.__new__(Evaluator)
        other.__dict__.update(self.__dict__)
        other._given = {**self._given, **always}
        other._cache = {}
        return other

    def cast(self, given: Mapping[str, Any], *, origin: str = "answers") -> dict[str, Any]:
        """``given`` cast to each question's type; a name the template does not ask is refused
        (a typo would otherwise be ignored)."""
        by_name = {q.name: q for q in self.template.questions}
        unknown = sorted(set(given) - set(by_name))
        if unknown and by_name:
            raise PyframeError(
                f"{origin}: template {self.template.name!r} has no question {', '.join(unknown)}",
                field="data",
            )
        return {k: cast_answer(by_name[k], v) if k in by_name else v for k, v in given.items()}

    def judge(self, given: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
        """The answers Copier would record for ``given``, and the first refusal (None when the
        template accepts them). A question with no default and no answer is an error."""
        given = {**self._given, **given}
        key = repr(sorted(given.items(), key=lambda item: item[0]))
        if key not in self._cache:
            self._cache[key] = self._judge(given)
        answers, message = self._cache[key]
        return dict(answers), message

    def check(self, given: Mapping[str, Any]) -> Checked:
        """Every shown question with its answer and, where the template refuses it, its
        message; unlike :meth:`judge` it goes on past the first refusal, as a form does."""
        context: dict[str, Any] = {**self._given, **given}
        answers: dict[str, Any] = {}
        shown: list[str] = []
        errors: dict[str, str] = {}
        for question in self.questions:
            if not self.shown(question, context):
                self._hide(question, given, context)
                continue
            shown.append(question.name)
            if question.name in context:
                value = context[question.name]
            elif question.has_default:
                value = self._default(question, context)
            else:
                errors[question.name] = "required"
                continue
            context[question.name] = answers[question.name] = value
            message = _not_a_choice(question, value) or self._refusal(question, value, context)
            if message:
                errors[question.name] = message
        return Checked(answers=answers, shown=tuple(shown), errors=errors)

    def default(self, question: Question, context: Mapping[str, Any]) -> Any:
        """``question``'s default given the answers so far (None when it has none)."""
        return self._default(question, context) if question.has_default else None

    def refusal(self, question: Question, value: Any, context: Mapping[str, Any]) -> str:
        """The template's message refusing ``value`` for ``question`` ("" when accepted)."""
        return _not_a_choice(question, value) or self._refusal(
            question, value, {**context, question.name: value}
        )

    def shown(self, question: Question, context: Mapping[str, Any]) -> bool:
        """Whether ``when:`` asks ``question`` given the answers so far."""
        return _truthy(self._render(question.when, context))

    def _judge(self, given: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
        context: dict[str, Any] = dict(given)
        answers: dict[str, Any] = {}
        for question in self.questions:
            if not self.shown(question, context):
                self._hide(question, given, context)
                continue
            if question.name in given:
                value = given[question.name]
            elif question.has_default:
                value = self._default(question, context)
            else:
                raise PyframeError(
                    f"template {self.template.name!r}: question {question.name!r} has no "
                    f"default; give it a value with {{@data}} {question.name}=VALUE",
                    field=f"data.{question.name}",
                )
            context[question.name] = answers[question.name] = value
            message = self._refusal(question, value, context)
            if message:
                return answers, message
        return answers, None

    def _hide(self, question: Question, given: Mapping[str, Any], context: dict[str, Any]) -> None:
        """A question ``when:`` hides takes its default, as Copier gives it to later Jinja."""
        if question.name not in given and question.has_default:
            context[question.name] = self._default(question, context)

    def _default(self, question: Question, context: Mapping[str, Any]) -> Any:
        return cast_answer(question, self._render(question.default, context))

    def _refusal(self, question: Question, value: Any, context: Mapping[str, Any]) -> str:
        message = str(self._render(question.validator, context) or "").strip()
        if message:
            return " ".join(message.split())
        if not question.choice_validators:
            return ""
        for option in value if isinstance(value, list) else [value]:
            validator = question.choice_validators.get(option) if _hashable(option) else None
            if validator:
                message = str(self._render(validator, context) or "").strip()
                if message:
                    return f"{question.name}={show(option)}: {' '.join(message.split())}"
        return ""

    def _render(self, value: Any, context: Mapping[str, Any]) -> Any:
        if not isinstance(value, str) or not any(m in value for m in self._markers):
            return value
        try:
            if value not in self._compiled:
                self._compiled[value] = self._env.from_string(value)
            return self._compiled[value].render(**context)
        except Exception as exc:
            raise PyframeError(
                f"template {self.template.name!r}: cannot evaluate {value.strip()[:60]!r}: "
                f"{type(exc).__name__}: {exc}",
                field="template",
            ) from exc

    @property
    def _markers(self) -> tuple[str, str]:
        return (self._env.variable_start_string, self._env.block_start_string)


def _environment(template: Template, trusted: bool) -> Any:
    """A Jinja environment like the one Copier renders this template with."""
    from jinja2.sandbox import SandboxedEnvironment

    settings = template.settings
    extensions = ["jinja2_ansible_filters.AnsibleCoreFiltersExtension"]
    if trusted or template.builtin:
        extensions += [str(e) for e in settings.get("_jinja_extensions") or ()]
    envops = {k: v for k, v in (settings.get("_envops") or {}).items() if k != "undefined"}
    try:
        return SandboxedEnvironment(extensions=extensions, **envops)
    except (ImportError, TypeError) as exc:
        raise PyframeError(
            f"template {template.name!r}: cannot load its Jinja set-up: {exc}", field="template"
        ) from exc


def _not_a_choice(question: Question, value: Any) -> str:
    """The message for an answer that is not one of the question's choices ("" if it is)."""
    if not question.choices:
        return ""
    given = value if question.multiselect and isinstance(value, list) else [value]
    wrong = [v for v in given if v not in question.choices]
    if not wrong:
        return ""
    offered = ", ".join(show(c) for c in question.choices)
    return f"{show(wrong[0])} is not one of the choices ({offered})"


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("", "false", "no", "n", "0", "off", "none", "null")
    return bool(value)


def show(value: Any) -> str:
    """An answer as a person types it: ``true``, ``[a,b]``, ``sqlite``."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ",".join(show(v) for v in value) + "]"
    return str(value)
