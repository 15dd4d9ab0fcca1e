"""Render a template into a project folder without ever leaving half a project behind.

This is the only module that calls Copier to create projects. Copier renders into a temporary
folder next to the destination (same file system, so the final move is a rename); the folder is
moved into place only after the render and the template's tasks succeeded. A failure or Ctrl-C
removes the temporary folder and leaves the destination as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PyframeError
from .templates import BUILTIN_PREFIX, Template

#: Copier's default exclusions. A template that sets its own ``_exclude`` replaces them, and then
#: ``copier.yml`` and the template's ``.git`` end up in every project; passing them again as
#: pyframe's own exclusions closes that gap whatever the template says.
ALWAYS_EXCLUDE = (
    "copier.yaml",
    "copier.yml",
    "~*",
    "*.py[co]",
    "__pycache__",
    ".git",
    ".DS_Store",
    ".svn",
)

#: Where a project records the answers of the template it was generated from.
MAIN_ANSWERS = ".copier-answers.yml"

#: Suffix of the file written next to a file that already existed when ``force`` is used.
KEPT_SUFFIX = ".pyframe-new"


@dataclass(frozen=True)
class Rendered:
    """What a render produced."""

    destination: Path
    answers: Mapping[str, Any]
    files: tuple[str, ...]
    #: Files that already existed in the destination; the template's version sits next to each,
    #: with KEPT_SUFFIX.
    kept: tuple[str, ...] = field(default=())


def render(
    template: Template,
    destination: Path,
    *,
    data: Mapping[str, Any],
    user_defaults: Mapping[str, Any] | None = None,
    interactive: bool = False,
    force: bool = False,
    trust: bool = False,
    vcs_ref: str | None = None,
    answers_file: str | None = None,
) -> Rendered:
    """Render ``template`` into ``destination``.

    ``data`` answers questions outright; ``user_defaults`` only changes their defaults (the
    person still sees them when ``interactive``). A non-empty destination is refused unless
    ``force``; even then no existing file is overwritten. ``answers_file`` names the file the
    answers are recorded in (a layer added with ``pyframe add`` keeps its own).
    """
    destination = destination.absolute()
    _check_destination(destination, force)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with _scratch_dir(destination.parent, prefix=f".{destination.name}.") as scratch:
        answers = _copy(
            template,
            scratch,
            data,
            user_defaults,
            interactive,
            trust,
            vcs_ref,
            answers_file=answers_file,
        )
        files = _relative_files(scratch)
        kept = _place(scratch, destination)
    return Rendered(destination=destination, answers=answers, files=files, kept=kept)


def add_layer(
    template: Template,
    project: Path,
    *,
    data: Mapping[str, Any],
    defaults: Mapping[str, Any] | None = None,
    interactive: bool = False,
    trust: bool = False,
    vcs_ref: str | None = None,
) -> Rendered:
    """Apply ``template`` on top of an existing project as a layer (``pyframe add``).

    The layer records its answers in ``.copier-answers.<name>.yml`` so that ``pyframe update``
    can update it separately from the project's own template. Questions the project already
    answered (``package_name``, ``python_version``...) default to the project's answers, then
    to ``defaults`` (the organisation's). Files the project already has are kept; the layer's
    version is written next to them.
    """
    project = project.absolute()
    if not project.is_dir():
        raise PyframeError(f"{project} is not a folder")
    answers_file = layer_answers_file(template.name)
    if (project / answers_file).exists():
        raise PyframeError(
            f"{project / answers_file} exists: {template.name!r} is already applied; "
            "`pyframe update` updates it"
        )
    known = {q.name for q in template.questions}
    suggested = {**(defaults or {}), **_project_answers(project)}
    return render(
        template,
        project,
        data=data,
        user_defaults={k: v for k, v in suggested.items() if not known or k in known},
        interactive=interactive,
        force=True,
        trust=trust,
        vcs_ref=vcs_ref,
        answers_file=answers_file,
    )


def layer_answers_file(name: str) -> str:
    """``.copier-answers.<name>.yml`` for a layer called ``name`` (made safe as a file name).

    A URL or path names the layer by its last part: ``gh:acme/observability.git`` is
    ``observability``.
    """
    last = re.split(r"[/:\\]", name.rstrip("/"))[-1].removesuffix(".git")
    slug = re.sub(r"[^a-z0-9_-]+", "-", last.lower()).strip("-") or "layer"
    return f".copier-answers.{slug}.yml"


def _project_answers(project: Path) -> dict[str, Any]:
    from .answers import load_answers_file

    main = project / MAIN_ANSWERS
    return load_answers_file(main) if main.is_file() else {}


def preview(
    template: Template,
    *,
    data: Mapping[str, Any],
    user_defaults: Mapping[str, Any] | None = None,
    interactive: bool = False,
    trust: bool = False,
    vcs_ref: str | None = None,
) -> Rendered:
    """Render into a throw-away folder and report what would be written (``--dry-run``).

    Tasks are not run: a dry run must not have side effects.
    """
    with _scratch_dir(Path(tempfile.gettempdir()), prefix="pyframe-preview-") as scratch:
        answers = _copy(
            template,
            scratch,
            data,
            user_defaults,
            interactive,
            trust,
            vcs_ref,
            skip_tasks=True,
        )
        return Rendered(destination=scratch, answers=answers, files=_relative_files(scratch))


def _check_destination(destination: Path, force: bool) -> None:
    if destination.exists() and not destination.is_dir():
        raise PyframeError(f"{destination} exists and is not a folder")
    if destination.is_dir() and any(destination.iterdir()) and not force:
        raise PyframeError(
            f"{destination} is not empty: choose another name or --output, or pass --force "
            f"to add the project's files to it (existing files are kept; the template's version "
            f"is written next to them as FILE{KEPT_SUFFIX})"
        )


@contextmanager
def _scratch_dir(parent: Path, prefix: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=prefix, suffix=".pyframe-tmp", dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _copy(
    template: Template,
    target: Path,
    data: Mapping[str, Any],
    user_defaults: Mapping[str, Any] | None,
    interactive: bool,
    trust: bool,
    vcs_ref: str | None,
    *,
    answers_file: str | None = None,
    skip_tasks: bool = False,
) -> dict[str, Any]:
    from copier import Settings, run_copy

    with copier_errors(repr(template.name)):
        worker = run_copy(
            template.source,
            target,
            data=dict(data),
            user_defaults=dict(user_defaults or {}),
            # A user's Copier settings.yml would silently change the template's defaults and
            # trust list; pyframe's own answers and --trust are the only inputs.
            settings=Settings(),
            exclude=ALWAYS_EXCLUDE,
            defaults=not interactive,
            unsafe=trust or template.builtin,
            vcs_ref=vcs_ref,
            quiet=True,
            skip_tasks=skip_tasks,
            overwrite=True,  # the scratch folder is ours and empty
            answers_file=answers_file,
        )
    if answers_file and (
        not (target / answers_file).is_file()
        or (answers_file != MAIN_ANSWERS and (target / MAIN_ANSWERS).exists())
    ):
        raise PyframeError(
            f"template {template.name!r} cannot be a layer: it does not write its answers to "
            "{{ _copier_conf.answers_file }}.jinja, so they would overwrite the project's own"
        )
    if template.builtin:
        stamp_builtin(target / worker.answers_relpath, template.name, template.version)
    return _public_answers(worker.answers.combined, template)


def stamp_builtin(answers_path: Path, name: str, version: str | None) -> None:
    """Record a built-in template as ``pyframe:<name>`` at ``v<version>`` in its answers file.

    Copier would record the path of the installed package, which breaks as soon as pyframe is
    upgraded or the project is cloned elsewhere; ``pyframe update`` reads these two keys to find
    the template version the project was generated from.
    """
    if answers_path.is_file():
        record_source(answers_path, f"{BUILTIN_PREFIX}{name}", f"v{version}" if version else None)


def record_source(answers_path: Path, source: str, commit: str | None) -> None:
    """Set ``_src_path`` and ``_commit`` in an answers file, changing only those two lines so
    the file keeps Copier's layout (``update`` points Copier at a scratch copy this way too)."""
    lines = [
        line
        for line in answers_path.read_text(encoding="utf-8").splitlines()
        if not line.startswith(("_src_path:", "_commit:"))
    ]
    at = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    lines[at:at] = [*([f"_commit: {commit}"] if commit else []), f"_src_path: {source}"]
    answers_path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@contextmanager
def copier_errors(template: str) -> Iterator[None]:
    """Turn what Copier raises into one-line errors a person can act on.

    Copier reports bad answers, untrusted templates, unreachable sources and Jinja mistakes as
    several exception types with multi-line messages; pyframe's contract is one line, exit 2.
    ``update`` uses this too, so both commands word the same failure the same way.
    """
    from copier.errors import (
        CopierError,
        InteractiveSessionError,
        UnsafeTemplateError,
        UserMessageError,
    )
    from jinja2 import TemplateError
    from plumbum import ProcessExecutionError

    try:
        yield
    except UnsafeTemplateError as exc:
        raise PyframeError(
            f"template {template} runs tasks, migrations or Jinja extensions on your "
            "machine; read it, then pass --trust if you trust it"
        ) from exc
    except InteractiveSessionError as exc:
        raise PyframeError(
            f"template {template} needs answers and there is no terminal to ask: "
            "pass --defaults, --data KEY=VALUE or --answers-file FILE"
        ) from exc
    except UserMessageError as exc:
        raise PyframeError(f"template {template}: {_one_line(exc)}") from exc
    except ProcessExecutionError as exc:
        reason = _one_line(exc.stderr or exc)
        raise PyframeError(f"cannot use template {template}: {reason}") from exc
    except TemplateError as exc:
        raise PyframeError(f"template {template} failed to render: {_one_line(exc)}") from exc
    except (CopierError, ValueError) as exc:
        raise PyframeError(f"template {template}: {_one_line(exc)}") from exc


def _public_answers(combined: Mapping[str, Any], template: Template) -> dict[str, Any]:
    """The answers worth showing: the template's questions, without secrets or Copier's
    context helpers (``now``, ``make_secret``) and private ``_`` keys."""
    secret = {q.name for q in template.questions if q.secret}
    asked = [q.name for q in template.questions if not q.secret]
    if asked:
        return {name: combined[name] for name in asked if name in combined}
    return {
        k: v
        for k, v in combined.items()
        if not k.startswith("_") and not callable(v) and k not in secret
    }


def _relative_files(root: Path) -> tuple[str, ...]:
    return tuple(
        sorted(
            str(path.relative_to(root))
            for path in root.rglob("*")
            if path.is_file() or path.is_symlink()
        )
    )


def _place(scratch: Path, destination: Path) -> tuple[str, ...]:
    """Move the rendered project into place; returns the files that already existed."""
    if not destination.exists():
        os.rename(scratch, destination)
        scratch.mkdir()  # the scratch context removes it again
        return ()
    if not any(destination.iterdir()):
        destination.rmdir()
        os.rename(scratch, destination)
        scratch.mkdir()
        return ()
    return _merge(scratch, destination)


def _merge(scratch: Path, destination: Path) -> tuple[str, ...]:
    """Add the rendered files to a non-empty destination, keeping every existing file.

    If anything fails half-way (Ctrl-C included), the files added so far are removed again, so
    the destination is left exactly as it was.
    """
    added: list[Path] = []
    kept: list[str] = []
    try:
        for relative in _relative_files(scratch):
            source, target = scratch / relative, destination / relative
            if target.exists() or target.is_symlink():
                if target.is_file() and target.read_bytes() == source.read_bytes():
                    continue
                kept.append(relative)
                target = target.with_name(target.name + KEPT_SUFFIX)
                if target.exists():
                    raise PyframeError(f"{target} exists; move it away and try again")
            for parent in reversed(target.relative_to(destination).parents[:-1]):
                folder = destination / parent
                if folder.exists() and not folder.is_dir():
                    raise PyframeError(
                        f"{folder} is a file, but the template puts a folder there; "
                        "move it away and try again"
                    )
                if not folder.exists():
                    folder.mkdir()
                    added.append(folder)
            shutil.move(source, target)
            added.append(target)
    except BaseException:
        for path in reversed(added):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        raise
    return tuple(kept)


def _one_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
