"""The decision matrix: which of Django, FastAPI and Flask fits what someone is building.

The matrix is data, not if-statements. ``matrix.toml`` (next to this module) gives, for every word
a person can answer with (``--kind``, ``--need``, ``--team``, ``--scale``), the weight it adds to
each framework and a one-line reason citing the comparison article (a "seed") that says so. An
organisation can write its own file in the same format, so files are read in exactly one place,
:func:`load_matrix`, which refuses anything malformed with one line naming the file and the place.

Read top to bottom: the data classes, loading, checking a person's answers, scoring, and the
template answers a choice implies. Everything after loading is pure: the same answers always give
the same recommendation, with the same reasons in the same order.
"""

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import NoReturn, TypeAlias

from . import tomlfile
from .errors import PyframeError

__all__ = [
    "DIMENSIONS",
    "Matrix",
    "Needs",
    "Reason",
    "Recommendation",
    "Rule",
    "check_needs",
    "load_matrix",
    "recommend",
    "suggested_answers",
]

#: The questions pyframe asks, in the order it asks them; each is also a flag (``--kind``...).
DIMENSIONS: tuple[str, ...] = ("kind", "need", "team", "scale")

#: A template answer the matrix can suggest (Copier questions of type str, bool or int).
Answer: TypeAlias = str | bool | int


# --- Data classes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Needs:
    """What the person told us about their project. Every field is optional.

    ``needs`` accepts any collection of words (the CLI hands over a list) and is stored as a
    frozenset: the order they were typed in must not change the recommendation.
    """

    kind: str | None = None
    needs: frozenset[str] = frozenset()
    team: str | None = None
    scale: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.needs, str):
            raise TypeError("Needs.needs takes a collection of words, not one string")
        object.__setattr__(self, "needs", frozenset(self.needs))

    def is_empty(self) -> bool:
        """True when the person answered nothing at all (the matrix's default then applies)."""
        return self.kind is None and not self.needs and self.team is None and self.scale is None

    def to_dict(self) -> dict[str, object]:
        """The ``inputs`` of ``--json``: every dimension, ``null`` when not given."""
        return {
            "kind": self.kind,
            "needs": sorted(self.needs),
            "team": self.team,
            "scale": self.scale,
        }


@dataclass(frozen=True)
class Reason:
    """One line of "why": a weight a rule gave a framework, or a note (weight 0) on a tie-break
    or on what the team would have to learn."""

    framework: str
    weight: int
    because: str

    def to_dict(self) -> dict[str, object]:
        return {"framework": self.framework, "weight": self.weight, "because": self.because}


@dataclass(frozen=True)
class Recommendation:
    """The decision, every framework's score, and the reasons that produced them."""

    framework: str
    runner_up: str
    scores: Mapping[str, int]
    reasons: tuple[Reason, ...]
    needs: Needs

    def to_dict(self) -> dict[str, object]:
        """Exactly what ``pyframe recommend --json`` prints."""
        return {
            "framework": self.framework,
            "runner_up": self.runner_up,
            "scores": dict(self.scores),
            "reasons": [reason.to_dict() for reason in self.reasons],
            "inputs": self.needs.to_dict(),
        }


@dataclass(frozen=True)
class Rule:
    """What one answer does: the weight it adds to each framework, and why.

    ``because`` is the reason without its citation; ``sources`` are ``"<label>: <section>"``
    entries whose labels the matrix file declares, so every claim can be traced to its article.
    A matrix file's rules always cite; only an organisation's bonus (``Matrix.bonus``) has no
    sources, and its ``because`` names the configuration file instead.
    """

    weights: Mapping[str, int]
    because: str
    sources: tuple[str, ...]

    @property
    def reason(self) -> str:
        """The one line people see: the reason, then where the seeds say so (if any do)."""
        if not self.sources:
            return self.because
        return f"{self.because} ({_cite(self.sources)})"


@dataclass(frozen=True)
class Provision:
    """What a framework's skeleton gives for one need (``[skeleton.need.<word>]``).

    ``has`` is a file of the project rendered with the answers the need suggests that
    implements it (``{package}`` stands for the package name), optionally containing
    ``contains``; ``lacks`` says plainly what the project will not have and what to add.
    """

    has: str = ""
    contains: str = ""
    lacks: str = ""


