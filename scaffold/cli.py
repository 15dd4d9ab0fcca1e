"""The ``pyframe`` command: parse, call, print.

Each command turns its options into arguments for the same functions the tests call
(``recommend``, ``render``, ...). Heavy libraries (Copier, questionary, rich) are imported
inside the commands that use them so that ``pyframe --help`` answers at once.

Exit codes (``errors.py``): 0 done, 1 the answer is "no" (conflicts, an update available, smoke
failures), 2 a problem the user can fix (one line on stderr), 3 a bug (the traceback goes to a
crash log), 130 interrupted.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import __version__
from .errors import PyframeError

if TYPE_CHECKING:
    from .matrix import Matrix, Recommendation

app = typer.Typer(
    name="pyframe",
    help="Pick Django, FastAPI or Flask for what you are building, and start from a "
    "production-ready skeleton.",
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

KindOpt = Annotated[
    str | None, typer.Option("--kind", help="What you are building, e.g. api, web-app, cms.")
]
NeedOpt = Annotated[
    list[str] | None,
    typer.Option("--need", help="A requirement, e.g. admin, async, websockets (repeatable)."),
]
TeamOpt = Annotated[
    str | None, typer.Option("--team", help="What the team knows: django, fastapi, flask, new.")
]
TrustOpt = Annotated[
    bool,
    typer.Option(
        "--trust", help="Allow a template that is not built in to run tasks or migrations."
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Configuration file (default: ./pyframe.toml, then the user's config folder).",
    ),
]
ScaleOpt = Annotated[
    str | None, typer.Option("--scale", help="How large it will grow: small, medium, large.")
]


def _version(value: bool) -> None:
    if value:
        print(f"pyframe {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Pick Django, FastAPI or Flask, and start from a production-ready skeleton."""
    if ctx.invoked_subcommand is None:
        print(ctx.get_help())


