"""Reading the TOML files pyframe is configured by (``pyframe.toml``, matrix files).

One reader so that every such file fails the same way, in one line that names the file and,
where there is one, the line: an unreadable file, bytes that are not UTF-8, a TOML syntax error.
What the file must contain is each reader's own business (``config``, ``matrix``).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from .errors import PyframeError

_TOML_PLACE = re.compile(r"^(?P<message>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")


def load(path: Path | str, what: str, data: bytes | None = None) -> tuple[dict[str, Any], str]:
    """The parsed file and its text; ``what`` names it in messages ("the matrix file").

    ``data`` is the file's bytes when they were already read (a file inside the package).
    """
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            reason = exc.strerror or exc
            raise PyframeError(f"{path}: cannot read {what}: {reason}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PyframeError(f"{path}:{line}: not UTF-8 text; {what} is TOML") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_PLACE.match(str(exc))
        if found is None:  # e.g. "(at end of document)": no line to give
            raise PyframeError(f"{path}: invalid TOML: {exc}") from None
        raise PyframeError(
            f"{path}:{found['line']}: invalid TOML: {found['message']} (column {found['column']})"
        ) from None
