"""The one place pyframe talks to Copier (and to git): calls, errors, answers files.

``render`` and ``update`` both go through here, so a template's failure is worded the same way
whichever command hit it, and Copier's behaviour is relied on in one place.

Tasks are the part of Copier that pyframe runs differently, on purpose. Copier runs a
template's ``_tasks`` in the folder it renders into; pyframe renders into a scratch folder (so a
failed render leaves nothing behind) and moves the result into place. Tasks must still see the
real project (a task that creates ``.venv`` or edits ``README.md`` is useless in a scratch folder
that is about to be removed), so pyframe renders with ``skip_tasks`` and then runs the tasks in
the final folder by asking Copier for a second, file-less pass (every path excluded): Copier
renders each task's command with the same answers and runs it exactly as it would have.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import PyframeError

if TYPE_CHECKING:
    from copier._main import Worker

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
#: Excludes every path: the second pass that only runs tasks writes no file.
_EVERYTHING = ("*", ".*")

Operation = Literal["copy", "update"]


@dataclass(frozen=True)
class Copied:
    """What a Copier render produced, as far as pyframe needs to know."""

    #: Every question's answer, secrets included (to run the tasks with the same answers).
    answers: Mapping[str, Any]
    #: The template's questions, in order; a remote template's are only known after rendering.
    questions: tuple[str, ...]
    secret: frozenset[str]
    #: Where Copier recorded the answers, relative to the project.
    answers_file: str
    has_tasks: bool
    #: The template's ``_message_after_copy``, rendered with the answers ("" when it has none).
    message_after_copy: str


class TaskFailed(PyframeError):
    """A template task exited non-zero; ``command`` and ``returncode`` say which and how."""

    def __init__(self, template: str, command: str, returncode: int) -> None:
        super().__init__(f"template {template}: task `{command}` exited with {returncode}")
        self.command = command
        self.returncode = returncode


def copy(
    source: str,
    target: Path,
    *,
    label: str,
    data: Mapping[str, Any],
    user_defaults: Mapping[str, Any] | None = None,
    interactive: bool = False,
    unsafe: bool = False,
    vcs_ref: str | None = None,
    answers_file: str | None = None,
) -> Copied:
    """Render ``source`` into ``target`` (a fresh folder of ours), without running tasks.

    Copier's own trust check skips tasks that are not run, so the caller decides whether the
    template's tasks may run (``Copied.has_tasks``) before anything reaches the project.
    """
    from copier import Settings, run_copy

    with copier_errors(label):
        worker = run_copy(
            source,
            target,
            data=dict(data),
            user_defaults=dict(user_defaults or {}),
            # A user's Copier settings.yml would silently change the template's defaults and
            # trust list; pyframe's own answers and --trust are the only inputs.
            settings=Settings(),
            exclude=ALWAYS_EXCLUDE,
            defaults=not interactive,
            unsafe=unsafe,
            vcs_ref=vcs_ref,
            quiet=True,
            skip_tasks=True,
            overwrite=True,  # the scratch folder is ours and empty
            answers_file=answers_file,
        )
        return _copied(worker)


def _copied(worker: Worker) -> Copied:
    questions = tuple(worker.template.questions_data)
    combined = worker.answers.combined
    secret = frozenset(
        name
        for name, spec in worker.template.questions_data.items()
        if isinstance(spec, dict) and spec.get("secret")
    )
    message = worker.template.message_after_copy
    return Copied(
        answers={name: combined[name] for name in questions if name in combined},
        questions=questions,
        secret=secret,
        answers_file=str(worker.answers_relpath),
        has_tasks=bool(worker.template.tasks),
        message_after_copy=_render_message(message, combined, worker) if message else "",
    )


def _render_message(message: str, answers: Mapping[str, Any], worker: Worker) -> str:
    """The after-copy message as Copier would print it (its own Jinja environment)."""
    try:
        context = {**answers, "_copier_conf": {"dst_path": worker.dst_path}}
        return str(worker.jinja_env.from_string(message).render(**context)).strip()
    except Exception:  # a message that cannot render is not worth failing a finished render
        return ""


def run_tasks(
    source: str,
    project: Path,
    *,
    label: str,
    answers: Mapping[str, Any],
    vcs_ref: str | None,
    answers_file: str | None,
    operation: Operation = "copy",
) -> None:
    """Run the template's ``_tasks`` in ``project`` with ``answers``, as Copier would.

    A second Copier pass with every path excluded: Copier renders each task (its ``when``, its
    command, ``_copier_conf.dst_path``) and runs it in ``project``. For an update, the operation
    Copier reports to the tasks (``_copier_operation``) is set to ``update`` the way Copier sets
    it for its own nested copies.
    """
    from copier import Settings, run_copy
    from copier._main import _operation

    token = _operation.set(operation)
    try:
        with copier_errors(label):
            run_copy(
                source,
                project,
                data=dict(answers),
                settings=Settings(),
                exclude=_EVERYTHING,
                defaults=True,
                unsafe=True,  # the caller checked trust before placing the files
                vcs_ref=vcs_ref,
                quiet=True,
                overwrite=False,
                answers_file=answers_file,
                cleanup_on_error=False,
            )
    finally:
        _operation.reset(token)


def update(
    project: Path,
    *,
    label: str,
    answers_file: str,
    vcs_ref: str | None,
    data: Mapping[str, Any],
    conflict: Literal["inline", "rej"],
    unsafe: bool,
) -> Copied:
    """Copier's 3-way update of ``project`` (a git working tree of ours), without tasks."""
    from copier import Settings, run_update

    with copier_errors(label):
        worker = run_update(
            project,
            answers_file=answers_file,
            vcs_ref=vcs_ref,
            data=dict(data),
            settings=Settings(),
            defaults=True,
            overwrite=True,
            unsafe=unsafe,
            conflict=conflict,
            quiet=True,
            skip_tasks=True,
        )
        return _copied(worker)


