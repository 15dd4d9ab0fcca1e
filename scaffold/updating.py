"""Bring a generated project to a newer version of its template(s), never losing an edit.

Copier's 3-way update does the merging: it renders the template version the project was made
from, diffs that against the project (the person's edits), renders the new version and applies
the edits on top. pyframe wraps it for three reasons:

* **Nothing is touched until everything worked.** The update runs in a throw-away clone of the
  project's repository. Only when every layer updated are the resulting changes copied into the
  project, as uncommitted changes the person reviews with ``git diff``. ``pretend`` stops before
  that copy, which is why it can show exactly what an update would do.
* **Conflicts fail.** Copier exits 0 when an update leaves conflicts; pyframe lists every
  conflict (unmerged paths, conflict markers, ``.rej`` files) and the CLI exits non-zero.
* **Built-in templates have no git repository.** A project records ``_src_path: pyframe:flask``
  and ``_commit: v0.1.0``; pyframe builds a two-commit repository (the recorded version and the
  target version, each tagged) from the versions it ships (``templates.builtin_at``), so Copier
  sees an ordinary versioned template, offline.

A project can carry several templates ("layers", see ``pyframe add``), each with its own answers
file (``.copier-answers.yml``, ``.copier-answers.<name>.yml``); they are updated in that order,
each on top of the previous one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from . import copier_adapter
from .copier_adapter import Copied, TaskFailed, git, record_source, recorded_commit
from .errors import Interrupted, PyframeError
from .fs import check_inside, scratch_dir, signals_held
from .render import MAIN_ANSWERS
from .templates import (
    BUILTIN_PREFIX,
    builtin_at,
    builtin_name,
    clone_url,
    current_version,
    is_remote,
    latest_tag,
    normalise_version,
    version_key,
)

#: Where answers files are looked for when none is named: the project's root
#: (``.copier-answers.yml``, layers' ``.copier-answers.<name>.yml``, any other ``*answers*.yml``
#: that records a template) and a ``.copier/`` folder (``_answers_file: .copier/answers.yml``).
#: Deeper folders are not searched: a sub-project's answers file belongs to that sub-project.
_ANSWERS_GLOBS = (
    ".copier-answers.yml",
    ".copier-answers.yaml",
    ".copier-answers.*.yml",
    ".copier-answers.*.yaml",
    ".copier/*.yml",
    ".copier/*.yaml",
    "*answers*.yml",
    "*answers*.yaml",
)
_MARKERS = (b"<<<<<<< ", b">>>>>>> ")
#: Identity for the commits pyframe makes in its scratch clone (never in the person's project).
_GIT_IDENTITY = ("-c", "user.name=pyframe", "-c", "user.email=pyframe@localhost")


@dataclass(frozen=True)
class Layer:
    """One template applied to the project, as its answers file records it."""

    answers_file: str
    source: str
    version: str | None

    @property
    def builtin(self) -> str | None:
        """The built-in template's name, when the layer is one."""
        return builtin_name(self.source)

    @property
    def label(self) -> str:
        return self.source if self.builtin is None else f"{BUILTIN_PREFIX}{self.builtin}"

    @property
    def title(self) -> str:
        """How messages name the layer: its answers file and its source."""
        return f"{self.answers_file} ({self.label})"


@dataclass(frozen=True)
class Status:
    """Where one layer stands: the version it was made from and the newest one available."""

    layer: Layer
    current: str | None
    newest: str | None

    @property
    def up_to_date(self) -> bool:
        return self.current is not None and self.current == self.newest


@dataclass(frozen=True)
class Conflict:
    path: str
    kind: Literal["markers", "rej", "unmerged"]


@dataclass(frozen=True)
class Change:
    status: Literal["A", "M", "D"]
    path: str


@dataclass(frozen=True)
class Outcome:
    """What an update did (or, with ``pretend``, would do)."""

    project: Path
    statuses: tuple[Status, ...]
    changes: tuple[Change, ...]
    conflicts: tuple[Conflict, ...]
    applied: bool


# --- Reading a project ------------------------------------------------------------------------