@dataclass(frozen=True)
class Matrix:
    """A loaded, checked matrix file. Build it with :func:`load_matrix`, not by hand.

    ``rules`` and ``suggestions`` are keyed dimension -> word; a word without a rule is valid and
    simply neutral. ``frameworks`` is also the tie-break order (after the team's own framework).
    ``learn`` says, per framework, what a team used to another one would have to learn.
    ``suggestions`` maps dimension -> word -> framework -> template answers.
    ``bonus`` is an organisation's own weighting ("we standardised on FastAPI"), added to every
    recommendation; a matrix file has none, ``scaffold.config.matrix_for`` sets it from the
    configuration with :func:`dataclasses.replace`.
    """

    frameworks: tuple[str, ...]
    vocabulary: Mapping[str, tuple[str, ...]]
    descriptions: Mapping[str, Mapping[str, str]]
    rules: Mapping[str, Mapping[str, Rule]]
    default: Rule
    learn: Mapping[str, str]
    suggestions: Mapping[str, Mapping[str, Mapping[str, Mapping[str, Answer]]]]
    sources: Mapping[str, str]
    bonus: Rule | None = None
    #: need -> framework -> what that framework's skeleton gives for it.
    skeleton: Mapping[str, Mapping[str, Provision]] = field(default_factory=dict)


def _cite(sources: Iterable[str]) -> str:
    """``"A: x; A: y; B: z"`` -> ``"A: x, y; B: z"``: shorter lines, same information."""
    sections: dict[str, list[str]] = {}
    for source in sources:
        label, _, section = source.partition(": ")
        sections.setdefault(label, []).append(section)
    return "; ".join(f"{label}: {', '.join(named)}" for label, named in sections.items())


# --- Loading ---------------------------------------------------------------------------------

_TOP_LEVEL = (
    "matrix",
    "sources",
    "vocabulary",
    "default",
    "rules",
    "learn",
    "suggest",
    "skeleton",
)
_REQUIRED = ("matrix", "sources", "vocabulary", "default", "rules")
_RULE_TEXT_KEYS = ("because", "source")


def load_matrix(path: Path | None = None) -> Matrix:
    """Read and check a matrix file; ``None`` reads the one built into the package (once)."""
    if path is None:
        return _builtin_matrix()
    return _load_matrix(path)


@functools.cache
def _builtin_matrix() -> Matrix:
    return _load_matrix(None)


def _load_matrix(path: Path | None) -> Matrix:
    """Read and check a matrix file; ``None`` reads the one built into the package.

    The built-in file is read through :mod:`importlib.resources` so it works from a wheel too.
    Every problem (unreadable file, TOML syntax, a rule that names an unknown framework or word, a
    weight that is not an integer, a missing reason, an unknown key) is a :class:`PyframeError`
    of one line: ``<file>: <place>: <what was expected>``.
    """
    if path is None:
        resource = resources.files("scaffold").joinpath("matrix.toml")
        name = str(resource)
        raw, _ = tomlfile.load(name, "a matrix file", resource.read_bytes())
    else:
        name = str(path)
        raw, _ = tomlfile.load(path, "the matrix file")
    return _Loader(name).matrix(raw)


