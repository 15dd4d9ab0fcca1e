"""A request's query string, read into what ``pyframe new`` would be told.

The page's form, a share link and ``curl .../starter.zip?...`` all speak the same flat
parameters, as Spring Initializr's do: ``name``, the needs (``kind``, ``need`` repeatable or
comma-separated, ``team``, ``scale``), ``framework`` or ``template``, and every template
question by its own name (``database=postgresql``). A question whose name is one of the
reserved words is given as ``data.NAME``. Pure parsing: nothing here resolves or renders.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from ..errors import PyframeError
from ..matrix import Needs

#: The parameters that are not template questions.
RESERVED = ("name", "kind", "need", "team", "scale", "framework", "template")
#: Parameters of the page itself (which file Explore shows, whether answers to another
#: template's questions are dropped); ignored by the archive endpoints.
PAGE_ONLY = ("path", "explore", "lenient")
#: The project name when none is given (Spring Initializr's ``demo``).
DEFAULT_NAME = "demo"

#: Bounds on what one request may carry: a form has a few dozen fields of a few words each.
MAX_PARAMS = 200
MAX_VALUE = 1000
MAX_NAME = 100


@dataclass(frozen=True)
class Starter:
    """Everything a request asks for, as given (strings): the project, the needs, the choice
    of template and the template's answers."""

    name: str = DEFAULT_NAME
    kind: str | None = None
    needs: tuple[str, ...] = ()
    team: str | None = None
    scale: str | None = None
    framework: str | None = None
    template: str | None = None
    #: Each template question given, with every value sent for it (a multiselect sends many;
    #: a checkbox sends a hidden ``false`` then ``true`` when ticked: the last one counts).
    data: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def as_needs(self) -> Needs:
        return Needs(kind=self.kind, needs=frozenset(self.needs), team=self.team, scale=self.scale)

    def query(self, answers: Mapping[str, object] | None = None) -> str:
        """The query string that asks for this again (a share link); ``answers`` replaces the
        template answers (the page shares only the answers a person gave)."""
        pairs: list[tuple[str, str]] = [("name", self.name)]
        pairs += [(key, value) for key, value in self._choices() if value]
        pairs += [("need", need) for need in self.needs]
        given = self.data if answers is None else {k: _strings(v) for k, v in answers.items()}
        for key, values in given.items():
            param = data_param(key)
            pairs += [(param, value) for value in values] if values else [(param, "")]
        return urlencode(pairs)

    def _choices(self) -> list[tuple[str, str | None]]:
        return [
            ("kind", self.kind),
            ("team", self.team),
            ("scale", self.scale),
            ("framework", self.framework),
            ("template", self.template),
        ]

    def cache_key(self) -> tuple[object, ...]:
        return (
            self.name,
            self.kind,
            tuple(sorted(self.needs)),
            self.team,
            self.scale,
            self.framework,
            self.template,
            tuple(sorted(self.data.items())),
        )


def data_param(question: str) -> str:
    """The parameter that answers ``question``: its name, or ``data.NAME`` for a reserved one."""
    return f"data.{question}" if question in RESERVED + PAGE_ONLY else question


def parse(pairs: Iterable[tuple[str, str]]) -> Starter:
    """Read query parameters (in order, repeated keys kept) into a :class:`Starter`.

    Empty values mean "not given" for the needs and the template choice, so a form's blank
    ``<select>`` is the same as leaving the parameter out.
    """
    pairs = list(pairs)
    if len(pairs) > MAX_PARAMS:
        raise PyframeError(f"too many parameters ({len(pairs)}; at most {MAX_PARAMS})")
    single: dict[str, str] = {}
    needs: list[str] = []
    data: dict[str, list[str]] = {}
    for key, value in pairs:
        if len(value) > MAX_VALUE:
            raise PyframeError(f"{key}: the value is too long (at most {MAX_VALUE} characters)")
        if key == "need":
            needs += [word.strip() for word in value.split(",") if word.strip()]
        elif key in RESERVED:
            single[key] = value.strip()
        elif key in PAGE_ONLY:
            continue
        else:
            question = key.removeprefix("data.")
            if not question:
                raise PyframeError("data.: a question name is missing", field="data")
            data.setdefault(question, []).append(value)
    name = single.get("name") or DEFAULT_NAME
    if len(name) > MAX_NAME:
        raise PyframeError(f"the project name is too long (at most {MAX_NAME})", field="name")
    return Starter(
        name=name,
        kind=single.get("kind") or None,
        needs=tuple(dict.fromkeys(needs)),
        team=single.get("team") or None,
        scale=single.get("scale") or None,
        framework=single.get("framework") or None,
        template=single.get("template") or None,
        data={key: tuple(values) for key, values in data.items()},
    )


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(_string(item) for item in value)
    return (_string(value),)


def _string(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else str(value)
