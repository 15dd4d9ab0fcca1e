"""Build, install, test and boot every variant of a template: what CI runs to trust a template.

Four parts, in the order they run:

1. **Plan** (``plan.py``) - the variants come from the template's own ``copier.yml``: every
   choice, bool and multiselect question, pairwise (every pair of values at least once), full,
   or just the defaults; ``when:`` and validators are honoured, and a combination the template
   refuses is listed as excluded, with its message.
2. **Services** (``services.py``) - the real PostgreSQL, MySQL and Redis servers variants need.
3. **Run** (``run.py``) - per variant: render, install, check the lock, lint, migrate (on a
   fresh database, then ``make check-migrations`` where it exists), test, boot the production
   server and ``GET /health``.
4. **Report** (``report.py``) - a table (in the CLI), JUnit XML, JSON, a CI matrix, and one
   last line ``N passed, M failed[, K skipped]``.

A template that follows the skeleton contract (``make install`` ... ``make serve``) needs nothing
else. Another may declare its own commands in ``copier.yml``::

    _pyframe:
      smoke:
        install: pip install -e .        # any step: a shell command, run in the project
        test: pytest -q
        serve: gunicorn app:app --bind $HOST:$PORT
        health: /healthz                 # path expected to answer 200 (default /health)

A variant where install or test (or boot, for a project with a server) cannot run at all is
``incomplete``: it counts as failed unless incomplete variants are allowed.

To fan out on a CI system, the plan is listed with stable ids (``to_matrix``), each job runs a
slice (``select``: by id, or shard ``I/N``), and the shards' JUnit files are joined
(``merge_junit``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..copier_adapter import untrusted
from ..errors import PyframeError
from ..templates import BUILTIN, Template, checkout, resolve
from .plan import Excluded, Mode, Plan, Variant, covered_pairs, plan, possible_pairs
from .report import (
    Report,
    incomplete_reason,
    merge_junit,
    summary_line,
    to_json,
    to_junit,
    to_matrix,
)
from .run import STEPS, Options, StepResult, VariantResult, run_variants
from .services import Services, services_needed

__all__ = [
    "STEPS",
    "Excluded",
    "Mode",
    "Options",
    "Plan",
    "Report",
    "Services",
    "StepResult",
    "Variant",
    "VariantResult",
    "covered_pairs",
    "incomplete_reason",
    "load",
    "merge_junit",
    "parse_shard",
    "plan",
    "plan_all",
    "possible_pairs",
    "select",
    "services_needed",
    "smoke",
    "summary_line",
    "to_json",
    "to_junit",
    "to_matrix",
]


def load(
    sources: Sequence[str],
    into: Path,
    *,
    every: bool = False,
    registered: Mapping[str, Any] | None = None,
    vcs_ref: str | None = None,
    trust: bool = False,
) -> list[Template]:
    """The templates to smoke, each fetched at the version to plan and build (``vcs_ref``, a
    registered pin, or the newest release tag) into its own folder under ``into``.

    A template that would run its own code (tasks, migrations, Jinja extensions) is refused
    before anything runs unless ``trust``, as ``pyframe new`` refuses it.
    """
    names = list(BUILTIN) if every else []
    names += [s for s in sources if s not in names]
    if not names:
        raise PyframeError(
            "name at least one template (django, fastapi, flask, a path) or --all",
            field="sources",
        )
    found = []
    for number, name in enumerate(names):
        folder = into / str(number)
        folder.mkdir()
        named = resolve(name, registered)
        template = checkout(named, folder, vcs_ref or named.pin)
        if template.runs_code and not (trust or template.builtin):
            raise untrusted(repr(template.name))
        found.append(template)
    return found


def plan_all(
    templates: Sequence[Template],
    mode: Mode | str,
    pinned: Mapping[str, Any] | None = None,
    *,
    trusted: bool = False,
) -> Plan:
    """One plan for several templates: their variants and exclusions, in order."""
    plans = [plan(t, mode, pinned, trusted=trusted) for t in templates]
    return Plan(
        tuple(v for p in plans for v in p.variants),
        tuple(e for p in plans for e in p.excluded),
    )


def smoke(
    variants: Sequence[Variant], options: Options, excluded: Sequence[Excluded] = ()
) -> Report:
    """Run ``variants`` and report, with the combinations the plan ``excluded``."""
    results, logs = run_variants(variants, options)
    return Report(
        results=results,
        logs=logs,
        excluded=tuple(excluded),
        allow_incomplete=options.allow_incomplete,
    )


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/5"`` -> ``(2, 5)``: the second of five shards (1-based)."""
    index, sep, total = text.partition("/")
    try:
        shard = (int(index), int(total))
    except ValueError:
        shard = (0, 0)
    if not sep or not 1 <= shard[0] <= shard[1]:
        raise PyframeError(f"{{@shard}} expects I/N with 1 <= I <= N, got {text!r}", field="shard")
    return shard


def select(
    variants: Sequence[Variant],
    *,
    ids: Sequence[str] = (),
    shard: tuple[int, int] | None = None,
) -> list[Variant]:
    """The slice of a plan one CI job runs: the variants named by ``ids``, then shard ``I`` of
    ``N`` (every N-th variant, starting at the I-th). The N shards of a plan are disjoint and
    together are the whole plan."""
    chosen = list(variants)
    if ids:
        known = {v.id: v for v in chosen}
        unknown = [i for i in ids if i not in known]
        if unknown:
            shown = ", ".join(list(known)[:10]) + (", ..." if len(known) > 10 else "")
            raise PyframeError(
                f"no variant {', '.join(unknown)} in the plan (its variants: {shown})",
                field="variant",
            )
        chosen = [v for v in chosen if v.id in set(ids)]
    if shard is not None:
        index, total = shard
        chosen = chosen[index - 1 :: total]
    return chosen