class _Loader:
    """Turns the parsed TOML of one file into a :class:`Matrix`, checking as it goes.

    Sections are read in dependency order (frameworks, sources, vocabulary, then what refers to
    them), so every reference can be checked against what the file declared.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.frameworks: tuple[str, ...] = ()
        self.labels: tuple[str, ...] = ()
        self.vocabulary: dict[str, tuple[str, ...]] = {}

    def fail(self, place: str, expected: str) -> NoReturn:
        raise PyframeError(f"{self.file}: {place}: {expected}")

    def matrix(self, raw: dict[str, object]) -> Matrix:
        self.keys(raw, "top level", allowed=_TOP_LEVEL, required=_REQUIRED)
        self.frameworks = self.framework_names(raw["matrix"])
        sources = self.sources(raw["sources"])
        descriptions = self.words(raw["vocabulary"])
        return Matrix(
            frameworks=self.frameworks,
            vocabulary=MappingProxyType(self.vocabulary),
            descriptions=MappingProxyType(descriptions),
            rules=MappingProxyType(self.rules(raw["rules"])),
            default=self.rule(raw["default"], "[default]"),
            learn=MappingProxyType(self.learn(raw.get("learn", {}))),
            suggestions=MappingProxyType(self.suggestions(raw.get("suggest", {}))),
            sources=MappingProxyType(sources),
            skeleton=MappingProxyType(self.skeleton(raw.get("skeleton", {}))),
        )

    # Each section ------------------------------------------------------------------------

    def framework_names(self, value: object) -> tuple[str, ...]:
        table = self.table(value, "[matrix]")
        self.keys(table, "[matrix]", allowed=("frameworks",), required=("frameworks",))
        names = self.texts(table["frameworks"], "[matrix] frameworks")
        if len(names) < 2 or len(set(names)) != len(names):
            self.fail("[matrix] frameworks", "expected at least two different framework names")
        for name in names:
            if name in _RULE_TEXT_KEYS or not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
                self.fail("[matrix] frameworks", f"{name!r} is not usable as a framework name")
        return names

    def sources(self, value: object) -> dict[str, str]:
        table = self.table(value, "[sources]")
        if not table:
            self.fail("[sources]", "expected at least one source (label = where it is)")
        for label, where in table.items():
            if ":" in label:
                self.fail(f"[sources] {label!r}", "a source label cannot contain ':'")
            self.text(where, f"[sources] {label!r}")
        self.labels = tuple(table)
        return {label: str(where) for label, where in table.items()}

    def words(self, value: object) -> dict[str, Mapping[str, str]]:
        table = self.table(value, "[vocabulary]")
        self.keys(table, "[vocabulary]", allowed=DIMENSIONS, required=DIMENSIONS)
        descriptions: dict[str, Mapping[str, str]] = {}
        for dimension in DIMENSIONS:
            place = f"[vocabulary.{dimension}]"
            words = self.table(table[dimension], place)
            if not words:
                self.fail(place, "expected at least one word (word = short help text)")
            help_texts = {word: self.text(text, f"{place} {word}") for word, text in words.items()}
            self.vocabulary[dimension] = tuple(words)
            descriptions[dimension] = MappingProxyType(help_texts)
        return descriptions

    def rules(self, value: object) -> dict[str, Mapping[str, Rule]]:
        rules: dict[str, Mapping[str, Rule]] = {}
        for dimension, words in self.per_word(value, "rules").items():
            rules[dimension] = MappingProxyType(
                {
                    word: self.rule(rule, f"[rules.{dimension}.{word}]")
                    for word, rule in words.items()
                }
            )
        return rules

    def rule(self, value: object, place: str) -> Rule:
        table = self.table(value, place)
        self.keys(table, place, allowed=(*self.frameworks, *_RULE_TEXT_KEYS), required=("because",))
        weights: dict[str, int] = {}
        for framework in self.frameworks:
            weight = table.get(framework, 0)
            if isinstance(weight, bool) or not isinstance(weight, int):
                self.fail(place, f"weight for {framework!r} must be an integer, got {weight!r}")
            if weight:
                weights[framework] = weight
        if not weights:
            self.fail(place, f"expected a non-zero weight for at least one of {self.either()}")
        because = self.text(table["because"], f"{place} because")
        return Rule(MappingProxyType(weights), because, self.citations(table, place))

    def learn(self, value: object) -> dict[str, str]:
        learn: dict[str, str] = {}
        for framework, entry in self.table(value, "[learn]").items():
            place = f"[learn.{framework}]"
            if framework not in self.frameworks:
                self.fail(place, f"unknown framework {framework!r} (expected {self.either()})")
            table = self.table(entry, place)
            self.keys(table, place, allowed=("what", "source"), required=("what", "source"))
            what = self.text(table["what"], f"{place} what")
            learn[framework] = f"{what} ({_cite(self.citations(table, place))})"
        return learn

    def suggestions(
        self, value: object
    ) -> dict[str, Mapping[str, Mapping[str, Mapping[str, Answer]]]]:
        suggestions: dict[str, Mapping[str, Mapping[str, Mapping[str, Answer]]]] = {}
        for dimension, words in self.per_word(value, "suggest").items():
            by_word: dict[str, Mapping[str, Mapping[str, Answer]]] = {}
            for word, entry in words.items():
                place = f"[suggest.{dimension}.{word}]"
                table = self.table(entry, place)
                self.keys(table, place, allowed=self.frameworks)
                by_word[word] = MappingProxyType(
                    {
                        framework: self.answers(answers, f"{place} {framework}")
                        for framework, answers in table.items()
                    }
                )
            suggestions[dimension] = MappingProxyType(by_word)
        return suggestions

    def skeleton(self, value: object) -> dict[str, Mapping[str, Provision]]:
        table = self.table(value, "[skeleton]")
        self.keys(table, "[skeleton]", allowed=("need",))
        provisions: dict[str, Mapping[str, Provision]] = {}
        for word, entry in self.per_word(table, "skeleton").get("need", {}).items():
            place = f"[skeleton.need.{word}]"
            by_framework = self.table(entry, place)
            self.keys(by_framework, place, allowed=self.frameworks)
            checked: dict[str, Provision] = {}
            for framework, spec in by_framework.items():
                where = f"{place} {framework}"
                given = self.table(spec, where)
                self.keys(given, where, allowed=("has", "contains", "lacks"))
                provision = Provision(
                    **{key: self.text(text, f"{where}.{key}") for key, text in given.items()}
                )
                if bool(provision.has) == bool(provision.lacks):
                    self.fail(where, "expected either has (a file) or lacks (what to add)")
                checked[framework] = provision
            provisions[word] = MappingProxyType(checked)
        return provisions

    # Shared checks -------------------------------------------------------------------------

    def per_word(self, value: object, section: str) -> dict[str, dict[str, object]]:
        """A ``[section.<dimension>.<word>]`` table, with every dimension and word declared."""
        table = self.table(value, f"[{section}]")
        self.keys(table, f"[{section}]", allowed=DIMENSIONS)
        checked: dict[str, dict[str, object]] = {}
        for dimension, words in table.items():
            checked[dimension] = self.table(words, f"[{section}.{dimension}]")
            declared = self.vocabulary[dimension]
            for word in checked[dimension]:
                if word not in declared:
                    self.fail(
                        f"[{section}.{dimension}.{word}]",
                        f"{word!r} is not a declared {dimension} word "
                        f"(declared: {', '.join(declared)})",
                    )
        return checked

    def answers(self, value: object, place: str) -> Mapping[str, Answer]:
        table = self.table(value, place)
        if not table:
            self.fail(place, "expected at least one question = answer")
        checked: dict[str, Answer] = {}
        for question, answer in table.items():
            if not isinstance(answer, str | bool | int):
                self.fail(place, f"answer to {question!r} must be a string, boolean or integer")
            checked[question] = answer
        return MappingProxyType(checked)

    def citations(self, table: Mapping[str, object], place: str) -> tuple[str, ...]:
        if "source" not in table:
            self.fail(place, "missing 'source' (where the seeds say so: '<label>: <section>')")
        citations = self.texts(table["source"], f"{place} source")
        for citation in citations:
            label, colon, section = citation.partition(": ")
            if not colon or not section.strip():
                self.fail(f"{place} source", f"{citation!r} is not '<label>: <section>'")
            if label not in self.labels:
                self.fail(
                    f"{place} source",
                    f"{citation!r} cites {label!r}, which [sources] does not declare "
                    f"(declared: {', '.join(self.labels)})",
                )
        return citations

    def keys(
        self,
        table: Mapping[str, object],
        place: str,
        *,
        allowed: Iterable[str],
        required: Iterable[str] = (),
    ) -> None:
        allowed = tuple(allowed)
        for key in table:
            if key not in allowed:
                self.fail(place, f"unknown key {key!r} (expected {', '.join(allowed)})")
        for key in required:
            if key not in table:
                self.fail(place, f"missing key {key!r}")

    def table(self, value: object, place: str) -> dict[str, object]:
        if not isinstance(value, dict):
            self.fail(place, f"expected a table, got {value!r}")
        return value

    def text(self, value: object, place: str) -> str:
        if not isinstance(value, str) or not value.strip() or "\n" in value or "\r" in value:
            self.fail(place, f"expected a non-empty one-line string, got {value!r}")
        return value

    def texts(self, value: object, place: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.fail(place, f"expected a non-empty array of strings, got {value!r}")
        return tuple(self.text(item, place) for item in value)

    def either(self) -> str:
        return ", ".join(self.frameworks)


# --- Checking a person's answers -------------------------------------------------------------


def check_needs(needs: Needs, matrix: Matrix) -> None:
    """Refuse any word the matrix does not declare, naming the flag and listing the valid words.

    Words are matched exactly (``API`` is not ``api``): the vocabulary is a contract with the
    CLI, the interview and organisations' own matrix files.
    """
    given: list[tuple[str, object]] = [("kind", needs.kind)]
    given += [("need", word) for word in sorted(needs.needs, key=str)]
    given += [("team", needs.team), ("scale", needs.scale)]
    for dimension, word in given:
        allowed = matrix.vocabulary[dimension]
        if word is not None and word not in allowed:
            raise PyframeError(
                f"unknown {{@{dimension}}} {word!r}: choose one of {', '.join(allowed)}"
            )


def _answers_in_order(needs: Needs, matrix: Matrix) -> Iterator[tuple[str, str]]:
    """The (dimension, word) pairs given, in a fixed order: kind, needs in the matrix file's
    order, team, scale. Reasons and suggested answers follow it, so output is stable."""
    if needs.kind is not None:
        yield "kind", needs.kind
    for word in matrix.vocabulary["need"]:
        if word in needs.needs:
            yield "need", word
    if needs.team is not None:
        yield "team", needs.team
    if needs.scale is not None:
        yield "scale", needs.scale


# --- Scoring ---------------------------------------------------------------------------------


def recommend(needs: Needs, matrix: Matrix) -> Recommendation:
    """Score every framework for these needs and pick the winner and the runner-up.

    Each answer with a rule adds that rule's weights; the highest total wins. A tie goes to the
    framework the team already knows, then to the order of ``matrix.frameworks``, and a reason
    says so. With no answers at all, the matrix's ``[default]`` rule explains the pick. An
    organisation's ``matrix.bonus`` is added after the answers (or the default) and before any
    tie-break, so it can decide a close call and a tie note still explains a tie it leaves. When
    the team knows another framework than the winner, a reason says what they would have to learn.
    Pure: no I/O, and the same needs always give an equal result.
    """
    check_needs(needs, matrix)
    if needs.is_empty():
        rules = [matrix.default]
    else:
        rules = [
            matrix.rules[dimension][word]
            for dimension, word in _answers_in_order(needs, matrix)
            if word in matrix.rules.get(dimension, {})
        ]
    if matrix.bonus is not None:
        rules.append(matrix.bonus)
    scores = dict.fromkeys(matrix.frameworks, 0)
    reasons: list[Reason] = []
    for rule in rules:
        # Within a rule, the framework it favours most comes first (then the matrix's order).
        for framework, weight in sorted(rule.weights.items(), key=lambda item: -item[1]):
            scores[framework] += weight
            reasons.append(Reason(framework, weight, rule.reason))

    known = needs.team if needs.team in matrix.frameworks else None
    needed = _need_points(needs, matrix)
    ranking = sorted(
        matrix.frameworks,
        key=lambda name: (
            -scores[name],
            -needed[name],
            name != known,
            matrix.frameworks.index(name),
        ),
    )
    reasons += _tie_notes(ranking, scores, needed, known, matrix.frameworks)
    if known is not None and known != ranking[0]:
        reasons.append(_learning_note(known, ranking[0], matrix))
    reasons += gaps(needs, ranking[0], matrix)
    return Recommendation(
        framework=ranking[0],
        runner_up=ranking[1],
        scores=MappingProxyType(scores),
        reasons=tuple(reasons),
        needs=needs,
    )


def _need_points(needs: Needs, matrix: Matrix) -> dict[str, int]:
    """What the person's explicit needs (``--need``) alone give each framework: on a tie, what
    they need weighs more than what the team knows."""
    points = dict.fromkeys(matrix.frameworks, 0)
    for word in needs.needs:
        rule = matrix.rules.get("need", {}).get(word)
        for framework, weight in rule.weights.items() if rule else ():
            points[framework] += weight
    return points


def _tie_notes(
    ranking: list[str],
    scores: Mapping[str, int],
    needed: Mapping[str, int],
    known: str | None,
    order: tuple[str, ...],
) -> list[Reason]:
    """A note for each of the two reported places (winner, runner-up) that a tie decided."""
    notes = []
    for place, framework in enumerate(ranking[:2]):
        if place == 1 and scores[framework] == scores[ranking[0]]:
            continue  # the winner's note already explains the order of the whole tie
        tied = [name for name in ranking if scores[name] == scores[framework]]
        if len(tied) < 2:
            continue
        role = "the winner" if place == 0 else "the runner-up"
        others = [name for name in tied if name != framework]
        if any(needed[framework] > needed[name] for name in others):
            versus = ", ".join(f"{needed[name]:+d} for {name}" for name in others)
            why = (
                f"what you need weighs more for it ({needed[framework]:+d} from the needs, "
                f"{versus}); the team's experience only breaks a tie the needs leave"
            )
        elif framework == known:
            why = "the team already knows it"
        else:
            why = f"it comes first in the matrix's framework order ({', '.join(order)})"
        notes.append(
            Reason(
                framework,
                0,
                f"tie at {scores[framework]} between {', '.join(tied)}: "
                f"{framework} is {role} because {why}",
            )
        )
    return notes


def _learning_note(known: str, winner: str, matrix: Matrix) -> Reason:
    """Say what choosing ``winner`` costs a team that knows ``known``: the team's weight lost."""
    what = matrix.learn.get(winner)
    cost = f": they would have to learn {what}" if what else ""
    return Reason(winner, 0, f"the team knows {known}, but {winner} fits the project better{cost}")


