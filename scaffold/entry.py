"""The ``pyframe`` command's entry point.

Only the standard library is loaded before the CLI's own imports start, so a Ctrl-C while
typer and friends are still importing is a clean exit 130 with one line, not a traceback.
"""

import sys

_INTERRUPTED = 130


def run() -> None:
    """Console-script entry point."""
    try:
        from .cli import main

        code = main()
    except KeyboardInterrupt:
        print("pyframe: interrupted; nothing was changed", file=sys.stderr)
        code = _INTERRUPTED
    sys.exit(code)