def find_layers(project: Path, answers_file: str | None = None) -> tuple[Layer, ...]:
    """The templates applied to ``project``: the main answers file first, then the layers.

    ``answers_file`` (relative to the project) names the one answers file to use; otherwise
    the usual places are searched, a ``.copier/`` folder included.
    """
    if not project.is_dir():
        raise PyframeError(f"{project} is not a folder", field="path")
    if answers_file is not None:
        named = project / answers_file
        if not named.is_file():
            raise PyframeError(f"{named} does not exist", field="answers_file")
        return (_read_layer(project, named),)
    found: dict[Path, None] = {}
    for pattern in _ANSWERS_GLOBS:
        for path in sorted(project.glob(pattern)):
            if path.is_file() and (pattern.startswith(".copier-") or _records_source(path)):
                found.setdefault(path)
    if not found:
        raise PyframeError(
            f"{project} has no {MAIN_ANSWERS} (nor another Copier answers file): it was not "
            "generated by pyframe or Copier, so there is no template to update from; name the "
            "answers file if it is elsewhere",
            field="answers_file",
        )
    return tuple(_read_layer(project, path) for path in found)


def project_answers(project: Path) -> dict[str, Any]:
    """The main template's recorded answers (private ``_`` keys left out); {} when none."""
    from .answers import load_answers_file

    try:
        main = find_layers(project)[0]
    except PyframeError:
        return {}
    return load_answers_file(project / main.answers_file)


def _records_source(path: Path) -> bool:
    try:
        return "_src_path:" in path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def _read_layer(project: Path, path: Path) -> Layer:
    import yaml

    try:
        recorded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except UnicodeDecodeError:
        raise PyframeError(f"{path}: the answers file is not UTF-8 text") from None
    except (OSError, yaml.YAMLError) as exc:
        raise PyframeError(f"{path}: cannot read the answers file ({_first_line(exc)})") from None
    source = recorded.get("_src_path") if isinstance(recorded, dict) else None
    if not isinstance(source, str) or not source:
        raise PyframeError(f"{path}: no _src_path, so the template it came from is unknown")
    commit = recorded.get("_commit")
    return Layer(
        answers_file=path.relative_to(project).as_posix(),
        source=source,
        version=str(commit) if commit is not None else _legacy_version(source),
    )


def _legacy_version(source: str) -> str | None:
    """pyframe 0.1.0 recorded a path to its own templates and no version: that was 0.1.0."""
    return "v0.1.0" if builtin_name(source) and not source.startswith(BUILTIN_PREFIX) else None


# --- Where each layer could go ----------------------------------------------------------------


def status(
    project: Path,
    *,
    vcs_ref: str | None = None,
    pins: Mapping[str, str] | None = None,
    answers_file: str | None = None,
) -> tuple[Status, ...]:
    """Each layer's recorded version and the one it would update to; writes nothing.

    The target is ``vcs_ref`` for the main template, else the version the configuration pins
    (``pins``: template source -> ref), else the newest.
    """
    project = project.absolute()
    return tuple(
        _status(layer, project, _target(layer, number, vcs_ref, pins))
        for number, layer in enumerate(find_layers(project, answers_file))
    )


def _target(
    layer: Layer, number: int, vcs_ref: str | None, pins: Mapping[str, str] | None
) -> str | None:
    if number == 0 and vcs_ref:
        return vcs_ref
    pins = pins or {}
    return pins.get(layer.label) or pins.get(layer.source)


def _status(layer: Layer, project: Path, vcs_ref: str | None) -> Status:
    current = normalise_version(layer.version) if layer.version else None
    if layer.builtin:
        return Status(layer, current, normalise_version(vcs_ref or current_version()))
    if current is None:  # not versioned: there is nothing to compare with
        return Status(layer, None, None)
    if vcs_ref:
        return Status(layer, current, normalise_version(vcs_ref))
    return Status(layer, current, _newest_tag(_source_url(layer, project)))


def _newest_tag(url: str) -> str | None:
    """The newest release tag of a git template, as Copier would pick it."""
    tag = latest_tag(url)
    return normalise_version(tag) if tag else None


