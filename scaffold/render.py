"""Render a template into a project folder without ever leaving half a project behind.

Copier renders into a scratch folder next to the destination (same file system, so placing it is
a rename); the files are placed only after the whole render succeeded. A failure or Ctrl-C before
that removes the scratch folder (and any parent folder made for ``--output``) and leaves the
destination as it was. The template's tasks then run in the placed project, as Copier runs them:
a task that creates ``.venv`` or edits ``README.md`` changes the real project. A task that fails
leaves the complete rendered files in place, and the error says so.

Two renders into the same new folder at once: the first to place its files wins; the other stops
with an error instead of merging its files into the first one's.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import copier_adapter
from .copier_adapter import Copied, TaskFailed
from .errors import Interrupted, PyframeError
from .fs import as_new_folder, check_inside, make_parents, remove_created, scratch_dir, signals_held
from .templates import BUILTIN_PREFIX, Template

#: Where a project records the answers of the template it was generated from, by default.
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
    #: The template's ``_message_after_copy``, rendered ("" when it has none).
    message: str = ""
    #: Whether the template's tasks ran in the project.
    ran_tasks: bool = False


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
    layer: bool = False,
) -> Rendered:
    """Render ``template`` into ``destination``.

    ``data`` answers questions outright; ``user_defaults`` only changes their defaults (the
    person still sees them when ``interactive``). A non-empty destination is refused unless
    ``force``; even then no existing file is overwritten and nothing is written through a
    symbolic link that leads out of the destination. ``answers_file`` names the file the answers
    are recorded in (a ``layer`` added with ``pyframe add`` keeps its own).
    """
    destination = destination.absolute()
    merge = check_destination(destination, force)
    created = make_parents(destination.parent)
    placed = False
    try:
        with scratch_dir(destination.parent, f".{destination.name}.", ".pyframe-tmp") as scratch:
            copied = _copy(
                template, scratch, data, user_defaults, interactive, trust, vcs_ref, answers_file
            )
            if copied.has_tasks and not (trust or template.builtin):
                raise copier_adapter.untrusted(repr(template.name))
            if layer:
                _check_layer_answers(scratch, copied, template)
            if template.builtin:
                stamp_builtin(scratch / copied.answers_file, template.name, template.version)
            files = relative_files(scratch)
            with signals_held():  # a Ctrl-C now is told apart by whether the files were placed
                kept = _place(scratch, destination, merge)
                placed = True
    except KeyboardInterrupt:
        if placed:
            tasks = " (its tasks did not run)" if copied.has_tasks else ""
            raise Interrupted(
                f"interrupted, but the project was already complete in {destination}{tasks}"
            ) from None
        remove_created(created)
        raise Interrupted(f"interrupted; nothing was written to {destination}") from None
    except BaseException:
        if not placed:
            remove_created(created)
        raise
    rendered = Rendered(
        destination=destination,
        answers=_public_answers(copied),
        files=files,
        kept=kept,
        message=copied.message_after_copy,
    )
    if not copied.has_tasks:
        return rendered
    _run_tasks(template, destination, copied, vcs_ref, answers_file)
    return replace(rendered, ran_tasks=True)


def _run_tasks(
    template: Template,
    destination: Path,
    copied: Copied,
    vcs_ref: str | None,
    answers_file: str | None,
) -> None:
    """The template's tasks, in the placed project; a failure says what the folder holds."""
    placed = f"the project's files are complete in {destination}, but its tasks did not finish"
    try:
        copier_adapter.run_tasks(
            template.source,
            destination,
            label=repr(template.name),
            answers=copied.answers,
            vcs_ref=vcs_ref,
            answers_file=answers_file,
        )
    except TaskFailed as exc:
        raise PyframeError(
            f"{exc.message}; {placed} (fix the cause and run it there yourself, "
            f"or remove {destination} and start again)"
        ) from exc
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted while the template's tasks ran: {placed}") from None


