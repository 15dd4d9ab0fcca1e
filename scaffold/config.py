"""An organisation's (or a user's) pyframe configuration: one TOML file.

pyframe reads **one** file, the first it finds, and never merges files with each other, so what a
run does can always be explained by a single file:

1. ``--config FILE`` (the CLI passes it; a file that does not exist is an error);
2. ``./pyframe.toml`` in the current directory;
3. ``pyframe.toml`` in the user's config folder (``platformdirs.user_config_path("pyframe")``:
   ``$XDG_CONFIG_HOME/pyframe/`` or ``~/.config/pyframe/`` on Linux).

No file at all is fine: pyframe then uses its built-in templates and matrix. The format::

    # answers applied to every template that asks the question (a template that does not ask it
    # ignores it); values are strings, integers, floats or booleans
    [defaults]
    author_name = "Acme Platform Team"
    author_email = "platform@acme.example"
    python_version = "3.12"
    ci = "gitlab"

    # registered templates: `pyframe new svc --template acme-api`. Names are lowercase:
    # [a-z0-9][a-z0-9._-]*
    [templates.acme-api]
    source = "gh:acme/pyframe-fastapi"      # a git URL, gh:/gl: shortcut, or a path (a relative
                                            # path is relative to this file's folder)
    vcs_ref = "v2.3.0"                       # optional: pin the version
    description = "Acme's FastAPI service"   # optional

    # pinning a built-in (django, fastapi, flask): only vcs_ref and description, no source
    [templates.fastapi]
    vcs_ref = "v0.1.0"

    # the decision matrix
    [matrix]
    file = "acme-matrix.toml"   # optional: replaces the built-in matrix (same format as
                                # scaffold/matrix.toml); relative to this file's folder
    [matrix.bonus]              # optional: points added to a framework in every recommendation
    fastapi = 3
    [matrix.kind]               # optional: a --kind goes straight to this template, no scoring
    api = "acme-api"
    [matrix.use]                # optional: the template rendered when a framework wins
    fastapi = "acme-api"

Unknown keys are refused, so a typo is an error and not a silent no-op. Every problem is a
:class:`PyframeError` of one line, ``<file>:<line>: <what was expected>``. tomllib reports lines
only for syntax errors, so for the rest the line is found by scanning the text for the table
header or key (:func:`_line_index`); the scan is deliberately simple (it does not understand
multi-line strings or arrays) and, when it finds nothing, the message names the file alone.

:func:`load_config` only reads and checks this one small file, so every command can afford it;
it must import nothing heavy (no copier, jinja2, yaml, rich or questionary). Whatever needs the
matrix (which framework and kind names exist) is checked by :func:`matrix_for`, which loads it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NoReturn

import platformdirs

from . import tomlfile
from .errors import PyframeError
from .matrix import Matrix, Rule, load_matrix
from .templates import BUILTIN, BUILTIN_PREFIX, is_remote

__all__ = [
    "CONFIG_NAME",
    "Config",
    "Registered",
    "config_paths",
    "find_config",
    "load_config",
    "matrix_for",
]

#: The file name pyframe looks for, in the current directory and in the user's config folder.
CONFIG_NAME = "pyframe.toml"

_TOP_LEVEL = ("defaults", "templates", "matrix")
_TEMPLATE_KEYS = ("source", "vcs_ref", "description")
_BUILTIN_KEYS = ("vcs_ref", "description")
_MATRIX_KEYS = ("file", "bonus", "kind", "use")
_TEMPLATE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")
# A TOML key path as the line scan sees it: ("templates", "acme-api", "source").
KeyPath = tuple[str, ...]


# --- Data classes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Registered:
    """A ``[templates.<name>]`` entry: a template of the organisation's, or a pinned built-in.

    ``source`` is ``None`` for a pinned built-in; a relative path is already made absolute
    against the configuration file's folder, so the entry means the same from any directory.
    ``origin`` is ``"<file>:<line>"`` of the entry, for messages and ``provenance``.
    """

    name: str
    source: str | None
    vcs_ref: str | None
    description: str
    origin: str


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Config:
    """The configuration in effect. ``Config()`` is pyframe's built-in one (no file found).

    ``origins`` maps a dotted key (``"defaults.author_name"``, ``"templates.acme-api.source"``,
    ``"matrix.bonus"``) to the ``"<file>:<line>"`` it came from, so later checks
    (:func:`matrix_for`) and :meth:`provenance` can point at the line.
    """

    path: Path | None = None
    defaults: Mapping[str, Any] = field(default_factory=_empty)
    templates: Mapping[str, Registered] = field(default_factory=_empty)
    matrix_file: Path | None = None
    bonus: Mapping[str, int] = field(default_factory=_empty)
    kind_templates: Mapping[str, str] = field(default_factory=_empty)
    framework_templates: Mapping[str, str] = field(default_factory=_empty)
    origins: Mapping[str, str] = field(default_factory=_empty, repr=False, compare=False)

    def origin(self, key: str) -> str:
        """Where ``key`` was set: ``"<file>:<line>"``, the file alone, or ``"built-in"``."""
        if key in self.origins:
            return self.origins[key]
        return str(self.path) if self.path is not None else "built-in"

    def pins(self) -> dict[str, str]:
        """Pinned versions by the source a project records: ``pyframe:<name>`` for a built-in,
        the registered source otherwise (what ``pyframe update`` matches layers against)."""
        pinned: dict[str, str] = {}
        for name, entry in self.templates.items():
            if entry.vcs_ref:
                source = f"{BUILTIN_PREFIX}{name}" if entry.source is None else entry.source
                pinned[source] = entry.vcs_ref
        return pinned

    def routed(self, section: Literal["kind", "use"], key: str | None) -> tuple[str, str] | None:
        """The template ``[matrix.<section>]`` sends ``key`` to, and the ``file:line`` saying so.

        ``kind`` routes what is being built (``--kind``), before any recommendation; ``use``
        routes the framework that was given or recommended.
        """
        table = self.kind_templates if section == "kind" else self.framework_templates
        if key is None or key not in table:
            return None
        return table[key], self.origin(f"matrix.{section}.{key}")

    def provenance(self) -> list[tuple[str, Any, str]]:
        """Every setting in effect as ``(dotted key, value, origin)``, built-in ones included.

        This is what ``pyframe config`` shows, so someone can tell why a run did what it did.
        Built-in values have origin ``"built-in"``; a built-in template's source is shown as
        ``"built-in"`` and the built-in matrix as ``"built-in matrix"``.
        """
        rows: list[tuple[str, Any, str]] = []
        for key, value in self.defaults.items():
            rows.append((f"defaults.{key}", value, self.origin(f"defaults.{key}")))
        for name in BUILTIN:
            rows.append((f"templates.{name}.source", "built-in", "built-in"))
            if name in self.templates:
                rows += self._template_rows(self.templates[name])
        for name, registered in self.templates.items():
            if name not in BUILTIN:
                source_key = f"templates.{name}.source"
                rows.append((source_key, registered.source, self.origin(source_key)))
                rows += self._template_rows(registered)
        if self.matrix_file is None:
            rows.append(("matrix.file", "built-in matrix", "built-in"))
        else:
            rows.append(("matrix.file", str(self.matrix_file), self.origin("matrix.file")))
        for section, values in (
            ("bonus", self.bonus),
            ("kind", self.kind_templates),
            ("use", self.framework_templates),
        ):
            for key, value in values.items():
                dotted = f"matrix.{section}.{key}"
                rows.append((dotted, value, self.origin(dotted)))
        return rows

    def _template_rows(self, registered: Registered) -> list[tuple[str, Any, str]]:
        """The optional settings of one ``[templates.<name>]`` entry that the file gave."""
        rows: list[tuple[str, Any, str]] = []
        for key in _BUILTIN_KEYS:
            dotted = f"templates.{registered.name}.{key}"
            if dotted in self.origins:
                rows.append((dotted, getattr(registered, key), self.origins[dotted]))
        return rows


# --- Finding the file ------------------------------------------------------------------------


def config_paths(cwd: Path | None = None) -> list[Path]:
    """Where pyframe looks for its configuration without ``--config``, first match first."""
    here = (cwd if cwd is not None else Path.cwd()).absolute()
    return [here / CONFIG_NAME, platformdirs.user_config_path("pyframe") / CONFIG_NAME]


def find_config(explicit: Path | None = None, cwd: Path | None = None) -> Path | None:
    """The one file to read (absolute), or ``None`` when there is none.

    An explicit ``--config`` must exist: a typo in its path should not silently fall back to
    another file. A relative one is relative to ``cwd`` (the current directory by default).
    A file that is found but broken is not skipped either; reading it reports the problem.
    """
    here = (cwd if cwd is not None else Path.cwd()).absolute()
    if explicit is not None:
        path = here / Path(explicit).expanduser()
        if not path.exists():
            raise PyframeError(f"{path}: no such configuration file (given with {{@config}})")
        return path
    return next((path for path in config_paths(here) if path.exists()), None)


# --- Loading ---------------------------------------------------------------------------------


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> Config:
    """Find, read and check the configuration; ``Config()`` when there is no file.

    Cheap on purpose (one small file, no heavy imports), so every command can call it. The
    checks that need the matrix are in :func:`matrix_for`.
    """
    path = find_config(explicit, cwd)
    if path is None:
        return Config()
    raw, text = tomlfile.load(path, "the configuration file")
    return _Reader(path, text).config(raw)


# --- Finding lines ---------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[?(?P<key>[^\]]*)\]")
_KEY_PART = r"""(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)"""
_ASSIGNMENT = re.compile(rf"^\s*(?P<key>{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_PART = re.compile(r""""([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+)""")