def _source_url(layer: Layer, project: Path) -> str:
    """A URL git understands; a recorded relative path is taken relative to the project."""
    source = layer.source
    if is_remote(source):
        return clone_url(source)
    path = Path(source).expanduser()
    return str(path if path.is_absolute() else (project / path).resolve())


# --- Updating ---------------------------------------------------------------------------------


def update(
    project: Path,
    *,
    vcs_ref: str | None = None,
    pretend: bool = False,
    conflict: Literal["inline", "rej"] = "inline",
    data: Mapping[str, Any] | None = None,
    trust: bool = False,
    pins: Mapping[str, str] | None = None,
    on_layer: Callable[[Status], None] | None = None,
    answers_file: str | None = None,
) -> Outcome:
    """Update every layer of ``project``; with ``pretend`` report the changes and write nothing.

    ``vcs_ref`` is the target version of the main template; other layers go to the version
    ``pins`` (template source -> ref, from the configuration) names, or their newest. New
    questions take their defaults unless ``data`` answers them. ``on_layer`` is told before each
    layer that is behind is updated: a git template's update can take a while, and saying which
    one is running is better than silence. ``answers_file`` names the one answers file to
    update (relative to the project). The templates' tasks run in the project once every
    change is in place, as Copier runs them after an update.
    """
    project = project.absolute()
    layers = find_layers(project, answers_file)
    top, subdir = _repository_of(project)
    _refuse_dirty(top)
    updated: list[tuple[Layer, str, Copied]] = []
    applied = False
    try:
        with scratch_dir(Path(tempfile.gettempdir()), "pyframe-update-") as scratch:
            clone = scratch / "project"
            git("clone", "--quiet", "--no-checkout", str(top), str(clone))
            git("checkout", "--quiet", _head(top), cwd=clone)
            start = _head(clone)
            work = clone / subdir
            statuses = []
            for number, layer in enumerate(layers):
                ref = _target(layer, number, vcs_ref, pins)
                state = _status(layer, project, ref)
                statuses.append(state)
                if state.up_to_date:
                    continue
                _check_direction(state)
                if on_layer is not None:
                    on_layer(state)
                source, copied = _update_layer(
                    state, project, work, scratch, ref, conflict, data or {}, trust
                )
                updated.append((layer, source, copied))
                git("add", "--all", ".", cwd=clone)
                git(*_GIT_IDENTITY, "commit", "--quiet", "--no-verify", "--allow-empty",
                    "-m", f"update {layer.answers_file}", cwd=clone)  # fmt: skip
            changes = _changes(clone, start, subdir)
            conflicts = _conflicts(work, changes)
            if not pretend and changes:
                if _head(top) != start or _dirty_paths(top):
                    raise PyframeError(f"{project} changed while updating; nothing was written")
                with signals_held():
                    _apply(work, project, changes)
                    applied = True
    except KeyboardInterrupt:
        if applied:
            raise Interrupted(
                f"interrupted, but the update was already applied to {project} "
                "(uncommitted changes; its templates' tasks did not run)"
            ) from None
        raise Interrupted(f"interrupted; {project} was not changed") from None
    if not pretend:
        for layer, source, copied in updated:
            _run_tasks(layer, source, copied, project, applied)
    return Outcome(
        project=project,
        statuses=tuple(statuses),
        changes=changes,
        conflicts=conflicts,
        applied=applied,
    )


def _run_tasks(layer: Layer, source: str, copied: Copied, project: Path, applied: bool) -> None:
    """A layer's tasks, in the real project, after the update's changes are in place."""
    if not copied.has_tasks or layer.builtin:
        return
    where = (
        f"the update's changes are in {project} (uncommitted)"
        if applied
        else f"{project} was not changed by the update"
    )
    try:
        copier_adapter.run_tasks(
            source,
            project,
            label=layer.label,
            answers=copied.answers,
            vcs_ref=recorded_commit(project / layer.answers_file),
            answers_file=layer.answers_file,
            operation="update",
        )
    except TaskFailed as exc:
        raise PyframeError(f"{exc.message}; {where}, but its tasks did not finish") from exc
    except KeyboardInterrupt:
        raise Interrupted(
            f"interrupted while the template's tasks ran; {where}, but they did not finish"
        ) from None