@app.command()
def recommend(
    kind: KindOpt = None,
    need: NeedOpt = None,
    team: TeamOpt = None,
    scale: ScaleOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Recommend a framework for what you are building, and say why."""
    from .config import load_config, matrix_for
    from .interview import ask_needs, can_prompt
    from .matrix import Needs, recommend

    matrix = matrix_for(load_config(config))
    needs = Needs(kind=kind, needs=frozenset(need or ()), team=team, scale=scale)
    given = kind or need or team or scale
    if not given and not as_json and can_prompt():
        needs = ask_needs(matrix, needs)
    result = recommend(needs, matrix)
    if as_json:
        import json

        print(json.dumps(result.to_dict(), indent=2))
    else:
        _print_recommendation(result, matrix)


@app.command()
def new(
    name: Annotated[str, typer.Argument(help="Project name, e.g. my-service.")],
    framework: Annotated[
        str | None,
        typer.Option("--framework", help="django, fastapi or flask (skips the recommendation)."),
    ] = None,
    kind: KindOpt = None,
    need: NeedOpt = None,
    team: TeamOpt = None,
    scale: ScaleOpt = None,
    data: Annotated[
        list[str] | None,
        typer.Option("--data", "-d", help="Answer a template question: KEY=VALUE (repeatable)."),
    ] = None,
    answers_file: Annotated[
        Path | None,
        typer.Option("--answers-file", help="YAML file of answers (as Copier's data file)."),
    ] = None,
    defaults: Annotated[
        bool, typer.Option("--defaults", "-y", help="Take every default; ask nothing.")
    ] = False,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Never prompt (implied when stdin is not a terminal)."),
    ] = False,
    template: Annotated[
        str | None,
        typer.Option("--template", help="Any Copier template: a local path or a git URL."),
    ] = None,
    vcs_ref: Annotated[
        str | None, typer.Option("--vcs-ref", help="Git tag, branch or commit of --template.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Project folder (default: ./NAME).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the files and answers; write nothing.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Add the project to a non-empty folder, keeping its files."),
    ] = False,
    trust: TrustOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Create a project: recommend a framework, then render its skeleton into ./NAME."""
    from .answers import gather, load_answers_file, parse_data
    from .config import load_config, matrix_for
    from .interview import ask_needs, can_prompt
    from .matrix import Needs, check_needs, recommend, suggested_answers
    from .names import validate_folder_name, validate_package_name, validate_project_name
    from .render import check_destination, preview, render
    from .templates import BUILTIN, at_version, resolve

    validate_folder_name(name)
    destination = output or Path(name)
    if not dry_run:
        check_destination(destination.absolute(), force)
    forced = parse_data(data or ())
    from_file = load_answers_file(answers_file) if answers_file else {}
    if framework and template:
        raise PyframeError("--framework and --template exclude each other: give one")

    settings = load_config(config)
    matrix = matrix_for(settings)
    if framework is not None and framework not in (*BUILTIN, *matrix.frameworks):
        known = ", ".join(dict.fromkeys((*BUILTIN, *matrix.frameworks)))
        raise PyframeError(f"unknown --framework {framework!r}: choose one of {known}")
    builtin_only = template in (None, *BUILTIN) and not (
        settings.kind_templates or settings.framework_templates
    )
    if builtin_only:  # the name decides the package: check it before any question
        validate_project_name(name)
    interactive = not (defaults or no_input) and can_prompt()
    needs = Needs(kind=kind, needs=frozenset(need or ()), team=team, scale=scale)
    check_needs(needs, matrix)
    by_kind = settings.routed("kind", kind) if template is None and framework is None else None
    if by_kind is not None:
        template, where = by_kind
        print(f"Using template {template}: your configuration maps --kind {kind} to it ({where})")
    elif template is None and framework is None:
        if interactive and not (kind or need or team or scale):
            needs = ask_needs(matrix, needs)
        result = recommend(needs, matrix)
        _print_recommendation(result, matrix, brief=True)
        framework = result.framework
    by_framework = settings.routed("use", framework) if template is None else None
    if by_framework is not None:
        template, where = by_framework
        print(f"Using template {template} for {framework}, as your configuration says ({where})")

    suggested = suggested_answers(needs, framework, matrix) if framework else {}
    chosen = resolve(template or framework or "", settings.templates)
    with at_version(chosen, vcs_ref or chosen.pin) as (chosen, ref):
        package = None
        if chosen.builtin:  # pyframe's own templates share its package-name rule
            package = validate_project_name(name)
            if "package_name" in forced:
                package = validate_package_name(forced["package_name"])
        answers = gather(
            chosen,
            project_name=name,
            package_name=package,
            data=forced,
            answers_file=from_file,
            suggested=suggested,
            organisation=settings.defaults,
        )
        common: dict[str, Any] = {
            "data": answers.data,
            "user_defaults": answers.defaults,
            "interactive": interactive,
            "trust": trust,
            "vcs_ref": ref,
        }
        if dry_run:
            _print_preview(preview(chosen, **common))
            return
        rendered = render(chosen, destination, force=force, **common)
    _print_done(rendered, destination)


@app.command()
def update(
    path: Annotated[
        Path, typer.Argument(help="The project to update (default: the current folder).")
    ] = Path("."),
    vcs_ref: Annotated[
        str | None,
        typer.Option("--vcs-ref", help="Update to this template version instead of the newest."),
    ] = None,
    pretend: Annotated[
        bool, typer.Option("--pretend", help="Show what would change; write nothing.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Exit 1 if a newer template version exists or conflicts remain."
        ),
    ] = False,
    conflict: Annotated[
        str,
        typer.Option(
            "--conflict", help="Write conflicts inline (markers in the file) or as FILE.rej."
        ),
    ] = "inline",
    data: Annotated[
        list[str] | None,
        typer.Option("--data", "-d", help="Answer a new question: KEY=VALUE (repeatable)."),
    ] = None,
    answers_file: Annotated[
        str | None,
        typer.Option(
            "--answers-file",
            help="Update only the template recorded in this answers file (relative to PATH).",
        ),
    ] = None,
    trust: TrustOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Bring a project to the newest version of its template(s), keeping your edits."""
    from .answers import parse_data
    from .config import load_config
    from .update import conflicts_in, status
    from .update import update as run_update

    if conflict not in ("inline", "rej"):
        raise PyframeError(f"unknown --conflict {conflict!r}: choose inline or rej")
    pins = load_config(config).pins()
    if check:
        states = status(path, vcs_ref=vcs_ref, pins=pins, answers_file=answers_file)
        _print_check(states, conflicts_in(path))
        return
    outcome = run_update(
        path,
        answers_file=answers_file,
        vcs_ref=vcs_ref,
        pretend=pretend,
        conflict=conflict,  # type: ignore[arg-type]
        data=parse_data(data or ()),
        trust=trust,
        pins=pins,
        on_layer=_print_updating,
    )
    _print_update(outcome, conflict)


@app.command()
def add(
    source: Annotated[
        str, typer.Argument(help="The layer: a registered name, a local path or a git URL.")
    ],
    path: Annotated[
        Path, typer.Argument(help="The project to add it to (default: the current folder).")
    ] = Path("."),
    data: Annotated[
        list[str] | None,
        typer.Option("--data", "-d", help="Answer a template question: KEY=VALUE (repeatable)."),
    ] = None,
    vcs_ref: Annotated[
        str | None, typer.Option("--vcs-ref", help="Git tag, branch or commit of the layer.")
    ] = None,
    defaults: Annotated[
        bool, typer.Option("--defaults", "-y", help="Take every default; ask nothing.")
    ] = False,
    trust: TrustOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Apply a second template (a layer) on top of a project, with its own answers file."""
    from .answers import parse_data
    from .config import load_config
    from .interview import can_prompt
    from .render import add_layer
    from .templates import at_version, resolve
    from .update import project_answers

    settings = load_config(config)
    chosen = resolve(source, settings.templates)
    with at_version(chosen, vcs_ref or chosen.pin) as (layer, ref):
        rendered = add_layer(
            layer,
            path,
            data=parse_data(data or ()),
            defaults=settings.defaults,
            project_answers=project_answers(path.absolute()),
            interactive=not defaults and can_prompt(),
            trust=trust,
            vcs_ref=ref,
        )
    _print_done(rendered, None)


@app.command()
def templates(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    config: ConfigOpt = None,
) -> None:
    """List the built-in and registered templates with their sources and versions."""
    from .config import load_config
    from .templates import BUILTIN, builtin_versions, normalise_version, resolve

    settings = load_config(config)
    rows = []
    for name in BUILTIN:
        found = resolve(name, settings.templates)
        rows.append(
            {
                "name": name,
                "source": "built-in",
                "version": normalise_version(found.pin) if found.pin else found.version,
                "pinned": found.pin is not None,
                "available": list(builtin_versions()),
                "questions": [q.name for q in found.questions],
            }
        )
    for name, entry in settings.templates.items():
        if entry.source is not None:
            rows.append(
                {
                    "name": name,
                    "source": entry.source,
                    "version": entry.vcs_ref or "newest",
                    "pinned": entry.vcs_ref is not None,
                    "description": entry.description,
                    "registered_in": entry.origin,
                }
            )
    if as_json:
        import json

        print(json.dumps(rows, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Templates")
    for column in ("name", "source", "version", "about"):
        table.add_column(column)
    for row in rows:
        version = str(row["version"]) + (" (pinned)" if row["pinned"] else "")
        about = (
            f"questions: {', '.join(row['questions'])}; versions: {', '.join(row['available'])}"
            if row["source"] == "built-in"
            else f"{row['description'] or '-'} (registered in {row['registered_in']})"
        )
        table.add_row(row["name"], row["source"], version, about)
    Console().print(table)


config_app = typer.Typer(help="Show pyframe's configuration.", rich_markup_mode=None)
app.add_typer(config_app, name="config")


@config_app.command("show")
def config_show(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Print the configuration in effect and where each value came from."""
    from .config import config_paths, load_config

    settings = load_config(config)
    rows = settings.provenance()
    if as_json:
        import json

        print(
            json.dumps(
                {
                    "file": str(settings.path) if settings.path else None,
                    "settings": [{"key": k, "value": v, "from": o} for k, v, o in rows],
                },
                indent=2,
            )
        )
        return
    if settings.path is None:
        looked = ", ".join(str(path) for path in config_paths())
        print(f"No configuration file (looked for {looked}); built-in settings:")
    else:
        print(f"Configuration file: {settings.path}")
    width = max(len(key) for key, _, _ in rows)
    for key, value, origin in rows:
        print(f"  {key:<{width}}  {value!r:<30}  from {origin}")


@app.command()
def smoke(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="Templates: built-in names, local paths or git URLs.", show_default=False
        ),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Every built-in template.")] = False,
    matrix: Annotated[
        str, typer.Option("--matrix", help="Variants: defaults, pairwise or full.")
    ] = "pairwise",
    data: Annotated[
        list[str] | None,
        typer.Option("--data", "-d", help="Pin an answer for every variant: KEY=VALUE."),
    ] = None,
    vcs_ref: Annotated[
        str | None,
        typer.Option("--vcs-ref", help="Git tag, branch or commit of the templates to smoke."),
    ] = None,
    trust: TrustOpt = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Variants at once (default: cores).")
    ] = None,
    keep: Annotated[
        bool, typer.Option("--keep", help="Keep the rendered projects for inspection.")
    ] = False,
    junit: Annotated[
        Path | None, typer.Option("--junit", help="Write JUnit XML to this file.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
    database_url: Annotated[
        list[str] | None,
        typer.Option("--database-url", help="A PostgreSQL or MySQL server URL (repeatable)."),
    ] = None,
    redis_url: Annotated[str | None, typer.Option("--redis-url", help="Redis URL.")] = None,
    require_services: Annotated[
        bool,
        typer.Option(
            "--require-services", help="Fail, not skip, variants whose server is missing."
        ),
    ] = False,
    allow_incomplete: Annotated[
        bool,
        typer.Option(
            "--allow-incomplete",
            help="Count variants whose install, test or boot could not run as passed.",
        ),
    ] = False,
    variant: Annotated[
        list[str] | None,
        typer.Option("--variant", help="Run only this variant id (repeatable; see --list)."),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option("--shard", help="Run shard I of N (I/N): every N-th variant of the plan."),
    ] = None,
    list_only: Annotated[
        bool,
        typer.Option("--list", help="Print the variants and stop (with --json: a CI matrix)."),
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """Render, install, lint, migrate, test and boot every variant of templates."""
    import tempfile

    from .answers import parse_data
    from .config import load_config
    from .copier_adapter import untrusted
    from .smoke import parse_shard, plan, select
    from .templates import BUILTIN, checkout, resolve

    if matrix not in ("defaults", "pairwise", "full"):
        raise PyframeError(f"unknown --matrix {matrix!r}: choose defaults, pairwise or full")
    names = list(BUILTIN) if every else []
    names += [s for s in sources or () if s not in names]
    if not names:
        raise PyframeError("name at least one template (django, fastapi, flask, a path) or --all")
    pinned = parse_data(data or ())
    sliced = parse_shard(shard) if shard else None
    registered = load_config(config).templates
    with tempfile.TemporaryDirectory(prefix="pyframe-templates-") as clones:
        templates = []
        for number, name in enumerate(names):
            folder = Path(clones) / str(number)
            folder.mkdir()
            named = resolve(name, registered)
            found = checkout(named, folder, vcs_ref or named.pin)
            if found.runs_code and not (trust or found.builtin):
                raise untrusted(repr(found.name))
            templates.append(found)
        plans = [plan(t, matrix, pinned, trusted=trust) for t in templates]  # type: ignore[arg-type]
        planned = [v for p in plans for v in p.variants]
        excluded = [e for p in plans for e in p.excluded]
        chosen = select(planned, ids=variant or (), shard=sliced)
        if list_only and as_json:
            import json

            from .smoke import to_matrix

            print(json.dumps(to_matrix(chosen, excluded), indent=2))
            return
        _print_variants(chosen, excluded, to_stderr=as_json)
        if list_only:
            return
        _run_smoke(
            chosen,
            excluded,
            jobs=jobs,
            keep=keep,
            junit=junit,
            as_json=as_json,
            database_url=database_url,
            redis_url=redis_url,
            require_services=require_services,
            trust=trust,
            allow_incomplete=allow_incomplete,
        )


@app.command("junit-merge")
def junit_merge(
    output: Annotated[Path, typer.Argument(help="The joined JUnit file to write.")],
    inputs: Annotated[
        list[Path], typer.Argument(help="The shards' JUnit files (from smoke --junit).")
    ],
) -> None:
    """Join the JUnit files of smoke shards into one; exit 1 if any test case failed."""
    from .smoke import merge_junit

    texts = []
    for path in inputs:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise PyframeError(f"{path} does not exist") from None
    merged, failures = merge_junit(texts)
    output.write_text(merged, encoding="utf-8")
    print(f"{output}: {len(inputs)} files joined, {failures} failed test cases")
    if failures:
        raise typer.Exit(1)


def _run_smoke(variants: list[Any], excluded: list[Any], **settings: Any) -> None:
    import os

    from .smoke import Options, Services
    from .smoke import smoke as run_smoke

    as_json = settings["as_json"]
    options = Options(
        jobs=settings["jobs"] or os.cpu_count() or 1,
        keep=settings["keep"],
        services=Services.from_urls(settings["database_url"] or (), settings["redis_url"]),
        require_services=settings["require_services"],
        trust=settings["trust"],
        allow_incomplete=settings["allow_incomplete"],
    )
    report = _run_with_progress(
        lambda chosen, opts: run_smoke(chosen, opts, excluded),
        variants,
        options,
        to_stderr=as_json,
    )
    junit = settings["junit"]
    if junit:
        from .smoke import to_junit

        junit.write_text(to_junit(report), encoding="utf-8")
    if as_json:
        import json

        from .smoke import to_json

        print(json.dumps(to_json(report), indent=2))
    else:
        _print_smoke_table(report)
    from .smoke import summary_line

    if settings["keep"]:
        for result in report.results:
            if result.project and result.project.exists():
                print(f"kept {result.variant.id}: {result.project}", file=sys.stderr)
    print(summary_line(report), file=sys.stderr if as_json else sys.stdout)
    if not report.ok:
        raise typer.Exit(1)


def _print_recommendation(result: Recommendation, matrix: Matrix, *, brief: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if brief:
        lines = [r.because for r in result.reasons if r.framework == result.framework][:3]
        console.print(
            f"[bold]{result.framework}[/] fits best "
            f"({result.scores[result.framework]} points; {result.runner_up} "
            f"{result.scores[result.runner_up]}):"
        )
        for line in lines:
            console.print(f"  - {line}")
        return
    table = Table(title="Recommendation", show_lines=True)
    table.add_column("framework")
    table.add_column("score", justify="right")
    table.add_column("what moved the score")
    ranked = sorted(matrix.frameworks, key=lambda f: -result.scores[f])
    for fw in ranked:
        why = "\n".join(f"{r.weight:+d}  {r.because}" for r in result.reasons if r.framework == fw)
        table.add_row(fw, str(result.scores[fw]), why or "-")
    console.print(table)
    console.print(f"Recommended: [bold]{result.framework}[/]   runner-up: {result.runner_up}")


def _print_preview(rendered: Any) -> None:
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


def _print_done(rendered: Any, destination: Path | None) -> None:
    # Plain print: paths are shown as they are (rich would read "[b]" in a path as markup), and
    # the common case, ``new --framework F``, does not pay for importing rich.
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


def _print_check(statuses: Any, conflicts: Any) -> None:
    """``update --check``: one line per layer; exit 1 when any is behind or conflicts remain."""
    behind = False
    for state in statuses:
        label = state.layer.title
        if state.up_to_date:
            print(f"{label}: up to date at {state.current}")
        else:
            behind = True
            print(f"{label}: {state.current or 'unknown'} -> {state.newest or 'unknown'} available")
    for found in conflicts:
        print(f"conflict left from an update: {found.path} ({found.kind})")
    if behind or conflicts:
        raise typer.Exit(1)


def _print_updating(state: Any) -> None:
    """Progress goes to stderr, so stdout stays the report of what changed."""
    label = state.layer.title
    print(f"updating {label}: {state.current} -> {state.newest} ...", file=sys.stderr, flush=True)


def _print_update(outcome: Any, conflict: str) -> None:
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
        raise typer.Exit(1)
    if outcome.applied:
        print("Review with `git diff`, then commit.")


def _print_variants(variants: list[Any], excluded: list[Any], *, to_stderr: bool) -> None:
    out = sys.stderr if to_stderr else sys.stdout
    print(f"{len(variants)} variants:", file=out)
    for variant in variants:
        print(f"  {variant.id}  {variant.describe()}", file=out)
    for refused in excluded:
        print(f"  excluded by the template: {refused.message} [{refused.describe()}]", file=out)


def _run_with_progress(run: Any, variants: list[Any], options: Any, *, to_stderr: bool) -> Any:
    """Run the smoke with a live table of variants: step, elapsed, state."""
    import threading
    import time

    from rich.console import Console
    from rich.live import Live
    from rich.table import Table

    lock = threading.Lock()
    state: dict[str, list[Any]] = {v.id: ["waiting", "", None] for v in variants}

    def on_event(variant: Any, step: str, what: str) -> None:
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
        return run(variants, options)


def _print_smoke_table(report: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from .smoke import STEPS
    from .smoke.report import incomplete_reason

    table = Table(title="pyframe smoke")
    table.add_column("variant")
    for step in STEPS:
        table.add_column(step, justify="center")
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
        row = [cells.get(step, "") for step in STEPS]
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


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every failure ends here as one message and an exit code (see errors.py)."""
    from .errors import EXIT_BUG, EXIT_INTERRUPTED, EXIT_USER, NOTHING_CHANGED, describe_os_error

    try:
        result = app(args=argv, prog_name="pyframe", standalone_mode=False)
    except PyframeError as exc:
        prefix = "pyframe: " if exc.exit_code == EXIT_INTERRUPTED else "pyframe: error: "
        print(f"{prefix}{exc.message}", file=sys.stderr)
        return exc.exit_code
    except typer.TyperException as exc:  # bad flags and arguments
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        print(f"pyframe: error: {exc.format_message()}{hint}", file=sys.stderr)
        return exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        print(f"pyframe: {NOTHING_CHANGED}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:  # the disk, permissions, a file where a folder must go...
        print(f"pyframe: error: {describe_os_error(exc)}", file=sys.stderr)
        return EXIT_USER
    except UnicodeDecodeError as exc:
        print(f"pyframe: error: a file is not UTF-8 text ({exc.reason})", file=sys.stderr)
        return EXIT_USER
    except Exception as exc:
        log = _log_crash(argv)
        print(
            f"pyframe: internal error: {type(exc).__name__}: {exc} "
            f"(this is a bug; the details are in {log})",
            file=sys.stderr,
        )
        return EXIT_BUG
    if result == EXIT_INTERRUPTED:  # typer turns Ctrl-C inside a command into 130
        print(f"pyframe: {NOTHING_CHANGED}", file=sys.stderr)
    return result if isinstance(result, int) else 0


def _log_crash(argv: list[str] | None) -> str:
    """Write the traceback with what a bug report needs: versions and the command line."""
    import platform
    import shlex
    import tempfile
    import traceback
    from importlib.metadata import PackageNotFoundError, version

    try:
        copier_version = version("copier")
    except PackageNotFoundError:
        copier_version = "not installed"
    command = ["pyframe", *(sys.argv[1:] if argv is None else argv)]
    with tempfile.NamedTemporaryFile(
        "w", prefix="pyframe-crash-", suffix=".log", delete=False
    ) as handle:
        handle.write(
            f"command: {shlex.join(command)}\n"
            f"pyframe: {__version__}\ncopier: {copier_version}\n"
            f"python: {sys.version.split()[0]} ({platform.platform()})\n\n"
        )
        traceback.print_exc(file=handle)
        return handle.name