def add_layer(
    template: Template,
    project: Path,
    *,
    data: Mapping[str, Any],
    defaults: Mapping[str, Any] | None = None,
    project_answers: Mapping[str, Any] | None = None,
    interactive: bool = False,
    trust: bool = False,
    vcs_ref: str | None = None,
) -> Rendered:
    """Apply ``template`` on top of an existing project as a layer (``pyframe add``).

    The layer records its answers in ``.copier-answers.<name>.yml`` so that ``pyframe update``
    can update it separately from the project's own template. Questions the project already
    answered (``project_answers``: ``package_name``, ``python_version``...) default to the
    project's answers, then to ``defaults`` (the organisation's). Files the project already has
    are kept; the layer's version is written next to them. Its tasks run in the project.
    """
    project = project.absolute()
    if not project.is_dir():
        raise PyframeError(f"{project} is not a folder", field="path")
    answers_file = layer_answers_file(template.name)
    if (project / answers_file).exists():
        raise PyframeError(
            f"{project / answers_file} exists: {template.name!r} is already applied; "
            "`pyframe update` updates it"
        )
    known = {q.name for q in template.questions}
    suggested = {**(defaults or {}), **(project_answers or {})}
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
        layer=True,
    )


def check_trusted(template: Template, trust: bool) -> None:
    """Refuse, before anything is asked or rendered, a template that would run its own code
    (tasks, migrations, Jinja extensions) unless it is trusted; built-in templates are."""
    if template.runs_code and not (trust or template.builtin):
        raise copier_adapter.untrusted(repr(template.name))


def layer_answers_file(name: str) -> str:
    """``.copier-answers.<name>.yml`` for a layer called ``name`` (made safe as a file name).

    A URL or path names the layer by its last part: ``gh:acme/observability.git`` is
    ``observability``.
    """
    last = re.split(r"[/:\\]", name.rstrip("/"))[-1].removesuffix(".git")
    slug = re.sub(r"[^a-z0-9_-]+", "-", last.lower()).strip("-") or "layer"
    return f".copier-answers.{slug}.yml"


def _check_layer_answers(scratch: Path, copied: Copied, template: Template) -> None:
    """A layer must record its answers where asked, never in the project's own answers file."""
    recorded = scratch / copied.answers_file
    if (
        not recorded.is_file()
        or copied.answers_file == MAIN_ANSWERS
        or (scratch / MAIN_ANSWERS).exists()
    ):
        raise PyframeError(
            f"template {template.name!r} cannot be a layer: it does not write its answers to "
            "{{ _copier_conf.answers_file }}.jinja, so they would overwrite the project's own",
            field="template",
        )


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
    with scratch_dir(Path(tempfile.gettempdir()), "pyframe-preview-") as scratch:
        copied = _copy(template, scratch, data, user_defaults, interactive, trust, vcs_ref)
        return Rendered(
            destination=scratch, answers=_public_answers(copied), files=relative_files(scratch)
        )


def _copy(
    template: Template,
    target: Path,
    data: Mapping[str, Any],
    user_defaults: Mapping[str, Any] | None,
    interactive: bool,
    trust: bool,
    vcs_ref: str | None,
    answers_file: str | None = None,
) -> Copied:
    """Copier's render of ``template`` into ``target`` (a folder of ours), tasks not run; a
    built-in template is pyframe's own and always trusted."""
    return copier_adapter.copy(
        template.source,
        target,
        label=repr(template.name),
        data=data,
        user_defaults=user_defaults,
        interactive=interactive,
        unsafe=trust or template.builtin,
        vcs_ref=vcs_ref,
        answers_file=answers_file,
    )


def check_destination(destination: Path, force: bool) -> bool:
    """Refuse a destination the project cannot go to; returns whether files will be merged in.

    Run before any question is asked, so a person does not answer twelve questions to learn
    that the folder was taken.
    """
    if destination.is_symlink() and not destination.exists():
        raise PyframeError(f"{destination} is a broken symbolic link", field="output")
    if destination.exists() and not destination.is_dir():
        raise PyframeError(f"{destination} exists and is not a folder", field="output")
    if not destination.is_dir():
        return False
    if not any(destination.iterdir()):
        return False
    if not force:
        raise PyframeError(
            f"{destination} is not empty: choose another name or {{@output}}, or pass {{@force}} "
            f"to add the project's files to it (existing files are kept; the template's version "
            f"is written next to them as FILE{KEPT_SUFFIX})",
            field="output",
        )
    return True


