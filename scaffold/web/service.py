"""What the server knows and decides, through the same core calls as ``pyframe new``.

One :class:`Service` per server: the configuration (organisation templates, defaults, matrix)
read once at start-up, the templates it may render, and the server's ``--trust``. Every request
goes through :meth:`Service.decide` (the checks ``pyframe new`` makes before it asks anything,
then ``core.choose``) and :meth:`Service.check` (the template's questions as a form: which
``when:`` shows, the values Copier would record, the template's own message per field).

Safety lives here: only built-in and registered templates are offered, never a source taken
from a request, and a template that runs code (tasks, migrations, Jinja extensions) only when
the server was started with ``--trust``.
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..answers import cast_answer, gather
from ..config import Config, matrix_for
from ..core import Choice, check_early, choose, frameworks
from ..errors import PyframeError
from ..matrix import Recommendation, recommend
from ..names import validate_project_name
from ..questions import Evaluator
from ..templates import BUILTIN, Question, Template, checkout, is_remote, resolve
from .params import Starter, data_param

#: How many decisions of ``core.choose`` are remembered (one per set of needs and choice).
CHOICES_KEPT = 256


class Refused(PyframeError):
    """A request the server will not serve as asked; ``status`` is its HTTP status (4xx), and
    ``errors`` the message per form field when the answers are at fault."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 400,
        field: str | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, field=field)
        self.status = status
        self.errors = dict(errors or {})
        #: The decision refused, when there is one (the page shows it with its errors).
        self.decision: Decision | None = None


@dataclass(frozen=True)
class Field:
    """One template question as the form shows it."""

    question: Question
    #: The parameter that answers it (its name, or ``data.NAME`` for a reserved one).
    param: str
    value: Any
    shown: bool
    #: Whether the request gave this answer (else it is a default, and follows the others).
    given: bool
    error: str = ""


@dataclass(frozen=True)
class Decision:
    """What a request asks for, decided: the template and why, and its questions checked."""

    starter: Starter
    choice: Choice
    fields: tuple[Field, ...] = ()
    #: Errors that belong to no template question (``name``).
    errors: Mapping[str, str] = field(default_factory=dict)
    #: The template answers the request gave, cast to their types (what ``--data`` would give).
    given: Mapping[str, Any] = field(default_factory=dict)
    #: The matrix's advice when ``choose`` did not need one (a framework or template was chosen).
    advice: Recommendation | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not any(f.error for f in self.fields)

    @property
    def all_errors(self) -> dict[str, str]:
        return {**self.errors, **{f.param: f.error for f in self.fields if f.error}}

    @property
    def recommendation(self) -> Recommendation | None:
        """The matrix's advice for the needs, also when a framework or template was chosen
        (the page shows what the choice overrides)."""
        if self.choice.recommendation is not None:
            return self.choice.recommendation
        return self.advice