def gaps(needs: Needs, framework: str, matrix: Matrix) -> tuple[Reason, ...]:
    """What ``framework``'s skeleton will not have of what the person needs, and what to add:
    a recommendation never sells what the project lacks."""
    notes = []
    for dimension, word in _answers_in_order(needs, matrix):
        provision = matrix.skeleton.get(word, {}).get(framework) if dimension == "need" else None
        if provision is not None and provision.lacks:
            notes.append(
                Reason(
                    framework,
                    0,
                    f"you need {word}, but the {framework} skeleton has {provision.lacks}",
                )
            )
    return tuple(notes)


# --- Template answers the needs imply --------------------------------------------------------


def suggested_answers(needs: Needs, framework: str, matrix: Matrix) -> dict[str, object]:
    """The template answers these needs imply for ``framework`` (e.g. ``--need websockets`` ->
    FastAPI's ``websockets=True``), from the matrix file's ``[suggest]`` table.

    Words apply in the fixed input order (kind, needs, team, scale). Each word's answers are
    all-or-nothing: if one would change an answer an earlier word already set, the whole word is
    skipped, so the result never mixes contradictory answers (Flask's ``admin`` needs the ``web``
    flavour, which ``--kind api`` has already ruled out). Explicit ``--data`` wins over all of
    this; that is the caller's merge.
    """
    check_needs(needs, matrix)
    if framework not in matrix.frameworks:
        raise PyframeError(
            f"unknown {{@framework}} {framework!r}: choose one of {', '.join(matrix.frameworks)}"
        )
    answers: dict[str, object] = {}
    for dimension, word in _answers_in_order(needs, matrix):
        implied = matrix.suggestions.get(dimension, {}).get(word, {}).get(framework)
        if implied is None:
            continue
        if any(
            question in answers and answers[question] != answer
            for question, answer in implied.items()
        ):
            continue
        answers.update(implied)
    return answers
