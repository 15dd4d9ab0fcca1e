"""The errors users see, and the exit codes they map to.

Anything a user can cause or fix (a bad flag, a bad name, a missing file, a broken template, a
full disk) is raised as a :class:`PyframeError` whose message is written for that user. ``cli.py``
is the only place that turns errors into one line on stderr and an exit code:

* 0 done;
* 1 the command ran and the answer is "no" (conflicts, an update available, smoke failures);
* 2 something the user can fix (:class:`PyframeError`, file-system errors);
* 3 a bug in pyframe (the details go to a crash log);
* 130 interrupted (:class:`Interrupted` says truthfully what was left behind).
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Mapping

EXIT_OK = 0
EXIT_NO = 1
EXIT_USER = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130

#: ``{@trust}``, ``{@answers_file}``: an input the person can change, named by the front end.
_PLACEHOLDER = re.compile(r"\{@([a-z_]+)\}")


class PyframeError(Exception):
    """An error the user caused and can fix.

    The text names the inputs a person can change as ``{@name}`` placeholders (``{@trust}``,
    ``{@data}``, ``{@output}``...), because how to change them depends on the front end: the CLI
    says ``--trust``, a web form names its field. :meth:`text` fills them in; ``message`` is the
    text with each input's plain name. ``field`` names the input the error is about, so a front
    end can point at it.
    """

    exit_code = EXIT_USER

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.template = message
        self.field = field

    def text(self, words: Mapping[str, str]) -> str:
        """The message with every ``{@input}`` as ``words`` name it (its plain name if not)."""
        return _PLACEHOLDER.sub(lambda m: words.get(m[1], m[1].replace("_", " ")), self.template)

    @property
    def message(self) -> str:
        return self.text({})

    def __str__(self) -> str:
        return self.message


class Interrupted(PyframeError):
    """Ctrl-C arrived; ``message`` says what state the project or update was left in."""

    exit_code = EXIT_INTERRUPTED


#: Interruption before anything was placed: the scratch folders are gone, nothing changed.
NOTHING_CHANGED = "interrupted; nothing was changed"

_PLAIN_REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "a file is where a folder must go",
    errno.EISDIR: "a folder is where a file must go",
    errno.EEXIST: "already exists",
    errno.ENOENT: "no such file or folder",
    errno.ELOOP: "too many levels of symbolic links",
}


def describe_os_error(exc: OSError) -> str:
    """One line for a file-system error: the path, then what went wrong in plain words."""
    reason = _PLAIN_REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__
    paths = [os.fsdecode(p) for p in (exc.filename, exc.filename2) if p is not None]
    return f"{' -> '.join(paths)}: {reason}" if paths else reason
