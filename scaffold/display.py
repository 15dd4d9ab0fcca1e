"""How the CLI shows results: every printer of ``pyframe``, apart from its commands.

Commands in ``cli.py`` parse and call; the functions here only print what the core returned.
Plain ``print`` is used where a path is shown as it is (rich would read ``[b]`` in a path as
markup) and where importing rich would cost a common command its start-up time; rich draws the
tables.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import Choice
    from .matrix import Matrix, Recommendation
    from .render import Rendered
    from .smoketest import Excluded, Options, Report, Variant
    from .updating import Conflict, Outcome, Status


def recommendation(result: Recommendation, matrix: Matrix, *, brief: bool = False) -> None:
    import shutil

    width = shutil.get_terminal_size((80, 24)).columns
    if brief:
        own = [r for r in result.reasons if r.framework == result.framework]
        # The strongest reasons, then every note (a tie, what the team would have to learn,
        # what the skeleton lacks): a summary must not drop what the choice costs.
        shown = [r for r in own if r.weight][:3] + [r for r in own if not r.weight]
        winner, runner_up = result.scores[result.framework], result.scores[result.runner_up]
        print(
            f"{result.framework} fits best ({_points(winner)}; "
            f"{result.runner_up} {_points(runner_up)}):"
        )
        for reason in shown:
            print("\n".join(wrap_reason(reason.because, width - 1, "  - ", "    ")))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="Recommendation", show_lines=True)
    table.add_column("framework")
    table.add_column("score", justify="right")
    column = max(30, console.width - 30)
    table.add_column("what moved the score", no_wrap=True, max_width=column)
    ranked = sorted(matrix.frameworks, key=lambda f: -result.scores[f])
    for framework in ranked:
        why = "\n".join(
            line
            for r in result.reasons
            if r.framework == framework
            for line in wrap_reason(r.because, column, f"{r.weight:+d}  ", "    ")
        )
        table.add_row(framework, str(result.scores[framework]), why or "-")
    console.print(table, markup=False, highlight=False)
    console.print(f"Recommended: {result.framework}   runner-up: {result.runner_up}")


def wrap_reason(text: str, width: int, first: str, rest: str) -> list[str]:
    """A reason wrapped to ``width``; its citation ``(Label: section; ...)`` breaks only
    between sources, never inside one, so each source stays one readable piece."""
    import textwrap

    said, cited = _split_citation(text)
    lines = textwrap.wrap(said, width, initial_indent=first, subsequent_indent=rest) or [first]
    if not cited:
        return lines
    sources = cited.split("; ")
    pieces = [f"({sources[0]}", *sources[1:]]
    pieces[-1] += ")"
    line = lines.pop()
    for number, piece in enumerate(pieces):
        separator = " " if number == 0 else "; "
        if len(line) + len(separator) + len(piece) <= width:
            line += separator + piece
        else:
            lines.append(line + ("" if number == 0 else ";"))
            line = rest + piece
    return [*lines, line]


def _split_citation(text: str) -> tuple[str, str]:
    """``"reason (A: x; B: y)"`` -> ``("reason", "A: x; B: y")``; no citation -> ``(text, "")``."""
    if text.endswith(")") and " (" in text:
        said, cited = text[:-1].rsplit(" (", 1)
        if ":" in cited:
            return said, cited
    return text, ""


def _points(score: int) -> str:
    return f"{score} point" if abs(score) == 1 else f"{score} points"


def chosen(choice: Choice, matrix: Matrix) -> None:
    """``new``: why this template, before its questions: the recommendation in brief, or what
    the named framework's skeleton lacks of the needs, and the organisation's routing."""
    if choice.recommendation is not None:
        recommendation(choice.recommendation, matrix, brief=True)
    else:
        for note in choice.gaps:
            print(f"Note: {note.because}")
    if choice.routed:
        print(f"Using template {choice.template.name}{choice.routed}")


def preview(rendered: Rendered) -> None:
    """``new --dry-run``: the tree of files and the answers."""
    from rich.console import Console
    from rich.tree import Tree

    console = Console()
    tree = Tree("(dry run: nothing written)")
    nodes: dict[str, Tree] = {}
    for path in rendered.files:
        parent = tree
        parts = path.split("/")
        for depth in range(1, len(parts)):
            key = "/".join(parts[:depth])
            if key not in nodes:
                nodes[key] = parent.add(parts[depth - 1] + "/")
            parent = nodes[key]
        parent.add(parts[-1])
    console.print(tree)
    console.print("Answers:")
    for key, value in rendered.answers.items():
        console.print(f"  {key}: {value!r}", markup=False, highlight=False)


def done(rendered: Rendered, destination: Path | None) -> None:
    """After ``new`` (``destination`` given) or ``add``: what was written, and what is next."""
    verb = "Created" if destination is not None else "Added to"
    print(f"{verb} {rendered.destination} ({len(rendered.files)} files).")
    for kept in rendered.kept:
        print(f"  kept your {kept}; the template's version is {kept}.pyframe-new")
    if destination is None:
        return
    steps = _next_steps(rendered.destination)
    if steps or not rendered.message:
        print("Next:")
        for command in (f"cd {destination}", *steps):
            print(f"  {command}")
    if rendered.message:
        print(rendered.message)


def _next_steps(project: Path) -> list[str]:
    """What the project itself offers to do first: its Makefile's setup, run and test targets."""
    from .render import make_targets

    targets = make_targets(project)
    order = ("install", "run", "test") if "run" in targets else ("install", "test", "serve")
    return [f"make {target}" for target in order if target in targets][:2]


