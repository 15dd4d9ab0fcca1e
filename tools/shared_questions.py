"""Write the questions the three built-in templates share into each ``copier.yml``.

The shared questions (``templates/CONVENTIONS.md``: project and package name, description,
author, Python version, database, background jobs, CI, Docker, observability) are written once,
here, and copied between two marker lines of every template's ``copier.yml``. The package-name
validator is generated from ``scaffold/package_names.toml``, the rule ``pyframe new`` applies, so
pyframe and plain Copier give one answer for every name. What really differs per framework is a
short list (``DIFFERENCES``): the description's default and the databases offered.

Usage: ``python tools/shared_questions.py`` rewrites the three files; ``--check`` writes nothing
and exits 1 if one is out of date (the test suite runs it).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
BEGIN = "# --- shared questions: written by tools/shared_questions.py; edit them there ---"
END = "# --- end of the shared questions ---"

#: What really differs per framework: the description's default, and the databases offered.
DIFFERENCES = {
    "django": {
        "title": "Django",
        "databases": [
            ("SQLite", "sqlite"),
            ("PostgreSQL (psycopg 3)", "postgresql"),
            ("MySQL / MariaDB (mysqlclient)", "mysql"),
        ],
    },
    "fastapi": {
        "title": "FastAPI",
        "databases": [("SQLite (aiosqlite)", "sqlite"), ("PostgreSQL (asyncpg)", "postgresql")],
    },
    "flask": {
        "title": "Flask",
        "databases": [("SQLite", "sqlite"), ("PostgreSQL (psycopg 3)", "postgresql")],
    },
}

SHARED = """\
project_name:
  type: str
  help: Project name (letters, digits, '-' and '_'; starts with a letter)
  validator: >-
    {{% if not (project_name | regex_search('{project_pattern}')) %}}
    Use letters, digits, '-' and '_', starting with a letter.
    {{% endif %}}

package_name:
  type: str
  help: Python package name (the application's import name)
  default: "{{{{ project_name | lower | replace('-', '_') }}}}"
  validator: >-
{package_validator}

description:
  type: str
  help: One-line description (pyproject.toml, README)
  default: A {title} service.

author_name:
  type: str
  help: Author's name (pyproject.toml)
  default: Your Name

author_email:
  type: str
  help: Author's e-mail address (pyproject.toml)
  default: you@example.com
  validator: >-
    {{% if not (author_email | regex_search('^[^@ ]+@[^@ ]+[.][^@ ]+$')) %}}
    Enter an e-mail address such as you@example.com.
    {{% endif %}}

python_version:
  type: str
  help: Python version (requires-python, ruff's target, the Docker base image, CI)
  choices:
    - "3.11"
    - "3.12"
    - "3.13"
  default: "3.11"

database:
  type: str
  help: >-
    Production database: its driver is installed and compose and CI run against it
    (development and tests default to SQLite either way)
  choices:
{database_choices}
  default: sqlite

background_jobs:
  type: str
  help: Background jobs (celery adds a worker, an example task and a Redis broker)
  choices:
    None: none
    Celery with a Redis broker: celery
  default: none

ci:
  type: str
  help: Continuous integration for the generated project
  choices:
    GitHub Actions: github
    GitLab CI: gitlab
    None: none
  default: github

docker:
  type: bool
  help: Ship a Dockerfile, .dockerignore and docker-compose.yml?
  default: true

observability:
  type: str
  help: >-
    Traces and error reports, switched on by the environment
    (OTEL_EXPORTER_OTLP_ENDPOINT, SENTRY_DSN)
  choices:
    None: none
    OpenTelemetry traces over OTLP: opentelemetry
    Sentry errors and traces: sentry
  default: none
"""


def package_validator() -> str:
    """The ``package_name`` validator: the rule of ``scaffold/package_names.toml`` in Jinja."""
    rule = tomllib.loads((ROOT / "scaffold" / "package_names.toml").read_text())

    def listing(name: str, words: list[str]) -> list[str]:
        quoted = ", ".join(f"'{w}'" for w in words)
        wrapped = textwrap.wrap(quoted, 88, break_long_words=False, break_on_hyphens=False)
        return [f"{{%- set {name} = [", *(f"  {line}" for line in wrapped), "] -%}"]

    lines = [
        *listing("keywords", rule["keywords"]),
        *listing("stdlib", rule["stdlib"]),
        *listing("reserved", rule["reserved"]),
        f"{{%- if not (package_name | regex_search('{rule['pattern']}')) -%}}",
        "Use a lowercase Python identifier: letters, digits and '_', starting with a letter.",
        "{%- elif package_name in keywords -%}",
        "'{{ package_name }}' is a Python keyword.",
        "{%- elif package_name in stdlib -%}",
        "'{{ package_name }}' would shadow the standard library module of that name.",
        "{%- elif package_name in reserved -%}",
        "'{{ package_name }}' would clash with a library or a folder of the project.",
        "{%- endif -%}",
    ]
    return "\n".join(f"    {line}" for line in lines)


def shared(framework: str) -> str:
    """The shared questions as ``framework``'s ``copier.yml`` writes them."""
    rule = tomllib.loads((ROOT / "scaffold" / "package_names.toml").read_text())
    differences = DIFFERENCES[framework]
    choices = "\n".join(f"    {label}: {value}" for label, value in differences["databases"])
    return SHARED.format(
        project_pattern=rule["project_pattern"],
        package_validator=package_validator(),
        title=differences["title"],
        database_choices=choices,
    )


def updated(text: str, framework: str) -> str:
    """``text`` (a ``copier.yml``) with its shared block replaced by the current one."""
    if BEGIN not in text or END not in text:
        raise SystemExit(f"templates/{framework}/copier.yml: no {BEGIN!r} ... {END!r} block")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n\n{shared(framework)}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    check = parser.parse_args(argv).check
    stale = []
    for framework in DIFFERENCES:
        path = TEMPLATES / framework / "copier.yml"
        text = path.read_text()
        new = updated(text, framework)
        if new != text:
            stale.append(str(path.relative_to(ROOT)))
            if not check:
                path.write_text(new)
    if check and stale:
        print(f"out of date (run python tools/shared_questions.py): {', '.join(stale)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