class Service:
    """The server's configuration and its one way from a request to a checked decision."""

    def __init__(self, settings: Config, *, trust: bool = False) -> None:
        self.settings = settings
        self.trust = trust
        self.matrix = matrix_for(settings)
        self.frameworks = frameworks(settings)
        self._templates: dict[str, Template] = {}
        self._choices: OrderedDict[tuple[object, ...], Choice] = OrderedDict()
        self._evaluators: dict[str, Evaluator] = {}
        self._lock = threading.RLock()
        self._checkouts = Path(tempfile.mkdtemp(prefix="pyframe-serve-templates-"))

    def close(self) -> None:
        import shutil

        shutil.rmtree(self._checkouts, ignore_errors=True)

    # --- what is offered ----------------------------------------------------------------------

    def template_names(self) -> tuple[str, ...]:
        """The built-in templates, then the organisation's registered ones."""
        registered = [n for n, e in self.settings.templates.items() if e.source is not None]
        return tuple(dict.fromkeys((*BUILTIN, *registered)))

    def description(self, name: str) -> str:
        entry = self.settings.templates.get(name)
        if entry is not None and entry.description:
            return str(entry.description)
        return f"pyframe's {name.capitalize()} skeleton" if name in BUILTIN else name

    def template(self, name: str) -> Template:
        """A template the server offers, with its questions read (a remote one is fetched once,
        at the version Copier renders, to read them)."""
        if name not in self.template_names():
            raise Refused(
                f"unknown template {name!r}: this server offers {', '.join(self.template_names())}",
                field="template",
            )
        with self._lock:
            if name not in self._templates:
                found = resolve(name, self.settings.templates)
                if not found.questions and is_remote(found.source):
                    folder = Path(tempfile.mkdtemp(dir=self._checkouts))
                    read = checkout(found, folder, found.pin)
                    found = replace(found, questions=read.questions, settings=read.settings)
                self._templates[name] = found
            return self._templates[name]

    def allowed(self, template: Template) -> bool:
        return self.trust or template.builtin or not template.runs_code

    # --- a request ----------------------------------------------------------------------------

    def decide(self, starter: Starter, *, lenient: bool = False) -> Decision:
        """The checks ``pyframe new`` makes before asking anything, then the choice of template
        and the template's questions checked against the request's answers.

        ``lenient`` (the page): answers to questions the chosen template does not ask are
        dropped instead of refused, so answers carry over when the person switches templates.
        """
        self._check_words(starter)
        if starter.framework is not None and starter.template is not None:
            raise Refused("give a framework or a template, not both", field="framework")
        if starter.framework is not None and starter.framework not in self.frameworks:
            raise Refused(
                f"framework: unknown {starter.framework!r}; choose one of "
                f"{', '.join(self.frameworks)}",
                field="framework",
            )
        if starter.template is not None:
            self.template(starter.template)  # refuses a name the server does not offer
        errors: dict[str, str] = {}
        try:
            # The name checks of ``pyframe new`` (the framework was checked above, against the
            # same list). Renders go to per-request scratch folders: the destination checked
            # here is one that never exists, inside the server's private folder.
            check_early(
                starter.name,
                self._checkouts / "no-such-folder",
                self.settings,
                template=starter.template,
            )
        except PyframeError as exc:
            if exc.field not in (None, "name", "package_name"):
                raise Refused(exc.message, field=exc.field) from None
            errors["name"] = exc.message
        choice = self._choose(starter)
        if not self.allowed(choice.template):
            raise Refused(
                f"template {choice.template.name!r} runs its own code (tasks, migrations or "
                "Jinja extensions); this server was started without --trust, so it does not "
                "render it",
                status=403,
                field="template",
            )
        return self.check(starter, choice, errors, lenient=lenient)

    def _choose(self, starter: Starter) -> Choice:
        """``core.choose``, remembered: it depends only on the needs and the choice of template
        (not on the name or the answers), and reads ``copier.yml`` and the matrix each time, so
        the page's many checks of one set of needs pay for it once."""
        key = (starter.as_needs, starter.framework, starter.template)
        with self._lock:
            if key in self._choices:
                self._choices.move_to_end(key)
                return self._choices[key]
        choice = choose(
            starter.as_needs, self.settings, framework=starter.framework, template=starter.template
        )
        if choice.template.name in self.template_names():
            choice = replace(choice, template=self.template(choice.template.name))
        with self._lock:
            self._choices[key] = choice
            while len(self._choices) > CHOICES_KEPT:
                self._choices.popitem(last=False)
        return choice

    def evaluator(self, template: Template) -> Evaluator:
        """One evaluator per offered template: it compiles the template's Jinja once."""
        with self._lock:
            if template.name not in self._evaluators:
                self._evaluators[template.name] = Evaluator(template, trusted=self.trust)
            return self._evaluators[template.name]

    def check(
        self, starter: Starter, choice: Choice, errors: dict[str, str], *, lenient: bool = False
    ) -> Decision:
        """The template's questions against the request's answers, gathered in ``pyframe
        new``'s order of precedence (``answers.gather``): each field's value, whether ``when:``
        shows it, and the message of the check it fails (its type, its choices, its validator)."""
        template = choice.template
        by_name = {q.name: q for q in template.questions}
        unknown = sorted(set(starter.data) - set(by_name))
        if unknown and lenient:
            kept = {k: v for k, v in starter.data.items() if k in by_name}
            starter = replace(starter, data=kept)
        elif unknown:
            raise Refused(
                f"template {template.name!r} has no question {', '.join(unknown)}; its "
                f"questions are {', '.join(by_name) or 'not known'}",
                field="data",
            )
        field_errors: dict[str, str] = {}
        given: dict[str, Any] = {}
        for name, values in starter.data.items():
            try:
                given[name] = _cast(by_name[name], values)
            except PyframeError as exc:
                field_errors[name] = exc.message
        package = None
        if template.builtin and "name" not in errors:
            try:
                package = validate_project_name(starter.name)
            except PyframeError as exc:
                errors["name"] = exc.message
        answers = gather(
            template,
            project_name=starter.name,
            package_name=package,
            data=given,
            answers_file={},
            suggested=choice.suggested,
            organisation=self.settings.defaults,
        )
        context = {**answers.defaults, **answers.data}
        checked = self.evaluator(template).check(context)
        fields = []
        for question in template.questions:
            name = question.name
            error = field_errors.get(name) or checked.errors.get(name, "")
            if name == "project_name" and error and "name" not in errors:
                errors["name"] = error  # the project name is the form's "name" field
            value = checked.answers.get(name, context.get(name, _plain(question.default)))
            fields.append(
                Field(
                    question=question,
                    param=data_param(name),
                    value=starter.data[name][-1] if name in field_errors else value,
                    shown=name in checked.shown,
                    given=name in starter.data,
                    error=error if name in checked.shown or name in field_errors else "",
                )
            )
        advice = None
        if choice.recommendation is None:
            advice = recommend(starter.as_needs, self.matrix)
        return Decision(
            starter=starter,
            choice=choice,
            fields=tuple(fields),
            errors=errors,
            given=given,
            advice=advice,
        )

    def recommendation(self, starter: Starter) -> Recommendation:
        self._check_words(starter)
        return recommend(starter.as_needs, self.matrix)

    def _check_words(self, starter: Starter) -> None:
        """Words the matrix does not know, said as a form would (the core names CLI flags)."""
        vocabulary = self.matrix.vocabulary
        for dimension, words in (
            ("kind", [starter.kind]),
            ("need", list(starter.needs)),
            ("team", [starter.team]),
            ("scale", [starter.scale]),
        ):
            for word in words:
                if word is not None and word not in vocabulary[dimension]:
                    raise Refused(
                        f"{dimension}: unknown {word!r}; choose one of "
                        f"{', '.join(vocabulary[dimension])}",
                        field=dimension,
                    )


def _cast(question: Question, values: tuple[str, ...]) -> Any:
    """A form's strings as the question's answer; a value outside its choices is refused."""
    if question.multiselect:
        raw: Any = [v for v in values if v != ""]
        if len(raw) == 1 and "," in raw[0]:
            raw = raw[0]
    else:
        raw = values[-1] if values else ""
    try:
        value = cast_answer(question, raw)
    except PyframeError:
        raise
    except Exception as exc:  # a json/yaml answer that does not parse (yaml.YAMLError)
        raise PyframeError(
            f"not a valid {question.type}: {str(exc).splitlines()[0] if str(exc) else exc!r}",
            field=f"data.{question.name}",
        ) from None
    if question.choices:
        allowed = list(question.choices)
        for item in value if question.multiselect else [value]:
            if item not in allowed:
                shown = ", ".join(_text(choice) for choice in allowed)
                raise PyframeError(
                    f"{_text(item)!r} is not one of the choices ({shown})",
                    field=f"data.{question.name}",
                )
    return value


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _plain(default: Any) -> Any:
    """A default worth showing: a Jinja expression is shown empty until it can be evaluated."""
    if isinstance(default, str) and ("{{" in default or "{%" in default):
        return ""
    return default