def stamp_builtin(answers_path: Path, name: str, version: str | None) -> None:
    """Record a built-in template as ``pyframe:<name>`` at ``v<version>`` in its answers file.

    Copier would record the path of the installed package, which breaks as soon as pyframe is
    upgraded or the project is cloned elsewhere; ``pyframe update`` reads these two keys to find
    the template version the project was generated from.
    """
    if answers_path.is_file():
        copier_adapter.record_source(
            answers_path, f"{BUILTIN_PREFIX}{name}", f"v{version}" if version else None
        )


def _public_answers(copied: Copied) -> dict[str, Any]:
    """The answers worth showing: the template's questions, without secrets."""
    return {k: v for k, v in copied.answers.items() if k not in copied.secret}


def make_targets(project: Path) -> set[str]:
    """The targets a project's Makefile defines (what ``make`` can do there)."""
    makefile = project / "Makefile"
    if not makefile.is_file():
        return set()
    text = makefile.read_text(encoding="utf-8", errors="replace")
    return set(re.findall(r"^([A-Za-z0-9_][A-Za-z0-9_.-]*):(?!=)", text, re.MULTILINE))


def relative_files(root: Path) -> tuple[str, ...]:
    """Every file and symbolic link under ``root``, relative to it, sorted."""
    found = []
    for folder, dirs, names in os.walk(root):
        base = Path(folder)
        links = [d for d in dirs if (base / d).is_symlink()]
        found += [str((base / name).relative_to(root)) for name in [*names, *links]]
    return tuple(sorted(found))


def _place(scratch: Path, destination: Path, merge: bool) -> tuple[str, ...]:
    """Move the rendered project into place; returns the files that already existed.

    A new (or empty) destination is one rename, which fails rather than merges when another
    process placed a project there in the meantime.
    """
    if merge:
        return _merge(scratch, destination)
    try:
        as_new_folder(scratch)
        if destination.is_dir():
            destination.rmdir()  # empty when checked; fails if something arrived since
        os.rename(scratch, destination)
        scratch.mkdir()  # the scratch context removes it again
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR):
            raise PyframeError(
                f"{destination} was created by someone else while this project was rendered; "
                "nothing was written to it",
                field="output",
            ) from None
        raise
    return ()


def _same_content(source: Path, target: Path) -> bool:
    if source.is_symlink() or target.is_symlink():
        both = source.is_symlink() and target.is_symlink()
        return both and os.readlink(source) == os.readlink(target)
    return target.is_file() and target.read_bytes() == source.read_bytes()


def _merge(scratch: Path, destination: Path) -> tuple[str, ...]:
    """Add the rendered files to a non-empty destination, keeping every existing file.

    Every target is checked before the first file moves: nothing is written through a symbolic
    link that leads out of the destination. If anything fails half-way (Ctrl-C included), the
    files added so far are removed again, so the destination is left exactly as it was.
    """
    relatives = relative_files(scratch)
    check_inside(destination, relatives)
    plan: list[tuple[Path, Path]] = []
    kept: list[str] = []
    for relative in relatives:
        source, target = scratch / relative, destination / relative
        if target.exists() or target.is_symlink():
            if _same_content(source, target):
                continue
            kept.append(relative)
            target = target.with_name(target.name + KEPT_SUFFIX)
            if target.exists() or target.is_symlink():
                raise PyframeError(f"{target} exists; move it away and try again", field="output")
        for parent in target.relative_to(destination).parents[:-1]:
            folder = destination / parent
            if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
                raise PyframeError(
                    f"{folder} is a file, but the template puts a folder there; "
                    "move it away and try again",
                    field="output",
                )
        plan.append((source, target))
    added: list[Path] = []
    try:
        for source, target in plan:
            for parent in reversed(target.relative_to(destination).parents[:-1]):
                folder = destination / parent
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