def _parts(dotted: str) -> KeyPath:
    """``'templates."acme-api" '`` -> ``("templates", "acme-api")``."""
    return tuple("".join(groups) for groups in _PART.findall(dotted))


def _line_index(text: str) -> dict[KeyPath, int]:
    """The first line (1-based) of every table header and key, by full key path.

    Each path's prefixes are recorded too, so a table only ever written as ``[matrix.bonus]``
    or through a dotted key still has a line. Good enough for messages: it reads one line at a
    time and does not understand multi-line strings or arrays, which a pyframe.toml has no use
    for.
    """
    index: dict[KeyPath, int] = {}
    table: KeyPath = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        assignment = _ASSIGNMENT.match(line)
        if header is not None:
            table = _parts(header["key"])
            path = table
        elif assignment is not None:
            path = table + _parts(assignment["key"])
        else:
            continue
        for length in range(1, len(path) + 1):
            index.setdefault(path[:length], number)
    return index


def _place(path: KeyPath) -> str:
    """How a message names a key: ``[templates.acme-api] source``, or ``[matrix]`` for a table."""
    if len(path) == 1:
        return f"[{path[0]}]"
    return f"[{'.'.join(path[:-1])}] {path[-1]}"


# --- Checking --------------------------------------------------------------------------------


class _Reader:
    """Turns the parsed TOML of one file into a :class:`Config`, checking as it goes.

    Sections are read in dependency order ([templates] before [matrix], whose template names must
    exist), and every setting's origin is recorded on the way for messages and provenance.
    """

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.folder = path.parent
        self.lines = _line_index(text)
        self.origins: dict[str, str] = {}

    def config(self, raw: dict[str, Any]) -> Config:
        for key in raw:
            if key not in _TOP_LEVEL:
                self.fail(
                    (key,), f"unknown top-level key {key!r} (expected {', '.join(_TOP_LEVEL)})"
                )
        defaults = self.defaults(raw.get("defaults", {}))
        templates = self.templates(raw.get("templates", {}))
        matrix = self.table(raw.get("matrix", {}), ("matrix",))
        self.keys(matrix, ("matrix",), _MATRIX_KEYS)
        return Config(
            path=self.path,
            defaults=MappingProxyType(defaults),
            templates=MappingProxyType(templates),
            matrix_file=self.matrix_file(matrix),
            bonus=MappingProxyType(self.bonus(matrix)),
            kind_templates=MappingProxyType(self.choices(matrix, "kind", templates)),
            framework_templates=MappingProxyType(self.choices(matrix, "use", templates)),
            origins=MappingProxyType(self.origins),
        )

    # Each section ------------------------------------------------------------------------

    def defaults(self, value: object) -> dict[str, Any]:
        where: KeyPath = ("defaults",)
        table = self.table(value, where, "a table of question = answer")
        for question, answer in table.items():
            path = (*where, question)
            if not isinstance(answer, str | int | float | bool):
                expected = "must be a string, integer, float or boolean"
                self.fail(path, f"{_place(path)} {expected}, got {answer!r}")
            self.note(path)
        return dict(table)

    def templates(self, value: object) -> dict[str, Registered]:
        table = self.table(value, ("templates",), "a table of [templates.<name>] entries")
        return {name: self.template(name, entry) for name, entry in table.items()}

    def template(self, name: str, value: object) -> Registered:
        where: KeyPath = ("templates", name)
        if not _TEMPLATE_NAME.fullmatch(name):
            self.fail(
                where,
                f"[templates.{name}] is not a valid template name: use lowercase letters, digits, "
                "'.', '_' and '-', starting with a letter or digit",
            )
        entry = self.table(value, where, "a table (source = ..., vcs_ref = ...)")
        builtin = name in BUILTIN
        if builtin and "source" in entry:
            self.fail(
                (*where, "source"),
                f"[templates.{name}] cannot have a source: {name!r} is a built-in template; pin "
                "it with vcs_ref alone, or register your own template under another name",
            )
        self.keys(entry, where, _BUILTIN_KEYS if builtin else _TEMPLATE_KEYS)
        if not builtin and "source" not in entry:
            self.fail(
                where,
                f"[templates.{name}] needs a source (a path or git URL); only a built-in "
                f"({', '.join(BUILTIN)}) can go without one",
            )
        source = self.optional(entry, where, "source", "a path or git URL")
        vcs_ref = self.optional(entry, where, "vcs_ref", "a git tag, branch or commit")
        description = self.optional(entry, where, "description", "one line")
        return Registered(
            name=name,
            source=None if source is None else self.source(source),
            vcs_ref=vcs_ref,
            description=description or "",
            origin=self.where(where),
        )

    def matrix_file(self, matrix: Mapping[str, object]) -> Path | None:
        if "file" not in matrix:
            return None
        path = ("matrix", "file")
        file = self.text(matrix["file"], path, "the path of a matrix file")
        self.note(path)
        return (self.folder / Path(file).expanduser()).resolve()

    def bonus(self, matrix: Mapping[str, object]) -> dict[str, int]:
        if "bonus" not in matrix:
            return {}
        where: KeyPath = ("matrix", "bonus")
        table = self.table(matrix["bonus"], where, "a table of framework = points")
        self.note(where)
        for framework, points in table.items():
            path = (*where, framework)
            if isinstance(points, bool) or not isinstance(points, int):
                self.fail(path, f"{_place(path)} must be an integer (points), got {points!r}")
            self.note(path)
        return dict(table)

    def choices(
        self, matrix: Mapping[str, object], section: str, registered: Mapping[str, Registered]
    ) -> dict[str, str]:
        """``[matrix.kind]`` or ``[matrix.use]``: word -> the name of a template that exists."""
        where: KeyPath = ("matrix", section)
        table = self.table(matrix.get(section, {}), where, "a table of name = template name")
        others = [name for name in registered if name not in BUILTIN]
        for word, template in table.items():
            path = (*where, word)
            name = self.text(template, path, "a template name")
            if name not in BUILTIN and name not in registered:
                self.fail(
                    path,
                    f"{_place(path)} = {name!r} names no template: expected a built-in "
                    f"({', '.join(BUILTIN)}) or one registered under [templates] "
                    f"({', '.join(others) or 'none registered'})",
                )
            self.note(path)
        return dict(table)

    # Shared checks -------------------------------------------------------------------------

    def source(self, source: str) -> str:
        """A git URL or shortcut as given; a path made absolute against the file's folder."""
        if is_remote(source):
            return source
        return str((self.folder / Path(source).expanduser()).resolve())

    def optional(
        self, table: Mapping[str, object], where: KeyPath, key: str, what: str
    ) -> str | None:
        """An optional one-line string setting, its origin noted when it is there."""
        if key not in table:
            return None
        self.note((*where, key))
        return self.text(table[key], (*where, key), what)

    def keys(self, table: Mapping[str, object], where: KeyPath, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        for key in table:
            if key not in allowed:
                self.fail(
                    (*where, key),
                    f"unknown key {key!r} in [{'.'.join(where)}] (expected {', '.join(allowed)})",
                )

    def table(self, value: object, where: KeyPath, what: str = "a table") -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, f"[{'.'.join(where)}] must be {what}, got {value!r}")
        return value

    def text(self, value: object, where: KeyPath, what: str) -> str:
        if not isinstance(value, str) or not value.strip() or "\n" in value or "\r" in value:
            self.fail(where, f"{_place(where)} must be a string ({what}), got {value!r}")
        return value

    def note(self, path: KeyPath) -> None:
        """Record where ``path`` was set, for :meth:`Config.provenance` and later messages."""
        self.origins[".".join(path)] = self.where(path)

    def where(self, path: KeyPath) -> str:
        """``"<file>:<line>"`` of ``path``, of the nearest enclosing table, or the file alone."""
        for length in range(len(path), 0, -1):
            if path[:length] in self.lines:
                return f"{self.path}:{self.lines[path[:length]]}"
        return str(self.path)

    def fail(self, path: KeyPath, expected: str) -> NoReturn:
        raise PyframeError(f"{self.where(path)}: {expected}")


