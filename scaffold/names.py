"""Project names and the Python package names derived from them.

A name is checked before anything is written, because a bad one fails late and confusingly
otherwise: ``import test`` silently imports the standard library's package, a project called
``django`` shadows the framework it depends on, and ``../x`` writes outside the current folder.
"""

import keyword
import re
import sys

from .errors import PyframeError

_PROJECT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")

#: Names a generated project cannot take because it would shadow something it imports, or a
#: top-level folder the skeletons themselves use.
RESERVED = frozenset(
    {
        # the frameworks and the libraries the skeletons import at top level
        "django",
        "fastapi",
        "flask",
        "starlette",
        "werkzeug",
        "jinja2",
        "pydantic",
        "sqlalchemy",
        "alembic",
        "celery",
        "redis",
        "gunicorn",
        "uvicorn",
        "pytest",
        "httpx",
        "jwt",
        "argon2",
        "ninja",
        "rest_framework",
        "whitenoise",
        "psycopg",
        "asyncpg",
        "scaffold",
        "pyframe",
        # folders and modules every skeleton has next to the package
        "config",
        "tests",
        "migrations",
        "manage",
    }
)


#: Importable standard-library packages that ``sys.stdlib_module_names`` leaves out.
_STDLIB_EXTRA = frozenset({"test", "idlelib", "lib2to3", "ensurepip", "venv"})


def package_name(project_name: str) -> str:
    """Derive the import name: ``My-Service`` becomes ``my_service``."""
    return re.sub(r"[-. ]+", "_", project_name.strip()).lower()


def validate_folder_name(project_name: str) -> str:
    """Check that ``project_name`` names a folder, not a path; any template may take it.

    Only pyframe's own templates derive a package name from it (``validate_project_name``);
    another template's validators decide what else the name must be.
    """
    if not project_name.strip():
        raise PyframeError("the project name is empty", field="name")
    if "/" in project_name or "\\" in project_name or ".." in project_name or project_name == ".":
        raise PyframeError(
            f"invalid project name {project_name!r}: it must be a name, not a path "
            "(use --output DIR to choose where the project goes)",
            field="name",
        )
    if project_name.startswith("-") or "\x00" in project_name:
        raise PyframeError(f"invalid project name {project_name!r}", field="name")
    return project_name


def validate_project_name(project_name: str) -> str:
    """Check ``project_name`` and return the package name derived from it.

    Raises :class:`PyframeError` with a message that says what is wrong and what would work.
    """
    if not project_name.strip():
        raise PyframeError("the project name is empty")
    if "/" in project_name or "\\" in project_name or ".." in project_name:
        raise PyframeError(
            f"invalid project name {project_name!r}: it must be a name, not a path "
            "(use --output DIR to choose where the project goes)"
        )
    if project_name[0].isdigit():
        raise PyframeError(
            f"invalid project name {project_name!r}: it must not start with a digit, "
            "because the Python package derived from it could not be imported"
        )
    if not _PROJECT_NAME.fullmatch(project_name):
        raise PyframeError(
            f"invalid project name {project_name!r}: use letters, digits, '-', '_' or '.', "
            "starting with a letter"
        )
    return validate_package_name(package_name(project_name), project_name)


def validate_package_name(name: str, project_name: str | None = None) -> str:
    """Check a Python package name for a generated project and return it unchanged."""
    subject = f"project name {project_name!r} (package {name!r})" if project_name else repr(name)
    if not name.isidentifier() or not name.isascii():
        raise PyframeError(f"invalid package name {name!r}: it must be a Python identifier")
    if name != name.lower():
        raise PyframeError(f"invalid package name {name!r}: use lowercase (PEP 8)")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise PyframeError(f"invalid {subject}: {name!r} is a Python keyword")
    if name in sys.stdlib_module_names or name in _STDLIB_EXTRA:
        raise PyframeError(
            f"invalid {subject}: {name!r} is a standard library module and would shadow it"
        )
    if name in RESERVED:
        raise PyframeError(
            f"invalid {subject}: {name!r} would shadow a library or folder the project uses"
        )
    return name