def _check_direction(state: Status) -> None:
    if state.current is None:
        raise PyframeError(
            f"{state.layer.answers_file} records no template version (_commit), so the "
            f"project's own edits cannot be told apart from the template's: {state.layer.label} "
            "must be a git repository with version tags, rendered at one of them"
        )
    if state.newest is None:
        raise PyframeError(f"template {state.layer.label} has no version tags to update to")
    try:
        backwards = version_key(state.newest) < version_key(state.current)
    except PyframeError:
        return  # not plain X.Y.Z versions: let Copier judge
    if backwards:
        raise PyframeError(
            f"{state.layer.answers_file} is at {state.current}; {state.newest} is older and "
            "templates are only updated forwards"
        )


def _update_layer(
    state: Status,
    project: Path,
    work: Path,
    scratch: Path,
    vcs_ref: str | None,
    conflict: Literal["inline", "rej"],
    data: Mapping[str, Any],
    trust: bool,
) -> tuple[str, Copied]:
    """Run Copier's update for one layer inside the scratch clone; returns the source Copier
    read and what it rendered.

    The answers file is pointed at a source Copier can read (the built-in history repository,
    or a recorded relative path made absolute) for the run, and at the recorded source again
    afterwards, keeping the ``_commit`` Copier wrote. Tasks are not run here (they run in the
    real project later), so whether they may run is decided here, before anything is applied.
    """
    layer = state.layer
    answers = work / layer.answers_file
    trusted = trust or layer.builtin is not None
    with ExitStack() as stack:
        target_ref: str | None
        if layer.builtin:
            source = stack.enter_context(
                _builtin_repository(layer.builtin, state.current, state.newest, scratch)
            )
            target_ref = f"v{state.newest}"
        else:
            source = _source_url(layer, project)
            target_ref = vcs_ref
        record_source(answers, source, layer.version)
        git(*_GIT_IDENTITY, "commit", "--quiet", "--no-verify", "--allow-empty", "-am",
            "pyframe: source", cwd=work)  # fmt: skip
        copied = copier_adapter.update(
            work,
            label=layer.label,
            answers_file=layer.answers_file,
            vcs_ref=target_ref,
            data=data,
            conflict=conflict,
            unsafe=trusted,
        )
    if copied.has_tasks and not trusted:
        raise copier_adapter.untrusted(layer.label)
    record_source(answers, layer.label, recorded_commit(answers))
    return source, copied


@contextmanager
def _builtin_repository(
    name: str, old: str | None, new: str | None, scratch: Path
) -> Iterator[str]:
    """A git repository holding built-in template ``name`` at ``old`` then ``new``, tagged."""
    repository = scratch / f"template-{name}"
    repository.mkdir()
    git("init", "--quiet", cwd=repository)
    for version in dict.fromkeys((old, new)):
        assert version is not None  # _check_direction refused a missing version
        with builtin_at(version) as root:
            for entry in repository.iterdir():
                if entry.name != ".git":
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
            shutil.copytree(root / name, repository, dirs_exist_ok=True)
        git("add", "--all", ".", cwd=repository)
        git(*_GIT_IDENTITY, "commit", "--quiet", "--allow-empty", "-m", f"v{version}",
             cwd=repository)  # fmt: skip
        git("tag", f"v{version}", cwd=repository)
    yield str(repository)


# --- What changed -----------------------------------------------------------------------------


def _changes(clone: Path, start: str, subdir: Path) -> tuple[Change, ...]:
    output = git(
        "diff", "--name-status", "--no-renames", start, "HEAD", "--", str(subdir), cwd=clone
    ).stdout
    changes = []
    for line in output.splitlines():
        status, _, path = line.partition("\t")
        relative = Path(path).relative_to(subdir) if str(subdir) != "." else Path(path)
        kind = status[0] if status[0] in "AD" else "M"
        changes.append(Change(kind, relative.as_posix()))  # type: ignore[arg-type]
    return tuple(changes)


