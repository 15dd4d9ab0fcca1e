"""File-system safety shared by rendering and updating.

Three promises live here so that ``render`` and ``update`` keep them the same way:

* **Never write outside the project.** A symbolic link in the project (the person's own, or one
  a template planted with ``_preserve_symlinks``) must not carry a write elsewhere. Like Copier's
  forbidden-path check, a write is refused when the real location of its folder is outside the
  project, and every write of an operation is checked before the first one happens.
* **Scratch folders never leak.** They are created and removed with Ctrl-C held back, so an
  interrupt cannot land between ``mkdtemp`` and the ``try`` that removes the folder again.
* **Only what we created is removed.** Parent folders made for ``--output a/b/c`` are removed
  again when the render fails, and nothing the person had is.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import PyframeError


def check_inside(root: Path, relatives: Iterable[str]) -> None:
    """Refuse (before anything is written) any path whose folder really lies outside ``root``.

    ``root`` is the project; each relative path is a file about to be written into it. A
    symbolic link on the way (``tests -> /elsewhere``, ``docs -> ../shared``) that leads out
    of the project makes the whole operation fail, naming the link.
    """
    real_root = root.resolve()
    seen: set[Path] = set()
    for relative in relatives:
        parent = Path(relative).parent
        if parent in seen:
            continue
        seen.add(parent)
        folder = root
        for part in parent.parts:
            folder = folder / part
            if folder.is_symlink() and not _leads_inside(folder, real_root):
                raise PyframeError(
                    f"{folder} is a symbolic link to {os.readlink(folder)}, outside the project; "
                    "pyframe never writes through it: remove the link or choose another folder",
                    field="output",
                )


def _leads_inside(link: Path, real_root: Path) -> bool:
    try:
        return link.resolve(strict=False).is_relative_to(real_root)
    except (OSError, RuntimeError):  # a loop of links leads nowhere safe
        return False


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT back for a short critical section; it is delivered when the block ends."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def scratch_dir(parent: Path, prefix: str, suffix: str = "") -> Iterator[Path]:
    """A temporary folder under ``parent``, always removed, even by a Ctrl-C at a bad moment."""
    with signals_held():
        path = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=parent))
    try:
        yield path
    finally:
        with signals_held():
            shutil.rmtree(path, ignore_errors=True)


def as_new_folder(path: Path) -> None:
    """Give a scratch folder the permissions a plain ``mkdir`` would have (``mkdtemp`` makes it
    private to its owner, and a project renamed from it would stay that way)."""
    os.chmod(path, 0o777 & ~_umask())


def _umask() -> int:
    """The process's umask, read without changing it (``os.umask`` would, for a moment)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


def make_parents(folder: Path) -> list[Path]:
    """``mkdir -p folder``; returns the folders it created, outermost first."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    created = []
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            if not path.is_dir():
                raise
            continue
        created.append(path)
    return created


def remove_created(folders: list[Path]) -> None:
    """Remove the folders :func:`make_parents` created, innermost first, if they are empty."""
    with signals_held():
        for path in reversed(folders):
            try:
                path.rmdir()
            except OSError:
                return