def check(statuses: Sequence[Status], conflicts: Sequence[Conflict]) -> bool:
    """``update --check``: one line per layer; returns whether everything is current."""
    current = True
    for state in statuses:
        label = state.layer.title
        if state.up_to_date:
            print(f"{label}: up to date at {state.current}")
        else:
            current = False
            print(f"{label}: {state.current or 'unknown'} -> {state.newest or 'unknown'} available")
    for found in conflicts:
        print(f"conflict left from an update: {found.path} ({found.kind})")
    return current and not conflicts


def updating(state: Status) -> None:
    """Progress goes to stderr, so stdout stays the report of what changed."""
    print(
        f"updating {state.layer.title}: {state.current} -> {state.newest} ...",
        file=sys.stderr,
        flush=True,
    )


def update(outcome: Outcome, conflict: str) -> bool:
    """What an update changed; returns False when it left conflicts."""
    for state in outcome.statuses:
        what = (
            f"up to date at {state.current}"
            if state.up_to_date
            else f"{state.current} -> {state.newest}"
        )
        print(f"{state.layer.answers_file}: {what}")
    marks = {"A": "added", "M": "changed", "D": "removed"}
    if outcome.changes:
        title = "changed" if outcome.applied else "would change (--pretend: nothing written)"
        print(f"{len(outcome.changes)} files {title}:")
    for change in outcome.changes:
        print(f"  {marks[change.status]:8} {change.path}")
    if not outcome.changes:
        print("Nothing to change.")
    if outcome.conflicts:
        where = "between <<<<<<< and >>>>>>> markers" if conflict == "inline" else "in FILE.rej"
        verb = "resolve them, then commit" if outcome.applied else "the update would leave these"
        print(f"pyframe: {len(outcome.conflicts)} conflicts ({where}); {verb}:", file=sys.stderr)
        for found in outcome.conflicts:
            print(f"  {found.path}", file=sys.stderr)
        return False
    if outcome.applied:
        print("Review with `git diff`, then commit.")
    return True


