"""Where templates come from: the built-in ones, a local folder, or a git repository.

Resolving a source is separate from rendering it so that every command (``new``, ``templates``,
``smoke``) names templates the same way and fails the same way on a bad name.
"""

from __future__ import annotations

import functools
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
_UNSAFE_SETTINGS = ("_tasks", "_migrations", "_jinja_extensions")


@dataclass(frozen=True)
class Question:
    """One question of a template, as far as pyframe needs to know it (Copier's forms)."""

    name: str
    type: str = "str"
    default: Any = None
    choices: tuple[Any, ...] = ()
    help: str = ""
    when: Any = True
    secret: bool = False
    #: ``multiselect: true``: the answer is a list of some of ``choices``.
    multiselect: bool = False
    #: The question's ``validator`` (a Jinja template; non-empty output is the error message).
    validator: str = ""
    #: Per-choice validators of the mapping form ``{label: {value: v, validator: "..."}}``.
    choice_validators: Mapping[Any, str] = field(default_factory=dict, compare=False)
    #: Whether the question has a default at all (one without is required).
    has_default: bool = True
    #: How the template labels each choice (``{"SQLite": "sqlite"}`` gives sqlite -> SQLite).
    choice_labels: Mapping[Any, str] = field(default_factory=dict, compare=False)


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
    #: The ``_``-prefixed settings of its ``copier.yml`` (``_tasks``, ``_pyframe``...), read at
    #: the same version as the questions; empty while a remote template is not fetched.
    settings: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_local(self) -> bool:
        return not is_remote(self.source)

    @property
    def runs_code(self) -> bool:
        """Whether rendering it would run the template's code (tasks, migrations, extensions)."""
        return any(self.settings.get(key) for key in _UNSAFE_SETTINGS)


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

    A built-in template is a folder, not a repository: an earlier release is unpacked from the
    shipped history. A local git repository is read at the ref Copier will render (``vcs_ref``,
    else its newest release tag), so ``--data`` is checked against that version's questions, not
    against whatever the working tree holds. A remote template passes through: its questions are
    only known once it is fetched.
    """
    if template.builtin:
        if vcs_ref is None:
            yield template, None
            return
        with builtin_at(vcs_ref) as root:
            folder = root / template.name
            yield (
                replace(
                    template,
                    source=str(folder),
                    version=normalise_version(vcs_ref),
                    questions=read_questions(folder),
                    settings=settings_of(folder),
                ),
                None,
            )
        return
    if template.is_local and is_git_repository(Path(template.source)):
        ref = vcs_ref or latest_tag(template.source)
        yield _at_ref(template, ref), ref
        return
    yield template, vcs_ref


def catalogue(registered: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every template ``pyframe new`` can render: the built-in ones (versions shipped, pins, and
    each question with its type, choices and default, so ``--data`` can be written without
    opening a ``copier.yml``), then the registered ones with where they were registered."""
    rows: list[dict[str, Any]] = []
    for name in BUILTIN:
        found = resolve(name, registered)
        rows.append(
            {
                "name": name,
                "source": "built-in",
                "version": normalise_version(found.pin) if found.pin else found.version,
                "pinned": found.pin is not None,
                "available": list(builtin_versions()),
                "questions": [q.name for q in found.questions],
                "choices": {
                    q.name: {
                        "type": q.type,
                        "choices": list(q.choices),
                        "default": None if _templated(q.default) else q.default,
                    }
                    for q in found.questions
                },
            }
        )
    for name, entry in registered.items():
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
    return rows


def _templated(value: Any) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


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
    built-in name only pins its version. A local git repository is read at its newest release
    tag, as Copier renders it (its working tree may not even have a ``copier.yml`` any more).
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
            settings=settings_of(path),
            pin=entry.vcs_ref if entry is not None else None,
        )
    if is_remote(source):
        return Template(name=source, source=source)
    path = Path(source).expanduser()
    if not path.exists():
        names = sorted(set(BUILTIN) | set(registered or {}))
        raise PyframeError(
            f"unknown template {source!r}: not a known name ({', '.join(names)}), "
            "an existing folder, or a git URL",
            field="template",
        )
    found = Template(name=path.name, source=str(path.resolve()))
    if path.is_dir() and is_git_repository(path):
        return _at_ref(found, latest_tag(found.source))
    if not path.is_dir() or not any((path / name).is_file() for name in _CONFIG_NAMES):
        raise PyframeError(
            f"{source!r} is not a Copier template: it has no copier.yml", field="template"
        )
    return replace(found, questions=read_questions(path), settings=settings_of(path))