# --- The matrix in effect --------------------------------------------------------------------


def matrix_for(config: Config) -> Matrix:
    """The matrix a recommendation uses: the built-in one or ``[matrix] file``, plus the bonus.

    This is where ``[matrix.bonus]``, ``[matrix.use]`` and ``[matrix.kind]`` keys are checked,
    because only the matrix says which frameworks and kinds exist; :func:`load_config` stays
    cheap by not loading it. A bonus becomes the matrix's ``bonus`` rule, whose reason names the
    configuration file so a recommendation says where the extra points came from.
    """
    matrix = load_matrix(config.matrix_file)
    which = "the built-in matrix" if config.matrix_file is None else str(config.matrix_file)
    _check_words(config, "bonus", config.bonus, matrix.frameworks, f"a framework of {which}")
    _check_words(
        config, "use", config.framework_templates, matrix.frameworks, f"a framework of {which}"
    )
    _check_words(
        config, "kind", config.kind_templates, matrix.vocabulary["kind"], f"a kind of {which}"
    )
    weights = {name: config.bonus[name] for name in matrix.frameworks if config.bonus.get(name)}
    if not weights:
        return matrix
    changes = ", ".join(
        f"{name} {'up' if points > 0 else 'down'} by {abs(points)}"
        for name, points in weights.items()
    )
    because = (
        f"your organisation's pyframe configuration weighs {changes} "
        f"({config.origin('matrix.bonus')})"
    )
    return dataclasses.replace(matrix, bonus=Rule(MappingProxyType(weights), because, ()))


def _check_words(
    config: Config, section: str, table: Mapping[str, object], allowed: Iterable[str], what: str
) -> None:
    """Refuse a ``[matrix.<section>]`` key the matrix does not declare, at its line."""
    allowed = tuple(allowed)
    for word in table:
        if word not in allowed:
            raise PyframeError(
                f"{config.origin(f'matrix.{section}.{word}')}: [matrix.{section}] {word!r} is "
                f"not {what} (expected {', '.join(allowed)})"
            )
