"""Where templates come from: the built-in ones, a local folder, or a git repository.

Resolving a source is separate from rendering it so that every command (``new``, ``templates``,
``smoke``) names templates the same way and fails the same way on a bad name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import __version__
from .errors import PyframeError

BUILTIN = ("django", "fastapi", "flask")

#: How a project generated from a built-in template records its source in
#: ``.copier-answers.yml``: ``_src_path: pyframe:fastapi``, ``_commit: v0.2.0``. A path into the
#: installed package would break on the next upgrade or on another machine.
BUILTIN_PREFIX = "pyframe:"

_REMOTE_PREFIXES = ("gh:", "gl:", "git@", "git+", "https://", "http://", "ssh://", "file://")
_CONFIG_NAMES = ("copier.yml", "copier.yaml")


@dataclass(frozen=True)
class Question:
    """One question of a template, as far as pyframe needs to know it."""

    name: str
    type: str = "str"
    default: Any = None
    choices: tuple[Any, ...] = ()
    help: str = ""
    when: Any = True
    secret: bool = False


@dataclass(frozen=True)
class Template:
    """A template pyframe can hand to Copier."""

    name: str
    source: str
    builtin: bool = False
    version: str | None = None
    questions: tuple[Question, ...] = field(default=(), compare=False)
    #: The version an organisation's configuration pins (``[templates.<name>] vcs_ref``); used
    #: when the command line gives no ``--vcs-ref``.
    pin: str | None = None

    @property
    def is_local(self) -> bool:
        return not is_remote(self.source)


def builtin_root() -> Path:
    """The folder holding the built-in templates.

    In a wheel they are packaged as ``scaffold/_templates``; in a source checkout (and an editable
    install) they are the repository's ``templates/`` folder next to the package.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "_templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def history_root() -> Path:
    """The folder of released built-in template versions, one ``<version>.tar.gz`` each.

    ``pyframe update`` needs the templates exactly as they were when a project was generated to
    compute what the person changed since; each pyframe release ships every earlier release's
    templates (about 100 kB apiece), so updating works offline and after pyframe was upgraded.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "_history"
    return packaged if packaged.is_dir() else here.parent / "template-history"


def current_version() -> str:
    """The version of the built-in templates in this pyframe: pyframe's own version."""
    return __version__


def builtin_versions() -> tuple[str, ...]:
    """Every version of the built-in templates this pyframe can render, oldest first."""
    shipped = {path.name.removesuffix(".tar.gz") for path in history_root().glob("*.tar.gz")}
    return tuple(sorted(shipped | {__version__}, key=version_key))


def version_key(version: str) -> tuple[int, ...]:
    """Order ``0.10.0`` after ``0.9.0``; pyframe's own versions are plain ``X.Y.Z``."""
    try:
        return tuple(int(part) for part in normalise_version(version).split("."))
    except ValueError:
        raise PyframeError(f"{version!r} is not a pyframe version such as 0.2.0") from None


def normalise_version(ref: str) -> str:
    """``v0.1.0`` and ``0.1.0`` name the same release; the answers file records the tag form."""
    return ref.strip().removeprefix("v")


@contextmanager
def builtin_at(version: str) -> Iterator[Path]:
    """The folder holding every built-in template as released in ``version``.

    The current version is the live folder; an earlier one is unpacked into a temporary folder
    that is removed when the ``with`` block ends.
    """
    version = normalise_version(version)
    if version == __version__:
        yield builtin_root()
        return
    archive = history_root() / f"{version}.tar.gz"
    if not archive.is_file():
        raise PyframeError(
            f"pyframe {__version__} has no built-in template version {version!r}; "
            f"it has {', '.join(builtin_versions())}"
        )
    import tarfile
    import tempfile

    with tempfile.TemporaryDirectory(prefix=f"pyframe-templates-{version}-") as folder:
        with tarfile.open(archive) as tar:
            # The archive is pyframe's own; the "data" filter (Python >= 3.11.4) is belt and braces.
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(folder, **safe)  # type: ignore[arg-type]
        yield Path(folder)


@contextmanager
def at_version(template: Template, vcs_ref: str | None) -> Iterator[tuple[Template, str | None]]:
    """``template`` as of ``vcs_ref``, and the ref still to hand to Copier.

    A git template is versioned by Copier itself, so it passes through. A built-in template is
    a folder, not a repository: an earlier release is unpacked from the shipped history.
    """
    if not template.builtin or vcs_ref is None:
        yield template, vcs_ref
        return
    with builtin_at(vcs_ref) as root:
        folder = root / template.name
        yield (
            replace(
                template,
                source=str(folder),
                version=normalise_version(vcs_ref),
                questions=read_questions(folder),
            ),
            None,
        )


def builtin_name(recorded_source: str) -> str | None:
    """The built-in template a project's recorded ``_src_path`` names, if it names one.

    pyframe 0.1.0 recorded the path of the installed template folder (``.../_templates/flask``);
    such paths are recognised too, so those projects can still be updated.
    """
    if recorded_source.startswith(BUILTIN_PREFIX):
        name = recorded_source.removeprefix(BUILTIN_PREFIX)
        return name if name in BUILTIN else None
    path = Path(recorded_source)
    if path.name in BUILTIN and path.parent.name in ("_templates", "templates"):
        return path.name
    return None


