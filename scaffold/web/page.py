"""What the server shows: the page and its fragments (Jinja, autoescaped), the JSON shapes,
and the text ``curl`` gets.

The page works without JavaScript (every button is a plain form submission and the server
renders the result); ``static/app.js`` only fetches the same fragments to update the page in
place as answers change.
"""

from __future__ import annotations

import functools
import stat
from pathlib import Path
from typing import Any

from starlette.requests import Request

from ..questions import show
from .build import Tree
from .params import DEFAULT_NAME, PAGE_ONLY, RESERVED, Starter, data_param
from .service import Decision, Field, Refused, Service

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
FRAGMENTS = ("recommendation", "questions", "files", "file")
#: Longest file shown in Explore; the archive has it whole.
MAX_PREVIEW = 256 * 1024


@functools.cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(HERE / "pages"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["show"] = _shown
    env.filters["octal"] = lambda mode: f"{stat.S_IMODE(mode):04o}"
    return env


def wants_html(request: Request) -> bool:
    """A browser asks for HTML; ``curl``, ``wget`` and scripts get text or JSON."""
    agent = request.headers.get("user-agent", "").lower()
    if agent.startswith(("curl/", "wget/", "httpie/", "python-requests/", "python-urllib/")):
        return False
    return "text/html" in request.headers.get("accept", "")


def base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


# --- the page --------------------------------------------------------------------------------


def page(
    request: Request,
    service: Service,
    decision: Decision,
    tree: Tree | None = None,
    path: str | None = None,
    error: Refused | None = None,
) -> str:
    return str(
        _environment()
        .get_template("page.html")
        .render(**_context(request, service, decision, tree, path, error))
    )


def error_page(
    request: Request, service: Service, error: Refused, decision: Decision | None
) -> str:
    """The page again, with the error at the top and each field's message beside it."""
    if decision is None:
        try:
            decision = service.decide(_starter(request), lenient=True)
        except Exception:  # the request itself is the problem: show a fresh page
            decision = service.decide(Starter())
    return page(request, service, decision, error=error)


def _starter(request: Request) -> Starter:
    from .params import parse

    return parse(request.query_params.multi_items())


def fragment(
    request: Request,
    service: Service,
    part: str,
    decision: Decision,
    tree: Tree | None = None,
    path: str | None = None,
) -> str:
    context = _context(request, service, decision, tree, path, None)
    return str(_environment().get_template(f"_{part}.html").render(**context))


def error_fragment(error: Refused) -> str:
    template = _environment().from_string(
        '<p class="error" role="alert">{{ message }}</p>\n'
        "{% if errors %}<ul>{% for k, v in errors.items() %}<li>{{ k }}: {{ v }}</li>"
        "{% endfor %}</ul>{% endif %}"
    )
    return str(template.render(message=error.message, errors=error.errors))


def _context(
    request: Request,
    service: Service,
    decision: Decision,
    tree: Tree | None,
    path: str | None,
    error: Refused | None,
) -> dict[str, Any]:
    starter = decision.starter
    matrix = service.matrix
    entry = tree.file(path) if tree is not None and path else None
    errors = {**decision.all_errors, **(error.errors if error else {})}
    if error is not None and error.field and error.field not in errors:
        errors[error.field] = error.message
    return {
        "starter": starter,
        "decision": decision,
        "recommendation": decision.recommendation,
        "template": decision.choice.template,
        "fields": decision.fields,
        "errors": errors,
        "error": error,
        "matrix": matrix,
        "descriptions": matrix.descriptions,
        "vocabulary": matrix.vocabulary,
        "frameworks": matrix.frameworks,
        "registered": [n for n in service.template_names() if n not in matrix.frameworks],
        "service": service,
        "share": share_link(request, decision),
        "query": share_query(decision),
        "tree": tree,
        "folders": _folders(tree) if tree is not None else [],
        "entry": entry,
        "preview": _preview(entry.data) if entry is not None else None,
        "base": base(request),
        "default_name": DEFAULT_NAME,
    }


def share_query(decision: Decision) -> str:
    """The query that restores every answer: the needs, the choice, and the answers given."""
    given = {f.question.name: f.value for f in decision.fields if f.given}
    return decision.starter.query(given)


def share_link(request: Request, decision: Decision) -> str:
    return f"{base(request)}/?{share_query(decision)}"


def _folders(tree: Tree) -> list[tuple[str, list[Any]]]:
    """The files grouped by folder, in order, for the Explore list."""
    groups: dict[str, list[Any]] = {}
    for entry in tree.files:
        folder, _, _ = entry.path.rpartition("/")
        groups.setdefault(folder, []).append(entry)
    return sorted(groups.items())


def _preview(data: bytes) -> str | None:
    """A file's text, or None when it is not UTF-8 text."""
    try:
        text = data[:MAX_PREVIEW].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text + ("\n[... cut: the archive has the whole file]" if len(data) > MAX_PREVIEW else "")


def _shown(value: Any) -> str:
    return "" if value is None else show(value)


# --- JSON --------------------------------------------------------------------------------------


def metadata(request: Request, service: Service) -> dict[str, Any]:
    """Everything a script or an IDE needs to build a request: the needs' words, the templates
    with their questions and defaults, and the parameters."""
    matrix = service.matrix
    templates = []
    for name in service.template_names():
        template = service.template(name)
        templates.append(
            {
                "name": name,
                "description": service.description(name),
                "builtin": template.builtin,
                "version": template.version,
                "runs_code": template.runs_code,
                "available": service.allowed(template),
                "questions": [_question(q) for q in template.questions],
            }
        )
    return {
        "name": {"default": DEFAULT_NAME},
        "frameworks": list(matrix.frameworks),
        "vocabulary": {
            dimension: [
                {"id": word, "description": matrix.descriptions[dimension].get(word, "")}
                for word in words
            ]
            for dimension, words in matrix.vocabulary.items()
        },
        "templates": templates,
        "defaults": dict(service.settings.defaults),
        "parameters": {
            "reserved": list(RESERVED),
            "page_only": list(PAGE_ONLY),
            "answers": "any template question by its name, or data.NAME for a reserved name; "
            "a multiselect is repeated or comma-separated",
        },
        "links": {
            "zip": f"{base(request)}/starter.zip",
            "tar.gz": f"{base(request)}/starter.tar.gz",
            "recommend": f"{base(request)}/api/recommend",
            "check": f"{base(request)}/api/check",
            "files": f"{base(request)}/api/files",
            "file": f"{base(request)}/api/file",
        },
    }


def _question(question: Any) -> dict[str, Any]:
    default = question.default
    templated = isinstance(default, str) and ("{{" in default or "{%" in default)
    return {
        "name": question.name,
        "param": data_param(question.name),
        "type": question.type,
        "help": question.help,
        "default": None if templated else default,
        "default_expression": default if templated else None,
        "required": not question.has_default,
        "choices": list(question.choices),
        "multiselect": question.multiselect,
        "secret": question.secret,
        "when": question.when if isinstance(question.when, (bool, str)) else bool(question.when),
    }


def check_json(request: Request, decision: Decision) -> dict[str, Any]:
    choice = decision.choice
    return {
        "ok": decision.ok,
        "name": decision.starter.name,
        "template": choice.template.name,
        "framework": choice.framework,
        "routed": choice.routed,
        "recommendation": decision.recommendation.to_dict() if decision.recommendation else None,
        "fields": [_field(f) for f in decision.fields],
        "errors": decision.all_errors,
        "share": share_link(request, decision),
    }


def _field(item: Field) -> dict[str, Any]:
    return {
        "name": item.question.name,
        "param": item.param,
        "value": item.value,
        "shown": item.shown,
        "given": item.given,
        "error": item.error,
    }


def files_json(tree: Tree) -> dict[str, Any]:
    return {
        "name": tree.name,
        "template": tree.template,
        "answers": dict(tree.answers),
        "files": [
            {
                "path": e.path,
                "size": len(e.data),
                "mode": f"{stat.S_IMODE(e.mode):04o}",
                **({"link": e.target} if e.is_link else {}),
            }
            for e in tree.files
        ],
    }


def file_json(tree: Tree, path: str) -> dict[str, Any]:
    entry = tree.file(path)
    assert entry is not None
    text = _preview(entry.data)
    return {
        "path": path,
        "size": len(entry.data),
        "mode": f"{stat.S_IMODE(entry.mode):04o}",
        "text": text,
        "binary": text is None,
    }


# --- curl --------------------------------------------------------------------------------------


def text_help(request: Request, service: Service) -> str:
    """What ``curl http://HOST/`` prints: how to get a project without the page."""
    here = base(request)
    matrix = service.matrix
    lines = [
        "pyframe: start a Django, FastAPI or Flask project",
        "",
        "Download a project:",
        f"  curl -o svc.zip '{here}/starter.zip?name=svc&framework=fastapi&database=postgresql'",
        f"  curl '{here}/starter.tar.gz?name=svc&kind=api&need=async' | tar -xzf -",
        "",
        "Parameters (all optional; name defaults to demo):",
        "  name        the project name (also its folder in the archive)",
        f"  kind        {', '.join(matrix.vocabulary['kind'])}",
        f"  need        repeatable or comma-separated: {', '.join(matrix.vocabulary['need'])}",
        f"  team        {', '.join(matrix.vocabulary['team'])}",
        f"  scale       {', '.join(matrix.vocabulary['scale'])}",
        f"  framework   {', '.join(matrix.frameworks)} (default: the recommendation)",
        f"  template    {', '.join(service.template_names())}",
        "  QUESTION    any question of the template, e.g. database=postgresql",
        "",
        "Templates and their questions:",
    ]
    for name in service.template_names():
        template = service.template(name)
        lines.append(f"  {name}: {', '.join(q.name for q in template.questions)}")
    lines += [
        "",
        f"Why a framework:  curl '{here}/api/recommend?kind=api&need=async'",
        f"Check answers:    curl '{here}/api/check?name=svc&framework=flask&flavour=web'",
        f"Everything, JSON: curl {here}/api/metadata",
        "",
    ]
    return "\n".join(lines)
