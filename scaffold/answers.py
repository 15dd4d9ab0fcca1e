"""Answers to a template's questions, gathered from every place a person can give them.

Order of precedence, strongest first (this is the one place it is decided):

1. ``--data KEY=VALUE`` flags;
2. ``--answers-file FILE`` (a YAML mapping, e.g. another project's ``.copier-answers.yml``);
3. the project name given to ``pyframe new`` (``project_name``; for a built-in template also the
   ``package_name`` derived from it, by pyframe's one package-name rule; any other template's own
   default and validator decide its other answers);
4. defaults suggested by what the person needs (the decision matrix's ``suggest`` table);
5. the organisation's defaults (``[defaults]`` of ``pyframe.toml``);
6. the template's own defaults.

1-3 are *data*: Copier does not ask them again. 4 and 5 only change a question's default, so a
person at a terminal still sees it and may change it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PyframeError
from .templates import Question, Template


@dataclass(frozen=True)
class Answers:
    """What to hand to Copier: forced answers and changed defaults."""

    data: Mapping[str, Any] = field(default_factory=dict)
    defaults: Mapping[str, Any] = field(default_factory=dict)


def parse_data(pairs: Iterable[str]) -> dict[str, str]:
    """Parse repeated ``--data KEY=VALUE`` flags; Copier casts each value to its type."""
    data: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise PyframeError(f"{{@data}} expects KEY=VALUE, got {pair!r}", field="data")
        data[key.strip()] = value
    return data


def load_answers_file(path: Path) -> dict[str, Any]:
    """Read a YAML answers file; Copier's private ``_`` keys are ignored."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PyframeError(
            f"{{@answers_file}}: {path} does not exist", field="answers_file"
        ) from None
    except UnicodeDecodeError:
        raise PyframeError(
            f"{{@answers_file}}: {path} is not UTF-8 text", field="answers_file"
        ) from None
    except OSError as exc:
        raise PyframeError(
            f"{{@answers_file}}: cannot read {path}: {exc.strerror}", field="answers_file"
        ) from None
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise PyframeError(f"{{@answers_file}}: {where}: {problem}", field="answers_file") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise PyframeError(
            f"{{@answers_file}}: {path} must be a mapping of question: answer", field="answers_file"
        )
    return {str(k): v for k, v in loaded.items() if not str(k).startswith("_")}


def gather(
    template: Template,
    *,
    project_name: str | None,
    package_name: str | None,
    data: Mapping[str, Any],
    answers_file: Mapping[str, Any],
    suggested: Mapping[str, Any],
    organisation: Mapping[str, Any] | None = None,
) -> Answers:
    """Combine every source of answers in the documented order of precedence."""
    known = {q.name for q in template.questions}
    _check_known("{@answers_file}", answers_file, template, known)
    _check_known("{@data}", data, template, known)
    forced: dict[str, Any] = {}
    if project_name is not None and (not known or "project_name" in known):
        forced["project_name"] = project_name
    if package_name is not None and template.builtin and "package_name" in known:
        forced["package_name"] = package_name
    forced.update(answers_file)
    forced.update(data)
    # Cast to each question's type here (a multiselect given as "a,b" included): Copier reads a
    # string answer to a multiselect only as a YAML list.
    by_name = {q.name: q for q in template.questions}
    forced = {k: cast_answer(by_name[k], v) if k in by_name else v for k, v in forced.items()}
    # The matrix's suggestions are written for the built-in templates' questions; the
    # organisation's defaults are meant for every template, so a template whose questions are
    # not known here (a git URL) gets them all and Copier applies those it asks.
    defaults = {k: v for k, v in (organisation or {}).items() if k in known or not known}
    defaults.update((k, v) for k, v in suggested.items() if k in known)
    return Answers(data=forced, defaults={k: v for k, v in defaults.items() if k not in forced})


def _check_known(
    origin: str, given: Mapping[str, Any], template: Template, known: set[str]
) -> None:
    """Refuse answers to questions the template does not ask (typos would be silently ignored)."""
    if not known:  # a remote template: its questions are only known to Copier
        return
    unknown = sorted(set(given) - known)
    if unknown:
        raise PyframeError(
            f"{origin}: template {template.name!r} has no question "
            f"{', '.join(repr(u) for u in unknown)}; its questions are {', '.join(sorted(known))}"
        )


_TRUE = frozenset({"y", "yes", "t", "true", "on"})
_FALSE = frozenset({"n", "no", "f", "false", "off", "~", "null", "none", ""})


def cast_answer(question: Question, value: Any) -> Any:
    """``value`` as the answer Copier would record for ``question`` (``--data`` gives strings).

    ``int``, ``float``, ``bool``, ``json`` and ``yaml`` questions get their type; a multiselect
    takes a YAML list (``[a, b]``) or comma-separated values (``a,b``) and keeps its choices'
    order.
    """
    if question.multiselect:
        items = _as_list(value)
        cast = [_cast_one(question, item) for item in items]
        order = {_key(choice): index for index, choice in enumerate(question.choices)}
        return sorted(cast, key=lambda item: order.get(_key(item), len(order)))
    return _cast_one(question, value)


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return list(value)
    text = str(value).strip()
    if text.startswith("["):
        import yaml

        try:
            loaded = yaml.safe_load(text)
        except yaml.YAMLError:
            loaded = None
        if isinstance(loaded, list):
            return loaded
    return [part.strip() for part in text.split(",") if part.strip()]


def _cast_one(question: Question, value: Any) -> Any:
    kind = question.type
    try:
        if kind == "int":
            return value if isinstance(value, int) and not isinstance(value, bool) else int(value)
        if kind == "float":
            return float(value)
        if kind == "bool":
            return _to_bool(value)
        if kind in ("json", "yaml") and isinstance(value, str):
            import yaml

            try:
                return yaml.safe_load(value)
            except yaml.YAMLError as exc:
                raise ValueError(str(exc)) from exc
    except (TypeError, ValueError) as exc:
        raise PyframeError(
            f"{question.name}={value!r} is not a valid {kind}", field=f"data.{question.name}"
        ) from exc
    if kind == "str" and not isinstance(value, str):
        return str(value)
    return value


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    try:
        return bool(float(text))
    except ValueError:
        raise ValueError(f"not a yes/no value: {value!r}") from None


def _key(value: Any) -> str:
    return repr(value)
