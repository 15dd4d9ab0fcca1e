"""What ``pyframe new`` does, as two typed calls any front end makes: ``choose``, then ``create``.

``choose`` decides which template to render and why: a template named outright, an
organisation's routing of what is being built (``[matrix.kind]``), the decision matrix's
recommendation, then the organisation's routing of the winning framework (``[matrix.use]``).
``create`` gathers the answers in their one order of precedence and renders. Neither prompts
nor prints: the CLI asks (``interview``) and prints; a web front end would show the same
results in a page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config, matrix_for
from .errors import PyframeError
from .matrix import (
    Matrix,
    Needs,
    Reason,
    Recommendation,
    check_needs,
    gaps,
    recommend,
    suggested_answers,
)
from .names import validate_folder_name, validate_package_name, validate_project_name
from .render import Rendered, check_destination, check_trusted, preview, render
from .templates import BUILTIN, Template, at_version, resolve

#: A front end's prompts for a template's questions: (template, answers so far, defaults) ->
#: every answer.
Ask = Callable[[Template, Mapping[str, Any], Mapping[str, Any]], Mapping[str, Any]]

#: A front end's prompts for what is built: (matrix, needs known so far) -> the needs.
AskNeeds = Callable[[Matrix, Needs], Needs]


@dataclass(frozen=True)
class Choice:
    """Which template to render, and why."""

    template: Template
    #: The framework given or recommended (None when a template was named or routed by kind).
    framework: str | None = None
    #: The matrix's decision, when it was asked.
    recommendation: Recommendation | None = None
    #: Why the organisation's configuration sent this to its own template, as the end of the
    #: sentence "Using template NAME..." ("" when it did not).
    routed: str = ""
    #: Template answers the needs imply (``--need websockets`` -> ``websockets=True``).
    suggested: Mapping[str, Any] = field(default_factory=dict)
    #: What the chosen skeleton will not have of what was asked for, and what to add (in a
    #: recommendation these are among its reasons already).
    gaps: tuple[Reason, ...] = ()


def frameworks(settings: Config) -> tuple[str, ...]:
    """Every framework ``--framework`` accepts: the built-in ones and the matrix's own."""
    return tuple(dict.fromkeys((*BUILTIN, *matrix_for(settings).frameworks)))


def check_early(
    name: str,
    destination: Path | None,
    settings: Config,
    *,
    framework: str | None = None,
    template: str | None = None,
    force: bool = False,
) -> None:
    """The checks that can fail before anything is asked: the name, the destination (when
    there is one), the framework. A built-in skeleton's package name is checked here too when
    nothing can route the project elsewhere."""
    validate_folder_name(name)
    if destination is not None:  # a web front end writes no folder
        check_destination(destination.absolute(), force)
    if framework is not None and template is not None:
        raise PyframeError(
            "{@framework} and {@template} exclude each other: give one", field="framework"
        )
    if framework is not None and framework not in frameworks(settings):
        raise PyframeError(
            f"unknown {{@framework}} {framework!r}: "
            f"choose one of {', '.join(frameworks(settings))}",
            field="framework",
        )
    routes = settings.kind_templates or settings.framework_templates
    if template in (None, *BUILTIN) and not routes:
        validate_project_name(name)


def choose(
    needs: Needs,
    settings: Config,
    *,
    framework: str | None = None,
    template: str | None = None,
    ask_needs: AskNeeds | None = None,
) -> Choice:
    """Decide what to render: ``template`` if named, else the organisation's route for the
    kind, else ``framework`` (given, or recommended from ``needs``), routed by the organisation
    to its own template if it says so.

    ``ask_needs`` is how a front end asks what is built when nothing was said: called (with the
    matrix, for its vocabulary) only when ``needs`` is empty and nothing is named.
    """
    matrix = matrix_for(settings)
    if ask_needs is not None and needs.is_empty() and framework is None and template is None:
        needs = ask_needs(matrix, needs)
    check_needs(needs, matrix)
    if template is not None:
        return Choice(resolve(template, settings.templates))
    if framework is None:
        by_kind = settings.routed("kind", needs.kind)
        if by_kind is not None:
            name, where = by_kind
            routed = f": your configuration maps --kind {needs.kind} to it ({where})"
            return Choice(resolve(name, settings.templates), routed=routed)
    recommendation = None
    if framework is None:
        recommendation = recommend(needs, matrix)
        framework = recommendation.framework
    known = framework in matrix.frameworks
    suggested = suggested_answers(needs, framework, matrix) if known else {}
    missing = gaps(needs, framework, matrix) if known else ()
    by_framework = settings.routed("use", framework)
    if by_framework is not None:
        name, where = by_framework
        return Choice(
            resolve(name, settings.templates),
            framework=framework,
            recommendation=recommendation,
            routed=f" for {framework}, as your configuration says ({where})",
            suggested=suggested,
        )
    return Choice(
        resolve(framework, settings.templates),
        framework=framework,
        recommendation=recommendation,
        suggested=suggested,
        gaps=missing,
    )


def create(
    choice: Choice,
    name: str,
    settings: Config,
    *,
    output: Path | None = None,
    data: Mapping[str, Any] | None = None,
    answers_file: Mapping[str, Any] | None = None,
    interactive: bool = False,
    force: bool = False,
    trust: bool = False,
    vcs_ref: str | None = None,
    dry_run: bool = False,
    ask: Ask | None = None,
) -> Rendered:
    """Render the chosen template as project ``name`` into ``output`` (default ``./name``).

    Answers, strongest first: ``data``, ``answers_file``, the name, the needs' suggestions, the
    organisation's defaults, the template's own (``answers.gather``). ``dry_run`` renders into a
    throw-away folder and runs no task. When ``interactive``, ``ask`` (the front end's prompts)
    is given the template, the answers so far and the defaults, and returns every answer;
    without it Copier asks in its own way.
    """
    from .answers import gather

    forced = dict(data or {})
    chosen = choice.template
    with at_version(chosen, vcs_ref or chosen.pin) as (chosen, ref):
        package = None
        if chosen.builtin:  # pyframe's own templates share its package-name rule
            package = validate_project_name(name)
            if "package_name" in forced:
                package = validate_package_name(str(forced["package_name"]))
        answers = gather(
            chosen,
            project_name=name,
            package_name=package,
            data=forced,
            answers_file=answers_file or {},
            suggested=choice.suggested,
            organisation=settings.defaults,
        )
        data = answers.data
        check_trusted(chosen, trust)  # before any question: asking evaluates its Jinja
        if interactive and ask is not None and chosen.questions:
            data, interactive = ask(chosen, answers.data, answers.defaults), False
        common: dict[str, Any] = {
            "data": data,
            "user_defaults": answers.defaults,
            "interactive": interactive,
            "trust": trust,
            "vcs_ref": ref,
        }
        if dry_run:
            return preview(chosen, **common)
        return render(chosen, output or Path(name), force=force, **common)