def _at_ref(template: Template, ref: str | None) -> Template:
    """A local git template's questions and settings as of ``ref`` (None: the working tree,
    uncommitted changes included, which is what Copier renders when there is no tag)."""
    folder = Path(template.source)
    config = _load_config(folder) if ref is None or ref == "HEAD" else _config_at(folder, ref)
    return replace(
        template,
        version=ref,
        questions=_questions(config),
        settings={k: v for k, v in config.items() if k.startswith("_")},
    )


def _config_at(repository: Path, ref: str) -> dict[str, Any]:
    from .copier_adapter import git

    if git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=repository,
           check=False).returncode:  # fmt: skip
        raise PyframeError(
            f"template {repository}: no version {ref!r} (not a tag, branch or commit of it)",
            field="vcs_ref",
        )
    for name in _CONFIG_NAMES:
        shown = git("show", f"{ref}:{name}", cwd=repository, check=False)
        if shown.returncode == 0:
            return _parse_config(shown.stdout, f"{repository}@{ref}:{name}")
    raise PyframeError(f"template {repository} has no copier.yml at {ref}", field="vcs_ref")


def is_git_repository(folder: Path) -> bool:
    """Whether ``folder`` is the top of a git repository (Copier then renders a tag of it).

    A folder inside a larger repository (pyframe's own templates in a checkout) is a plain
    folder to Copier, and so it is here.
    """
    if not (folder / ".git").exists():
        return False
    from .copier_adapter import git

    top = git("rev-parse", "--show-toplevel", cwd=folder, check=False)
    return top.returncode == 0 and Path(top.stdout.strip()).resolve() == folder.resolve()


def latest_tag(source: str) -> str | None:
    """The newest release tag of a git template, as Copier picks it (PEP 440, no
    pre-releases); None when it has none, and Copier renders HEAD."""
    from packaging.version import InvalidVersion, Version

    from .copier_adapter import git

    url = clone_url(source) if is_remote(source) else str(Path(source).resolve())
    listed = git("ls-remote", "--tags", "--refs", "--", url, check=False)
    if listed.returncode != 0:
        raise PyframeError(
            f"cannot fetch template {source!r}: {_first_line(Exception(listed.stderr))}",
            field="template",
        )
    versions = []
    for line in listed.stdout.splitlines():
        tag = line.rsplit("refs/tags/", 1)[-1]
        try:
            version = Version(tag)
        except InvalidVersion:
            continue
        if not version.is_prerelease:
            versions.append((version, tag))
    return max(versions)[1] if versions else None


def checkout(template: Template, into: Path, vcs_ref: str | None = None) -> Template:
    """The template's files at the version Copier would render, in the plain folder ``into``.

    ``pyframe smoke`` plans variants from the questions and renders every variant from this
    one folder, so what is planned and what is built are the same version. A plain folder that
    is not a git repository passes through (``vcs_ref`` then makes no sense and is refused).
    """
    if template.builtin:
        if vcs_ref is None:
            return template
        import shutil

        with builtin_at(vcs_ref) as root:
            folder = into / template.name
            shutil.copytree(root / template.name, folder, symlinks=True)
        return replace(
            template,
            source=str(folder),
            version=normalise_version(vcs_ref),
            questions=read_questions(folder),
            settings=settings_of(folder),
        )
    if template.is_local and not is_git_repository(Path(template.source)):
        if vcs_ref:
            raise PyframeError(
                f"{template.source} is not a git repository, so it has no version {vcs_ref!r}",
                field="vcs_ref",
            )
        return template
    from .copier_adapter import git

    url = clone_url(template.source) if is_remote(template.source) else template.source
    ref = vcs_ref or latest_tag(template.source)
    clone = into / "clone"
    git("clone", "--quiet", "--no-checkout", "--", url, str(clone))
    if git("checkout", "--quiet", ref or "HEAD", "--", cwd=clone, check=False).returncode:
        raise PyframeError(
            f"template {template.source}: no version {ref!r} (not a tag, branch or commit of it)",
            field="vcs_ref",
        )
    name = url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git") or template.name
    folder = into / name
    import shutil

    shutil.copytree(clone, folder, ignore=shutil.ignore_patterns(".git"), symlinks=True)
    shutil.rmtree(clone, ignore_errors=True)
    return Template(
        name=name,
        source=str(folder),
        version=ref,
        questions=read_questions(folder),
        settings=settings_of(folder),
    )


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
    return _questions(_load_config(template_dir))