def _conflicts(work: Path, changes: tuple[Change, ...]) -> tuple[Conflict, ...]:
    """Every conflict an update left: ``.rej`` files and files with conflict markers.

    Copier records inline conflicts as unmerged paths in the index too, but the scratch clone
    commits each layer, so the file contents are what is checked; they are what would reach the
    project either way.
    """
    found = []
    for change in changes:
        if change.status == "D":
            continue
        if change.path.endswith(".rej"):
            found.append(Conflict(change.path.removesuffix(".rej"), "rej"))
        elif _has_markers(work / change.path):
            found.append(Conflict(change.path, "markers"))
    return tuple(found)


def _has_markers(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return any(line.startswith(_MARKERS) for line in handle)
    except OSError:
        return False


def conflicts_in(project: Path) -> tuple[Conflict, ...]:
    """Conflicts present in a project's files, committed or not: unmerged paths, files with
    conflict markers, and ``.rej`` files. ``pyframe update --check`` fails on any of them, so a
    team's CI catches markers that were committed after an update."""
    _repository_of(project)
    found: dict[str, Conflict] = {}
    unmerged = git("diff", "--name-only", "--relative", "--diff-filter=U", cwd=project)
    for path in unmerged.stdout.splitlines():
        found[path] = Conflict(path, "unmerged")
    markers = git(
        "grep", "-l", "-I", "--untracked", "-E", "^(<<<<<<<|>>>>>>>) ", cwd=project, check=False
    )
    for path in markers.stdout.splitlines():
        found.setdefault(path, Conflict(path, "markers"))
    for flags in (("--cached", "--others"), ("--others", "--ignored")):
        listed = git("ls-files", *flags, "--exclude-standard", "--", "*.rej", cwd=project)
        for path in listed.stdout.splitlines():
            found.setdefault(path, Conflict(path.removesuffix(".rej"), "rej"))
    return tuple(found.values())


def _apply(work: Path, project: Path, changes: tuple[Change, ...]) -> None:
    """Copy the update's result into the project (clean and at the same commit as the clone).

    Every path is checked first: nothing is written through a symbolic link that leads out of
    the project.
    """
    check_inside(project, [change.path for change in changes])
    for change in changes:
        target = project / change.path
        if change.status == "D":
            target.unlink(missing_ok=True)
            _prune_empty_parents(target.parent, project)
            continue
        source = work / change.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or (source.is_symlink() and target.exists()):
            target.unlink()
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copyfile(source, target)
            shutil.copymode(source, target)


def _prune_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


# --- git --------------------------------------------------------------------------------------


def _repository_of(project: Path) -> tuple[Path, Path]:
    """The top of the git repository holding ``project``, and the project's path inside it."""
    result = git("rev-parse", "--show-toplevel", cwd=project, check=False)
    if result.returncode != 0:
        raise PyframeError(
            f"{project} is not in a git repository; updates are reviewed and undone with git: "
            "run `git init && git add -A && git commit -m 'Start from pyframe'` first"
        )
    top = Path(result.stdout.strip())
    if git("rev-parse", "--verify", "--quiet", "HEAD", cwd=project, check=False).returncode:
        raise PyframeError(f"{top} has no commit yet: commit the project first, then update")
    return top, project.resolve().relative_to(top.resolve())


def _refuse_dirty(top: Path) -> None:
    dirty = _dirty_paths(top)
    if dirty:
        shown = ", ".join(dirty[:3]) + (f" and {len(dirty) - 3} more" if len(dirty) > 3 else "")
        raise PyframeError(
            f"{top} has uncommitted changes ({shown}): commit or stash them first, so the "
            "update's changes can be reviewed and undone on their own"
        )


def _dirty_paths(top: Path) -> list[str]:
    output = git("status", "--porcelain", "--untracked-files=normal", cwd=top).stdout
    return [line[3:] for line in output.splitlines()]


def _head(repository: Path) -> str:
    return git("rev-parse", "HEAD", cwd=repository).stdout.strip()


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
