"""The one error type users see.

Anything a user can cause (a bad flag, a bad name, a missing file) is raised as a
:class:`PyframeError` whose message is written for that user. ``cli.py`` is the only place that
turns it into one line on stderr and exit code 2; everything else is a bug and is reported as such.
"""


class PyframeError(Exception):
    """An error the user caused and can fix; ``message`` is shown to them as it is."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
