"""Project names and the Python package names derived from them.

A name is checked before anything is written, because a bad one fails late and confusingly
otherwise: ``import test`` silently imports the standard library's package, a project called
``django`` shadows the framework it depends on, and ``../x`` writes outside the current folder.
"""

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from .errors import PyframeError


@dataclass(frozen=True)
class PackageRule:
    """The one package-name rule (``package_names.toml``), shared with the templates."""

    pattern: str
    project_pattern: str
    keywords: frozenset[str]
    stdlib: frozenset[str]
    reserved: frozenset[str]


@functools.cache
def package_rule() -> PackageRule:
    """The rule as data: pyframe applies it here, the templates' validators are generated
    from the same file (``tools/shared_questions.py``)."""
    raw = tomllib.loads(resources.files("scaffold").joinpath("package_names.toml").read_text())
    return PackageRule(
        pattern=str(raw["pattern"]),
        project_pattern=str(raw["project_pattern"]),
        keywords=frozenset(raw["keywords"]),
        stdlib=frozenset(raw["stdlib"]),
        reserved=frozenset(raw["reserved"]),
    )


def package_name(project_name: str) -> str:
    """Derive the import name as the templates' default does: ``My-Service`` -> ``my_service``."""
    return project_name.strip().lower().replace("-", "_")


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
            "(use {@output} DIR to choose where the project goes)",
            field="name",
        )
    if project_name.startswith("-"):
        raise PyframeError(
            f"invalid project name {project_name!r}: it must not start with '-'", field="name"
        )
    if "\x00" in project_name:
        raise PyframeError(f"invalid project name {project_name!r}", field="name")
    return project_name


def validate_project_name(project_name: str) -> str:
    """Check ``project_name`` and return the package name derived from it.

    Raises :class:`PyframeError` with a message that says what is wrong and what would work.
    """
    validate_folder_name(project_name)
    if project_name[0].isdigit():
        raise PyframeError(
            f"invalid project name {project_name!r}: it must not start with a digit, "
            "because the Python package derived from it could not be imported",
            field="name",
        )
    if not re.fullmatch(package_rule().project_pattern, project_name):
        raise PyframeError(
            f"invalid project name {project_name!r}: use letters, digits, '-' and '_', "
            "starting with a letter",
            field="name",
        )
    return validate_package_name(package_name(project_name), project_name)


def validate_package_name(name: str, project_name: str | None = None) -> str:
    """Check a Python package name for a generated project and return it unchanged."""
    rule = package_rule()
    subject = f"project name {project_name!r} (package {name!r})" if project_name else repr(name)
    field = "name" if project_name else "package_name"
    if not re.fullmatch(rule.pattern, name):
        raise PyframeError(
            f"invalid package name {name!r}: use a lowercase Python identifier "
            "(letters, digits and '_', starting with a letter)",
            field=field,
        )
    if name in rule.keywords:
        raise PyframeError(f"invalid {subject}: {name!r} is a Python keyword", field=field)
    if name in rule.stdlib:
        raise PyframeError(
            f"invalid {subject}: {name!r} is a standard library module and would shadow it",
            field=field,
        )
    if name in rule.reserved:
        raise PyframeError(
            f"invalid {subject}: {name!r} would shadow a library or folder the project uses",
            field=field,
        )
    return name
