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
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import __version__
from .errors import EXIT_NO, PyframeError

if TYPE_CHECKING:
    from .smoketest import Report


class MatrixMode(StrEnum):
    defaults = "defaults"
    pairwise = "pairwise"
    full = "full"


class ConflictStyle(StrEnum):
    inline = "inline"
    rej = "rej"


app = typer.Typer(
    name="pyframe",
    help="Pick Django, FastAPI or Flask for what you are building, and start from a "
    "production-ready skeleton.",
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

#: The built-in matrix's words, shown by --help (a test checks them against matrix.toml; an
#: organisation's matrix may declare others, which the interview and errors then list).
KINDS = (
    "api, web-app, cms, ecommerce, microservice, ml-serving, realtime, prototype, "
    "internal-tool, learning, enterprise"
)
NEEDS = (
    "admin, auth, orm, async, websockets, api-docs, type-safety, high-concurrency, "
    "background-jobs, compliance, flexibility, fast-delivery, templates"
)
TEAMS = "django, fastapi, flask, new"
SCALES = "small, medium, large"

KindOpt = Annotated[
    str | None, typer.Option("--kind", metavar="KIND", help=f"What you are building: {KINDS}.")
]
NeedOpt = Annotated[
    list[str] | None,
    typer.Option("--need", metavar="NEED", help=f"What it needs (repeatable): {NEEDS}."),
]
TeamOpt = Annotated[
    str | None, typer.Option("--team", metavar="TEAM", help=f"What the team knows: {TEAMS}.")
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
        metavar="FILE",
        help="Configuration file (default: ./pyframe.toml, then the user's config folder).",
    ),
]
ScaleOpt = Annotated[
    str | None, typer.Option("--scale", metavar="SCALE", help=f"How large it will grow: {SCALES}.")
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
        from . import display

        display.recommendation(result, matrix)


@app.command()
def new(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Project name, e.g. my-service.")],
    framework: Annotated[
        str | None,
        typer.Option(
            "--framework",
            metavar="FRAMEWORK",
            help="django, fastapi or flask: skips the recommendation.",
        ),
    ] = None,
    kind: KindOpt = None,
    need: NeedOpt = None,
    team: TeamOpt = None,
    scale: ScaleOpt = None,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            "-d",
            metavar="KEY=VALUE",
            help="Answer a template question: KEY=VALUE (repeatable).",
        ),
    ] = None,
    answers_file: Annotated[
        Path | None,
        typer.Option(
            "--answers-file", metavar="FILE", help="YAML file of answers (as Copier's data file)."
        ),
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
        typer.Option(
            "--template", metavar="SRC", help="Any Copier template: a local path or a git URL."
        ),
    ] = None,
    vcs_ref: Annotated[
        str | None,
        typer.Option("--vcs-ref", metavar="REF", help="Git tag, branch or commit of --template."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="DIR", help="Project folder (default: ./NAME)."),
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
    from . import display
    from .answers import load_answers_file, parse_data
    from .config import load_config, matrix_for
    from .core import check_early, choose, create
    from .interview import ask_needs, ask_template, can_prompt
    from .matrix import Needs

    settings = load_config(config)
    check_early(
        name,
        output or Path(name),
        settings,
        framework=framework,
        template=template,
        force=force or dry_run,
    )
    interactive = not (defaults or no_input) and can_prompt()
    choice = choose(
        Needs(kind=kind, needs=frozenset(need or ()), team=team, scale=scale),
        settings,
        framework=framework,
        template=template,
        ask_needs=ask_needs if interactive else None,
    )
    display.chosen(choice, matrix_for(settings))
    rendered = create(
        choice,
        name,
        settings,
        output=output,
        data=parse_data(data or ()),
        answers_file=load_answers_file(answers_file) if answers_file else {},
        interactive=interactive,
        force=force,
        trust=trust,
        vcs_ref=vcs_ref,
        dry_run=dry_run,
        ask=ask_template,
    )
    if dry_run:
        display.preview(rendered)
    else:
        display.done(rendered, output or Path(name))


@app.command()
def update(
    path: Annotated[
        Path,
        typer.Argument(metavar="PATH", help="The project to update (default: the current folder)."),
    ] = Path("."),
    vcs_ref: Annotated[
        str | None,
        typer.Option(
            "--vcs-ref",
            metavar="REF",
            help="Update to this template version instead of the newest.",
        ),
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
        ConflictStyle,
        typer.Option(
            "--conflict", help="Write conflicts inline (markers in the file) or as FILE.rej."
        ),
    ] = ConflictStyle.inline,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            "-d",
            metavar="KEY=VALUE",
            help="Answer a new question: KEY=VALUE (repeatable).",
        ),
    ] = None,
    answers_file: Annotated[
        str | None,
        typer.Option(
            "--answers-file",
            metavar="FILE",
            help="Update only the template recorded in this answers file (relative to PATH).",
        ),
    ] = None,
    trust: TrustOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Bring a project to the newest version of its template(s), keeping your edits."""
    from . import display
    from .answers import parse_data
    from .config import load_config
    from .updating import conflicts_in, status
    from .updating import update as run_update

    pins = load_config(config).pins()
    if check:
        states = status(path, vcs_ref=vcs_ref, pins=pins, answers_file=answers_file)
        if not display.check(states, conflicts_in(path)):
            raise typer.Exit(EXIT_NO)
        return
    outcome = run_update(
        path,
        answers_file=answers_file,
        vcs_ref=vcs_ref,
        pretend=pretend,
        conflict=conflict.value,
        data=parse_data(data or ()),
        trust=trust,
        pins=pins,
        on_layer=display.updating,
    )
    if not display.update(outcome, conflict.value):
        raise typer.Exit(EXIT_NO)


@app.command()
def add(
    source: Annotated[
        str,
        typer.Argument(
            metavar="SRC", help="The layer: a registered name, a local path or a git URL."
        ),
    ],
    path: Annotated[
        Path,
        typer.Argument(
            metavar="PATH", help="The project to add it to (default: the current folder)."
        ),
    ] = Path("."),
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            "-d",
            metavar="KEY=VALUE",
            help="Answer a template question: KEY=VALUE (repeatable).",
        ),
    ] = None,
    vcs_ref: Annotated[
        str | None,
        typer.Option("--vcs-ref", metavar="REF", help="Git tag, branch or commit of the layer."),
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
    from .updating import project_answers

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
    from . import display

    display.done(rendered, None)


@app.command()
def templates(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    config: ConfigOpt = None,
) -> None:
    """List the built-in and registered templates: sources, versions, questions and choices."""
    from .config import load_config
    from .templates import catalogue

    rows = catalogue(load_config(config).templates)
    if as_json:
        import json

        print(json.dumps(rows, indent=2))
        return
    from . import display

    display.templates(rows)


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
            metavar="TEMPLATE",
            help="Templates: built-in names, local paths or git URLs.",
            show_default=False,
        ),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Every built-in template.")] = False,
    matrix: Annotated[
        MatrixMode, typer.Option("--matrix", help="Variants: defaults, pairwise or full.")
    ] = MatrixMode.pairwise,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data", "-d", metavar="KEY=VALUE", help="Pin an answer for every variant: KEY=VALUE."
        ),
    ] = None,
    vcs_ref: Annotated[
        str | None,
        typer.Option(
            "--vcs-ref", metavar="REF", help="Git tag, branch or commit of the templates to smoke."
        ),
    ] = None,
    trust: TrustOpt = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", metavar="N", min=1, help="Variants at once (default: cores)."),
    ] = None,
    keep: Annotated[
        bool, typer.Option("--keep", help="Keep the rendered projects for inspection.")
    ] = False,
    junit: Annotated[
        Path | None, typer.Option("--junit", metavar="FILE", help="Write JUnit XML to this file.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
    database_url: Annotated[
        list[str] | None,
        typer.Option(
            "--database-url", metavar="URL", help="A PostgreSQL or MySQL server URL (repeatable)."
        ),
    ] = None,
    redis_url: Annotated[
        str | None, typer.Option("--redis-url", metavar="URL", help="Redis URL.")
    ] = None,
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
        typer.Option(
            "--variant", metavar="ID", help="Run only this variant id (repeatable; see --list)."
        ),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard", metavar="I/N", help="Run shard I of N (I/N): every N-th variant of the plan."
        ),
    ] = None,
    list_only: Annotated[
        bool,
        typer.Option("--list", help="Print the variants and stop (with --json: a CI matrix)."),
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """Render, install, lint, migrate, test and boot every variant of templates."""
    import os
    import tempfile

    from . import display
    from .answers import parse_data
    from .config import load_config
    from .smoketest import Options, Services, load, parse_shard, plan_all, select, smoke

    pinned = parse_data(data or ())
    sliced = parse_shard(shard) if shard else None
    registered = load_config(config).templates
    with tempfile.TemporaryDirectory(prefix="pyframe-templates-") as clones:
        templates = load(
            sources or (),
            Path(clones),
            every=every,
            registered=registered,
            vcs_ref=vcs_ref,
            trust=trust,
        )
        planned = plan_all(templates, matrix.value, pinned, trusted=trust)
        chosen = select(planned.variants, ids=variant or (), shard=sliced)
        if list_only and as_json:
            import json

            from .smoketest import to_matrix

            print(json.dumps(to_matrix(chosen, planned.excluded), indent=2))
            return
        display.variants(chosen, planned.excluded, to_stderr=as_json)
        if list_only:
            return
        options = Options(
            jobs=jobs or os.cpu_count() or 1,
            keep=keep,
            services=Services.from_urls(database_url or (), redis_url),
            require_services=require_services,
            trust=trust,
            allow_incomplete=allow_incomplete,
        )
        report = display.with_progress(
            lambda run, opts: smoke(run, opts, planned.excluded),
            chosen,
            options,
            to_stderr=as_json,
        )
    _report_smoke(report, junit=junit, as_json=as_json, keep=keep)


def _report_smoke(report: Report, *, junit: Path | None, as_json: bool, keep: bool) -> None:
    from . import display
    from .smoketest import summary_line, to_json, to_junit

    if junit:
        junit.write_text(to_junit(report), encoding="utf-8")
    if as_json:
        import json

        print(json.dumps(to_json(report), indent=2))
    else:
        display.smoke_table(report)
    if keep:
        for result in report.results:
            if result.project and result.project.exists():
                print(f"kept {result.variant.id}: {result.project}", file=sys.stderr)
    print(summary_line(report), file=sys.stderr if as_json else sys.stdout)
    if not report.ok:
        raise typer.Exit(EXIT_NO)


@app.command("junit-merge")
def junit_merge(
    output: Annotated[
        Path, typer.Argument(metavar="OUTPUT", help="The joined JUnit file to write.")
    ],
    inputs: Annotated[
        list[Path],
        typer.Argument(metavar="JUNIT", help="The shards' JUnit files (from smoke --junit)."),
    ],
) -> None:
    """Join the JUnit files of smoke shards into one; exit 1 if any test case failed."""
    from .smoketest import merge_junit

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
        raise typer.Exit(EXIT_NO)


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", metavar="HOST", help="Address to listen on.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="PORT", help="Port to listen on.")] = 8000,
    trust: Annotated[
        bool,
        typer.Option("--trust", help="Render registered templates that run tasks or migrations."),
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """Serve the recommendation and the skeletons as a web page and an HTTP API."""
    from importlib.util import find_spec

    missing = [name for name in ("starlette", "uvicorn") if find_spec(name) is None]
    if missing:  # the web extra is optional
        raise PyframeError(
            f"pyframe serve needs the web extra ({', '.join(missing)} missing): "
            "pip install 'pyframe-cli[web]'"
        )
    from .web import serve as run_server

    run_server(host=host, port=port, trust=trust, config=config)


#: How the CLI names the inputs an error asks a person to change (``{@trust}`` in a message).
FLAGS = {
    "answers_file": "--answers-file",
    "config": "--config",
    "data": "--data",
    "database_url": "--database-url",
    "defaults": "--defaults",
    "force": "--force",
    "framework": "--framework",
    "kind": "--kind",
    "matrix": "--matrix",
    "need": "--need",
    "output": "--output",
    "scale": "--scale",
    "shard": "--shard",
    "team": "--team",
    "template": "--template",
    "trust": "--trust",
}


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every failure ends here as one message and an exit code (see errors.py)."""
    from .errors import EXIT_BUG, EXIT_INTERRUPTED, EXIT_USER, NOTHING_CHANGED, describe_os_error

    try:
        result = _command().main(args=argv, prog_name="pyframe", standalone_mode=False)
    except PyframeError as exc:
        prefix = "pyframe: " if exc.exit_code == EXIT_INTERRUPTED else "pyframe: error: "
        print(f"{prefix}{exc.text(FLAGS)}", file=sys.stderr)
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


def _command() -> typer.core.TyperGroup:
    """The click command typer builds, with arguments shown by name only in --help (typer
    would add Python type names such as ``<str>``, which mean nothing to a person)."""
    command = typer.main.get_command(app)
    stack = [command]
    while stack:
        current = stack.pop()
        for param in current.params:
            if isinstance(param, typer.core.TyperArgument):
                param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
        stack += list(getattr(current, "commands", {}).values())
    return command  # type: ignore[return-value]


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
