"""A render for the web, and the archives made from it.

A render is ``pyframe new`` exactly: ``core.choose`` then ``core.create`` into a per-request
scratch folder, so the archive holds what ``pyframe new`` would have written, byte for byte and
mode for mode. The folder is read into memory and removed before the result leaves this module
(``tempfile.TemporaryDirectory``), whatever happens to the request that asked for it.

This module runs in the render processes (``renderer.py``): :func:`build` takes and returns
plain picklable values.
"""

from __future__ import annotations

import io
import os
import stat
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config, load_config
from ..core import choose, create
from ..errors import PyframeError
from ..matrix import Needs

#: A project larger than this is refused rather than held in memory (the skeletons are ~0.3 MB).
MAX_PROJECT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Job:
    """What to render, as plain values: the same inputs as ``pyframe new``."""

    name: str
    needs: Needs
    framework: str | None
    template: str | None
    #: The template answers, as ``--data`` gives them.
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Entry:
    """One folder, file or symbolic link of a rendered project, relative to its root."""

    path: str
    #: ``os.lstat``'s ``st_mode``: the type bits and the permissions.
    mode: int
    mtime: float
    data: bytes = b""
    #: Where a symbolic link points (as written in the link).
    target: str = ""

    @property
    def is_dir(self) -> bool:
        return stat.S_ISDIR(self.mode)

    @property
    def is_link(self) -> bool:
        return stat.S_ISLNK(self.mode)


@dataclass(frozen=True)
class Tree:
    """A rendered project held in memory, and the answers it was rendered with."""

    name: str
    template: str
    entries: tuple[Entry, ...]
    answers: Mapping[str, Any] = field(default_factory=dict)
    message: str = ""

    @property
    def files(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if not e.is_dir)

    def file(self, path: str) -> Entry | None:
        return next((e for e in self.files if e.path == path), None)

    @property
    def size(self) -> int:
        return sum(len(e.data) for e in self.entries)


@dataclass(frozen=True)
class Failed:
    """A user error raised while rendering (a template's validator, a file-system limit)."""

    message: str
    field: str | None = None


# --- in a render process ---------------------------------------------------------------------

_settings: Config | None = None
_trust = False
_scratch: Path | None = None


def start_worker(config: Path | None, trust: bool, scratch: str) -> None:
    """A render process's set-up: the server's configuration, its trust, its scratch root; the
    heavy imports are paid here, before the first request."""
    import signal

    global _settings, _trust, _scratch
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    _settings = load_config(config) if config is not None else load_config()
    _trust = trust
    _scratch = Path(scratch)
    import copier  # noqa: F401  (imported once per process, not per request)


def warm() -> int:
    return os.getpid()


def build(job: Job) -> Tree | Failed:
    """Render ``job`` as ``pyframe new`` would, into a scratch folder that is always removed."""
    settings = _settings if _settings is not None else load_config()
    try:
        choice = choose(job.needs, settings, framework=job.framework, template=job.template)
        with tempfile.TemporaryDirectory(prefix="render-", dir=_scratch) as folder:
            destination = Path(folder) / job.name
            rendered = create(
                choice, job.name, settings, output=destination, data=job.data, trust=_trust
            )
            return Tree(
                name=job.name,
                template=choice.template.name,
                entries=read_tree(destination),
                answers=dict(rendered.answers),
                message=rendered.message,
            )
    except PyframeError as exc:
        return Failed(exc.message, exc.field)
    except OSError as exc:
        from ..errors import describe_os_error

        return Failed(f"the server could not render the project: {describe_os_error(exc)}")


def read_tree(root: Path) -> tuple[Entry, ...]:
    """Every folder (the root first, as ``""``), file and link under ``root``, sorted."""
    entries = [_entry(root, "")]
    total = 0
    for folder, dirs, names in os.walk(root):
        base = Path(folder)
        for name in sorted([*dirs, *names]):
            path = base / name
            entry = _entry(path, str(path.relative_to(root)))
            total += len(entry.data)
            if total > MAX_PROJECT_BYTES:
                raise PyframeError("the rendered project is too large to send")
            entries.append(entry)
    return tuple(sorted(entries, key=lambda e: e.path))


def _entry(path: Path, relative: str) -> Entry:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        return Entry(relative, info.st_mode, info.st_mtime, target=os.readlink(path))
    if stat.S_ISDIR(info.st_mode):
        return Entry(relative, info.st_mode, info.st_mtime)
    return Entry(relative, info.st_mode, info.st_mtime, data=path.read_bytes())


# --- archives --------------------------------------------------------------------------------


def to_zip(tree: Tree) -> bytes:
    """The project as a zip with its folder ``name/`` at the top; Unix modes and symbolic links
    are kept (``unzip`` restores both)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for entry in tree.entries:
            name = _member(tree, entry) + ("/" if entry.is_dir else "")
            info = zipfile.ZipInfo(name, date_time=_zip_time(entry.mtime))
            info.create_system = 3  # Unix: external_attr carries the mode
            info.external_attr = (entry.mode & 0xFFFF) << 16
            if entry.is_dir:
                info.external_attr |= 0x10  # MS-DOS directory flag
            info.compress_type = zipfile.ZIP_DEFLATED if entry.data else zipfile.ZIP_STORED
            archive.writestr(info, entry.target.encode() if entry.is_link else entry.data)
    return buffer.getvalue()


def to_tar_gz(tree: Tree) -> bytes:
    """The project as a ``.tar.gz`` with its folder ``name/`` at the top, modes and links kept,
    owned by no one in particular (uid 0, no names)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT) as archive:
        for entry in tree.entries:
            info = tarfile.TarInfo(_member(tree, entry))
            info.mode = stat.S_IMODE(entry.mode)
            info.mtime = int(entry.mtime)
            if entry.is_dir:
                info.type = tarfile.DIRTYPE
                archive.addfile(info)
            elif entry.is_link:
                info.type = tarfile.SYMTYPE
                info.linkname = entry.target
                archive.addfile(info)
            else:
                info.size = len(entry.data)
                archive.addfile(info, io.BytesIO(entry.data))
    return buffer.getvalue()


def _member(tree: Tree, entry: Entry) -> str:
    return f"{tree.name}/{entry.path}" if entry.path else tree.name


def _zip_time(mtime: float) -> tuple[int, int, int, int, int, int]:
    moment = time.localtime(max(mtime, 315532800 + 86400))  # zip cannot date before 1980
    return (
        moment.tm_year,
        moment.tm_mon,
        moment.tm_mday,
        moment.tm_hour,
        moment.tm_min,
        moment.tm_sec,
    )