def _command(command: Any) -> str:
    if isinstance(command, (list, tuple)):
        return " ".join(str(part) for part in command)
    return str(command)


@contextmanager
def copier_errors(template: str) -> Iterator[None]:
    """Turn what Copier raises into one-line errors a person can act on.

    Copier reports bad answers, untrusted templates, unreachable sources and Jinja mistakes as
    several exception types with multi-line messages; pyframe's contract is one line, exit 2. A
    template expression that raises (``{{ 1 // 0 }}``, a macro that recurses forever) surfaces
    from Copier as a plain Python exception; it is the template's error, not pyframe's.
    File-system errors pass through: the CLI words them with their path.
    """
    from copier.errors import (
        CopierError,
        ForbiddenPathError,
        InteractiveSessionError,
        TaskError,
        UnsafeTemplateError,
        UserMessageError,
    )
    from jinja2 import TemplateError
    from plumbum import ProcessExecutionError

    try:
        yield
    except PyframeError:
        raise
    except UnsafeTemplateError as exc:
        raise untrusted(template) from exc
    except InteractiveSessionError as exc:
        raise PyframeError(
            f"template {template} needs answers and there is no terminal to ask: "
            "pass {@defaults}, {@data} KEY=VALUE or {@answers_file} FILE",
            field="data",
        ) from exc
    except ForbiddenPathError as exc:
        raise PyframeError(
            f"template {template} would write outside the project: {_one_line(exc)}"
        ) from exc
    except TaskError as exc:
        raise TaskFailed(template, _command(exc.cmd), exc.returncode) from exc
    except UserMessageError as exc:
        raise PyframeError(f"template {template}: {_one_line(exc)}") from exc
    except ProcessExecutionError as exc:
        reason = _one_line(exc.stderr or exc)
        raise PyframeError(f"cannot use template {template}: {reason}") from exc
    except TemplateError as exc:
        raise PyframeError(f"template {template} failed to render: {_one_line(exc)}") from exc
    except (CopierError, ValueError) as exc:
        raise PyframeError(f"template {template}: {_one_line(exc)}", field="data") from exc
    except OSError:
        raise
    except (RecursionError, Exception) as exc:
        if not _raised_by_template(exc):
            raise
        raise PyframeError(
            f"template {template} failed to render: {type(exc).__name__}: {_one_line(exc)}"
        ) from exc


def untrusted(template: str) -> PyframeError:
    """The one refusal for a template that would run code on the person's machine."""
    return PyframeError(
        f"template {template} runs tasks, migrations or Jinja extensions on your machine; "
        "read it, then pass {@trust} if you trust it",
        field="trust",
    )


def _raised_by_template(exc: BaseException) -> bool:
    """Whether the exception came out of template code (a compiled Jinja template's frame)."""
    traceback = exc.__traceback__
    while traceback is not None:
        name = traceback.tb_frame.f_code.co_filename
        if name == "<template>" or not (name.endswith(".py") or name.startswith("<")):
            return True
        traceback = traceback.tb_next
    return False


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


def recorded_commit(answers_path: Path) -> str | None:
    """The ``_commit`` an answers file records (Copier writes the version it rendered)."""
    lines = answers_path.read_text(encoding="utf-8").splitlines()
    commit = next((line for line in lines if line.startswith("_commit:")), None)
    return commit.partition(":")[2].strip() if commit else None


def git(
    *args: str, cwd: Path | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run git; a missing git or a failed command is one line for the person."""
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise PyframeError("git is needed for this: install git") from None
    if check and result.returncode != 0:
        raise PyframeError(f"git {args[0]} failed: {_one_line(result.stderr)}")
    return result


def _one_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