def templates(rows: Sequence[dict[str, Any]]) -> None:
    """``pyframe templates``: one row per template, with its questions' choices and defaults."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Templates")
    for column in ("name", "source", "version", "about"):
        table.add_column(column)
    for row in rows:
        version = str(row["version"]) + (" (pinned)" if row["pinned"] else "")
        if row["source"] == "built-in":
            questions = "\n".join(_question(n, q) for n, q in row["choices"].items())
            about = f"versions: {', '.join(row['available'])}\n{questions}"
        else:
            about = f"{row['description'] or '-'} (registered in {row['registered_in']})"
        table.add_row(str(row["name"]), str(row["source"]), version, about)
    Console().print(table)


def _question(name: str, question: dict[str, Any]) -> str:
    """``database: sqlite | postgresql (default sqlite)``: enough to write ``--data``."""
    choices = " | ".join(str(c) for c in question["choices"])
    default = question["default"]
    shown = f"{name}: {choices or question['type']}"
    return shown + (f" (default {default})" if default not in (None, "") else "")


def variants(planned: Sequence[Variant], excluded: Sequence[Excluded], *, to_stderr: bool) -> None:
    out = sys.stderr if to_stderr else sys.stdout
    print(f"{len(planned)} variants:", file=out)
    for variant in planned:
        print(f"  {variant.id}  {variant.describe()}", file=out)
    for refused in excluded:
        print(f"  excluded by the template: {refused.message} [{refused.describe()}]", file=out)


def with_progress(
    run: Callable[[Sequence[Variant], Options], Report],
    planned: Sequence[Variant],
    options: Options,
    *,
    to_stderr: bool,
) -> Report:
    """Run the smoke with a live table of variants: step, elapsed, state."""
    from rich.console import Console
    from rich.live import Live
    from rich.table import Table

    lock = threading.Lock()
    state: dict[str, list[Any]] = {v.id: ["waiting", "", None] for v in planned}

    def on_event(variant: Variant, step: str, what: str) -> None:
        with lock:
            entry = state[variant.id]
            if entry[2] is None:
                entry[2] = time.monotonic()
            entry[0], entry[1] = step, "running" if what == "start" else what

    def table() -> Table:
        grid = Table(box=None, show_header=False)
        with lock:
            for key, (step, what, started) in state.items():
                elapsed = f"{time.monotonic() - started:5.0f}s" if started else ""
                grid.add_row(key, step, what, elapsed)
        return grid

    options.on_event = on_event
    console = Console(stderr=True) if to_stderr else Console()
    with Live(get_renderable=table, console=console, refresh_per_second=2, transient=True):
        return run(planned, options)


def smoke_table(report: Report) -> None:
    from rich.console import Console
    from rich.table import Table

    from .smoketest import STEPS, incomplete_reason

    table = Table(title="pyframe smoke")
    table.add_column("variant")
    for name in STEPS:
        table.add_column(name, justify="center")
    table.add_column("result")
    marks = {"pass": "[green]pass[/]", "fail": "[red]FAIL[/]", "skip": "[yellow]skip[/]"}
    results = {
        "pass": "[green]pass[/]",
        "fail": "[red]FAIL[/]",
        "skip": "[yellow]skipped[/]",
        "incomplete": "[yellow]incomplete[/]" if report.allow_incomplete else "[red]INCOMPLETE[/]",
    }
    for result in report.results:
        cells = {s.name: f"{marks[s.status]} {s.seconds:.0f}s" for s in result.steps}
        row = [cells.get(name, "") for name in STEPS]
        if result.skipped:
            row = ["[yellow]skip[/]"] + [""] * (len(STEPS) - 1)
        table.add_row(result.variant.id, *row, results[result.status])
    console = Console()
    console.print(table)
    for result in report.results:
        if result.skipped:
            console.print(f"{result.variant.id} skipped: {result.skipped}", markup=False)
        if result.status == "incomplete":
            console.print(f"{result.variant.id} {incomplete_reason(result)}", markup=False)
        for step in result.steps:
            if step.status == "fail":
                console.print(
                    f"{result.variant.id} failed at {step.name}: {step.message} (log: {step.log})",
                    markup=False,
                )
            elif step.status == "skip" and step.message:
                console.print(
                    f"{result.variant.id} skipped {step.name}: {step.message}", markup=False
                )
    for refused in report.excluded:
        console.print(
            f"excluded by the template: {refused.message} [{refused.describe()}]", markup=False
        )
