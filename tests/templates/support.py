"""What the template tests share: where things are, and how to read a rendered project."""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
BIN = Path(sys.executable).parent
RUFF = shutil.which("ruff", path=str(BIN)) or shutil.which("ruff")
HADOLINT = shutil.which("hadolint", path=str(BIN)) or shutil.which("hadolint")

#: The account variables FastAPI and Flask share with Django's names (the skeletons' READMEs and
#: .env.example list them): the attempt limit, the reset link's lifetime and the SMTP settings.
ACCOUNT_SETTINGS = (
    "AUTH_RATE_LIMIT",
    "PASSWORD_RESET_MAX_AGE",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
)


def pyproject(project: Path) -> dict[str, Any]:
    return tomllib.loads((project / "pyproject.toml").read_text())


def dependency_names(project: Path) -> set[str]:
    """The distribution names of the project's runtime dependencies, lowercase."""
    return {
        re.split(r"[<>=\[ ;]", requirement, maxsplit=1)[0].strip().lower()
        for requirement in pyproject(project)["project"]["dependencies"]
    }