def _questions(config: Mapping[str, Any]) -> tuple[Question, ...]:
    questions = []
    for name, spec in config.items():
        if name.startswith("_"):
            continue
        if not isinstance(spec, dict):  # the short form: `name: default`
            spec = {"default": spec}
        values, validators, labels = _choices(spec.get("choices"))
        questions.append(
            Question(
                name=name,
                type=str(spec.get("type", _infer_type(spec.get("default")))),
                default=spec.get("default"),
                choices=values,
                help=str(spec.get("help", "")).strip(),
                when=spec.get("when", True),
                secret=bool(spec.get("secret", False)),
                multiselect=bool(spec.get("multiselect", False)),
                validator=str(spec.get("validator") or ""),
                choice_validators=validators,
                has_default="default" in spec,
                choice_labels=labels,
            )
        )
    return tuple(questions)


def _choices(raw: Any) -> tuple[tuple[Any, ...], dict[Any, str], dict[Any, str]]:
    """Copier's choice forms: ``[v, ...]``, ``[[label, v], ...]``, ``{label: v}`` and
    ``{label: {value: v, validator: "..."}}``; returns the values, per-value validators and
    per-value labels."""
    if not raw:
        return (), {}, {}
    items = (
        raw.items()
        if isinstance(raw, dict)
        else (
            (item[0], item[1])
            if isinstance(item, (list, tuple)) and len(item) == 2
            else (item, item)
            for item in raw
        )
    )
    values: list[Any] = []
    validators: dict[Any, str] = {}
    labels: dict[Any, str] = {}
    for label, spec in items:
        if isinstance(spec, dict) and "value" in spec:
            value = spec["value"]
            if spec.get("validator"):
                validators[_hashable(value)] = str(spec["validator"])
        else:
            value = spec
        values.append(value)
        labels[_hashable(value)] = str(label)
    return tuple(values), validators, labels


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def settings_of(template_dir: Path) -> dict[str, Any]:
    """The ``_``-prefixed settings of a local template's ``copier.yml``."""
    return {k: v for k, v in _load_config(template_dir).items() if k.startswith("_")}


def _infer_type(default: Any) -> str:
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int):
        return "int"
    if isinstance(default, float):
        return "float"
    return "str"


def _load_config(template_dir: Path) -> dict[str, Any]:
    """The template's ``copier.yml``, parsed once per version of the file (a server resolves
    the same templates on every request). Callers read it; they must not change it."""
    for name in _CONFIG_NAMES:
        path = template_dir / name
        if path.is_file():
            stat = path.stat()
            return _load_file(str(path), stat.st_mtime_ns, stat.st_size)
    raise PyframeError(
        f"{template_dir} is not a Copier template: it has no copier.yml", field="template"
    )


@functools.lru_cache(maxsize=64)
def _load_file(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PyframeError(f"{path}: not UTF-8 text", field="template") from None
    return _parse_config(text, path)


def _parse_config(text: str, where: str) -> dict[str, Any]:
    import yaml

    class _Loader(yaml.SafeLoader):
        """Accepts Copier's ``!include`` tag; included files are not followed here."""

    _Loader.add_constructor("!include", lambda loader, node: None)
    try:
        documents = list(yaml.load_all(text, Loader=_Loader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"{where}:{mark.line + 1}" if mark else where
        raise PyframeError(f"{at}: not valid YAML ({_first_line(exc)})", field="template") from exc
    merged: dict[str, Any] = {}
    for document in documents:
        if isinstance(document, dict):
            merged.update(document)
    return merged


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