def resolve(source: str, registered: Mapping[str, Any] | None = None) -> Template:
    """Turn what the user typed after ``--template`` (or a smoke argument) into a Template.

    ``registered`` is the configuration's ``[templates]`` table (name -> entry with ``source``,
    ``vcs_ref`` and ``description``): a registered name stands for its source, and an entry for a
    built-in name only pins its version.
    """
    entry = (registered or {}).get(source)
    if entry is not None and entry.source is not None:
        found = resolve(entry.source)
        return replace(found, name=source, pin=entry.vcs_ref)
    if source in BUILTIN:
        path = builtin_root() / source
        return Template(
            name=source,
            source=str(path),
            builtin=True,
            version=__version__,
            questions=read_questions(path),
            pin=entry.vcs_ref if entry is not None else None,
        )
    if is_remote(source):
        return Template(name=source, source=source)
    path = Path(source).expanduser()
    if not path.exists():
        names = sorted(set(BUILTIN) | set(registered or {}))
        raise PyframeError(
            f"unknown template {source!r}: not a known name ({', '.join(names)}), "
            "an existing folder, or a git URL"
        )
    if not path.is_dir() or not any((path / name).is_file() for name in _CONFIG_NAMES):
        raise PyframeError(f"{source!r} is not a Copier template: it has no copier.yml")
    return Template(name=path.name, source=str(path.resolve()), questions=read_questions(path))


def checkout(template: Template, into: Path, vcs_ref: str | None = None) -> Template:
    """A remote template cloned into ``into``, so that its questions can be read.

    ``pyframe smoke`` needs the questions of a git template to plan its variants; rendering
    from the clone then uses exactly the version that was planned.
    """
    if template.is_local:
        return template
    import subprocess

    url = clone_url(template.source)
    command = [
        "git",
        "clone",
        "--quiet",
        "--depth",
        "1",
        *(["--branch", vcs_ref] if vcs_ref else []),
    ]
    try:
        subprocess.run([*command, url, str(into)], capture_output=True, text=True, check=True)
    except FileNotFoundError:
        raise PyframeError("git is needed to fetch a template from a git URL") from None
    except subprocess.CalledProcessError as exc:
        raise PyframeError(
            f"cannot fetch template {template.source!r}: {_first_line(Exception(exc.stderr))}"
        ) from None
    name = url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git") or template.name
    return Template(name=name, source=str(into), version=vcs_ref, questions=read_questions(into))


def is_remote(source: str) -> bool:
    """Whether ``source`` names a git repository (URL or shortcut) rather than a folder."""
    return source.startswith(_REMOTE_PREFIXES) or source.endswith(".git")


def clone_url(source: str) -> str:
    """Expand Copier's ``gh:``/``gl:`` shortcuts and drop a ``git+`` prefix."""
    for prefix, host in (("gh:", "https://github.com/"), ("gl:", "https://gitlab.com/")):
        if source.startswith(prefix):
            path = source.removeprefix(prefix)
            return host + path + ("" if path.endswith(".git") else ".git")
    return source.removeprefix("git+")


def read_questions(template_dir: Path) -> tuple[Question, ...]:
    """Read the questions of a local template's ``copier.yml`` (settings keys are skipped)."""
    config = _load_config(template_dir)
    questions = []
    for name, spec in config.items():
        if name.startswith("_"):
            continue
        if not isinstance(spec, dict):  # the short form: `name: default`
            spec = {"default": spec}
        choices = spec.get("choices") or ()
        if isinstance(choices, dict):  # {label: value}
            choices = tuple(choices.values())
        questions.append(
            Question(
                name=name,
                type=str(spec.get("type", _infer_type(spec.get("default")))),
                default=spec.get("default"),
                choices=tuple(choices),
                help=str(spec.get("help", "")).strip(),
                when=spec.get("when", True),
                secret=bool(spec.get("secret", False)),
            )
        )
    return tuple(questions)


def settings_of(template_dir: Path) -> dict[str, Any]:
    """The ``_``-prefixed settings of a local template's ``copier.yml``."""
    return {k: v for k, v in _load_config(template_dir).items() if k.startswith("_")}


def _infer_type(default: Any) -> str:
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int):
        return "int"
    return "str"


def _load_config(template_dir: Path) -> dict[str, Any]:
    import yaml

    class _Loader(yaml.SafeLoader):
        """Accepts Copier's ``!include`` tag; included files are not followed here."""

    _Loader.add_constructor("!include", lambda loader, node: None)

    for name in _CONFIG_NAMES:
        path = template_dir / name
        if path.is_file():
            try:
                documents = list(yaml.load_all(path.read_text(encoding="utf-8"), Loader=_Loader))
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f"{path}:{mark.line + 1}" if mark else str(path)
                raise PyframeError(f"{where}: not valid YAML ({_first_line(exc)})") from exc
            merged: dict[str, Any] = {}
            for document in documents:
                if isinstance(document, dict):
                    merged.update(document)
            return merged
    raise PyframeError(f"{template_dir} is not a Copier template: it has no copier.yml")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
