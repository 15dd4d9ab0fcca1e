"""Plan the variants of a template from its own ``copier.yml``.

Every choice and bool question is an axis; a ``multiselect`` question is one on/off axis per
option (its answer is the list of options that are on). ``pairwise`` covers every pair of values
at least once, ``full`` every combination, ``defaults`` one variant. Each row is then seen as
Copier would see it: ``when:`` hides questions, defaults are rendered, and validators (the
question's and a chosen option's) are run. A row the template refuses is not built: it is
listed as excluded, with the template's own message, and the pairs it held are covered by rows
the template accepts where such rows exist.

A question with no default must be answered with ``--data`` (``pinned``); pinned answers are
cast to the question's type and are the same in every variant.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..errors import PyframeError
from ..questions import Evaluator, show
from ..templates import Question, Template


class Mode(StrEnum):
    """How many variants: the defaults, every pair of values, or every combination."""

    DEFAULTS = "defaults"
    PAIRWISE = "pairwise"
    FULL = "full"


_FULL_LIMIT = 200_000

#: One axis value: the question's name, or ``(question, option)`` for a multiselect option.
AxisKey = str | tuple[str, Any]


@dataclass(frozen=True)
class Variant:
    """One combination of answers for one template."""

    template: Template
    number: int
    answers: Mapping[str, Any]

    @property
    def id(self) -> str:
        """Stable for a given template version and plan options: ``<template>-NN``."""
        return f"{self.template.name}-{self.number:02d}"

    def describe(self) -> str:
        return describe(self.answers)


@dataclass(frozen=True)
class Excluded:
    """A combination the template itself refuses, with its message."""

    template: Template
    answers: Mapping[str, Any]
    message: str

    def describe(self) -> str:
        return describe(self.answers)


@dataclass(frozen=True)
class Plan:
    """What to build, and what the template refused to build."""

    variants: tuple[Variant, ...]
    excluded: tuple[Excluded, ...] = ()


def describe(answers: Mapping[str, Any]) -> str:
    return " ".join(f"{k}={show(v)}" for k, v in answers.items()) or "(defaults)"


def plan(
    template: Template,
    mode: Mode | str = Mode.PAIRWISE,
    pinned: Mapping[str, Any] | None = None,
    *,
    trusted: bool = False,
) -> Plan:
    """The variants to build for ``template``; ``pinned`` answers are the same in all of them.

    ``trusted`` lets the template's Jinja extensions load while its validators are evaluated
    (they are the template's code, like its tasks).
    """
    questions = [q for q in template.questions if not q.secret]
    judge = Evaluator(template, trusted=trusted, questions=questions)
    pins = judge.cast(dict(pinned or {}), origin="{@data}")
    axes = _axes(questions, pins)
    # The project's name is given by smoke itself (``smoke-NN``), as ``pyframe new`` gives it.
    automatic = {"project_name": "smoke"} if "project_name" in {q.name for q in questions} else {}
    judge = judge.with_given({k: v for k, v in automatic.items() if k not in pins})
    mode = Mode(mode)
    if mode == Mode.DEFAULTS or not axes:
        rows: list[dict[AxisKey, Any]] = [{}]
    elif mode == Mode.FULL:
        rows = _product(axes)
    else:
        rows = _pairwise(axes, judge, pins)
    seen: set[str] = set()
    variants: list[Variant] = []
    excluded: dict[str, Excluded] = {}
    for row in rows:
        requested = {**pins, **_answers(row, questions)}
        answers, message = judge.judge(requested)
        if message is not None:
            excluded.setdefault(repr(requested), Excluded(template, requested, message))
            continue
        chosen = {k: v for k, v in answers.items() if k in pins or _is_axis(k, axes)}
        key = repr(sorted(chosen.items()))
        if key in seen:
            continue
        seen.add(key)
        variants.append(Variant(template, len(variants) + 1, chosen))
    return Plan(tuple(variants), tuple(excluded.values()))


def covered_pairs(variants: Sequence[Variant]) -> set[frozenset[tuple[str, str]]]:
    """Every pair of (question, value) that some variant has; a multiselect counts per option."""
    pairs: set[frozenset[tuple[str, str]]] = set()
    for variant in variants:
        items = _pair_items(variant.answers, variant.template.questions)
        pairs.update(frozenset(p) for p in itertools.combinations(items, 2))
    return pairs


def possible_pairs(
    template: Template, pinned: Mapping[str, Any] | None = None
) -> set[frozenset[tuple[str, str]]]:
    """Every pair of answer values that can occur together, ``when:`` and validators
    considered."""
    return covered_pairs(plan(template, "full", pinned).variants)


def _pair_items(answers: Mapping[str, Any], questions: Sequence[Question]) -> list[tuple[str, str]]:
    """(question, value) items; each option of a multiselect is its own on/off item."""
    options = {q.name: q.choices for q in questions if q.multiselect}
    items = []
    for name, value in answers.items():
        if name in options and isinstance(value, list):
            items += [(f"{name}[{o!r}]", "on" if o in value else "off") for o in options[name]]
        else:
            items.append((name, repr(value)))
    return items


# ------------------------------------------------------------------------------------- axes


def _axes(
    questions: Sequence[Question], pinned: Mapping[str, Any]
) -> dict[AxisKey, tuple[Any, ...]]:
    axes: dict[AxisKey, tuple[Any, ...]] = {}
    for question in questions:
        if question.name in pinned:
            continue
        if question.multiselect:
            for option in question.choices:
                axes[(question.name, option)] = (False, True)
        elif question.choices:
            axes[question.name] = tuple(question.choices)
        elif question.type == "bool":
            axes[question.name] = (False, True)
    return axes


def _is_axis(name: str, axes: Mapping[AxisKey, Any]) -> bool:
    return name in axes or any(isinstance(key, tuple) and key[0] == name for key in axes)


def _answers(row: Mapping[AxisKey, Any], questions: Sequence[Question]) -> dict[str, Any]:
    """A row of axis values as answers: multiselect options folded back into one list."""
    answers: dict[str, Any] = {}
    for question in questions:
        if question.multiselect:
            picked = [o for o in question.choices if row.get((question.name, o))]
            if any((question.name, o) in row for o in question.choices):
                answers[question.name] = picked
        elif question.name in row:
            answers[question.name] = row[question.name]
    return answers


def _product(axes: Mapping[AxisKey, Sequence[Any]]) -> list[dict[AxisKey, Any]]:
    size = 1
    for values in axes.values():
        size *= len(values)
    if size > _FULL_LIMIT:
        raise PyframeError(
            f"{{@matrix}} full would build {size} variants; use pairwise or pin answers with "
            "{@data}",
            field="matrix",
        )
    names = list(axes)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*axes.values())]


def _pairwise(
    axes: Mapping[AxisKey, Sequence[Any]], judge: Evaluator, pinned: Mapping[str, Any]
) -> list[dict[AxisKey, Any]]:
    """allpairspy's covering set, then extra rows for any pair it missed.

    A row can lose a pair two ways: ``when:`` hides a question (it takes its default), or a
    validator refuses the row. The pairs that accepted rows can have are found in the full
    product (small for real templates) and rows that cover them are added.
    """
    names = list(axes)
    if len(names) == 1:
        return [{names[0]: v} for v in axes[names[0]]]
    from allpairspy import AllPairs  # type: ignore[import-untyped]

    rows = [dict(zip(names, row, strict=True)) for row in AllPairs([list(axes[n]) for n in names])]

    def pairs_of(row: Mapping[AxisKey, Any]) -> set[frozenset[tuple[str, str]]]:
        answers, message = judge.judge({**pinned, **_answers(row, judge.questions)})
        if message is not None:
            return set()
        kept = {k: v for k, v in answers.items() if _is_axis(k, axes)}
        items = _pair_items(kept, judge.questions)
        return {frozenset(p) for p in itertools.combinations(items, 2)}

    have = set().union(*(pairs_of(r) for r in rows))
    try:
        full = _product(axes)
    except PyframeError:
        return rows  # too large to verify; allpairspy's set is the best available
    coverage = [(row, pairs_of(row)) for row in full]
    missing = set().union(*(pairs for _, pairs in coverage)) - have
    while missing:
        best, pairs = max(coverage, key=lambda item: len(item[1] & missing))
        rows.append(best)
        missing -= pairs
    return rows
