"""Templates shaped like the public Copier templates pyframe meets in the wild.

Each builder writes a small template with the features that broke pyframe on real templates
(issue 13), not pyframe's own conventions: Jinja extensions, ``multiselect`` questions,
required strings, package names with dashes, ``choices`` in mapping form with validators,
``_tasks`` that run generators or create a virtualenv, an ``_exclude`` that replaces Copier's,
an answers file in a subfolder, symbolic links, and git repositories whose HEAD is not their
newest release.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

ANSWERS = "{{ _copier_answers|to_nice_yaml -}}\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return root


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def release(repo: Path, tag: str) -> None:
    """Commit everything in ``repo`` and tag it."""
    if not (repo / ".git").exists():
        git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", tag)
    git(repo, "tag", tag)


def library(root: Path) -> Path:
    """A Python-library template: Jinja extensions, a multiselect, a required string, and a
    package name that may contain dashes (its own default and validator)."""
    return write(
        root,
        {
            "copier.yml": """
                _jinja_extensions:
                  - jinja2.ext.do
                  - jinja2.ext.loopcontrols
                _message_after_copy: |
                  Your library {{ project_name }} is ready: run `hatch test` in it.
                project_name:
                  type: str
                  help: Name of the distribution
                package_name:
                  type: str
                  default: "{{ project_name | lower }}"
                  validator: >-
                    {% if not (package_name | regex_search('^[a-z][a-z0-9_-]*$')) %}
                    lowercase letters, digits, '-' and '_' only
                    {% endif %}
                author:
                  type: str
                  help: Your name (required)
                features:
                  type: str
                  multiselect: true
                  choices:
                    Command line: cli
                    Type hints: typed
                    Documentation: docs
                  default: [typed]
                """,
            "pyproject.toml.jinja": """
                [project]
                name = "{{ package_name }}"
                authors = [{ name = "{{ author }}" }]
                {%- set extras = [] %}{% do extras.extend(features) %}
                # features: {{ extras | join(', ') }}
                """,
            "{{_copier_conf.answers_file}}.jinja": ANSWERS,
        },
    )


def fullstack(repo: Path) -> Path:
    """A full-stack template in git: tasks that run generators, its own ``_exclude`` (which
    replaces Copier's), its answers file in ``.copier/``, releases v1.0.0 and v2.0.0, and a
    HEAD that has moved its ``copier.yml`` away (only the tags have one)."""
    common = """
        _subdirectory: template
        _answers_file: .copier/.copier-answers.yml
        _exclude:
          - "*.bak"
        _tasks:
          - command: "python3 -c \\"import os; open('where.txt', 'w').write(os.getcwd())\\""
          - command: "echo {{ _copier_operation }} >> operations.txt"
          - command: "python3 -c \\"open('generated/client.py', 'w').write('CLIENT = 1\\\\n')\\""
        project_name:
          type: str
        frontend:
          type: str
          choices: [react, vue]
          default: react
        """
    write(
        repo,
        {
            "copier.yml": common,
            "template/README.md.jinja": "# {{ project_name }} ({{ frontend }})\n",
            "template/generated/.keep": "",
            "template/notes.bak": "excluded\n",
            "template/Makefile": "install:\n\t@echo install\ndev:\n\t@echo dev\n",
            "template/{{_copier_conf.answers_file}}.jinja": ANSWERS,
        },
    )
    release(repo, "v1.0.0")
    write(
        repo,
        {
            "copier.yml": common
            + """
        database:
          type: str
          choices: [postgres, sqlite]
          default: postgres
        """,
            "template/README.md.jinja": "# {{ project_name }} ({{ frontend }}, {{ database }})\n",
        },
    )
    release(repo, "v2.0.0")
    (repo / "copier.yml").rename(repo / "copier.yml.moved")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "work in progress after 2.0.0")
    return repo


def validated(root: Path) -> Path:
    """A template whose choices are a mapping of ``{value, validator}`` and whose questions
    forbid some combinations through validators."""
    return write(
        root,
        {
            "copier.yml": """
                project_name:
                  type: str
                orm:
                  type: str
                  choices:
                    SQLAlchemy: {value: sqlalchemy}
                    Tortoise:
                      value: tortoise
                      validator: "{% if not async %}Tortoise needs async{% endif %}"
                  default: sqlalchemy
                async:
                  type: bool
                  default: false
                workers:
                  type: int
                  default: 2
                  validator: "{% if workers < 1 %}at least one worker{% endif %}"
                cache:
                  type: str
                  choices: [none, redis]
                  default: none
                  validator: >-
                    {% if cache == 'redis' and not async %}redis cache needs async{% endif %}
                """,
            "settings.txt.jinja": "{{ orm }} {{ async }} {{ workers }} {{ cache }}\n",
            "{{_copier_conf.answers_file}}.jinja": ANSWERS,
        },
    )


def edit_task(text: str) -> str:
    """A ``_tasks`` entry (YAML, at the top level) that appends a line to README.md."""
    return textwrap.dedent(
        f"""\
        - command:
            - python3
            - -c
            - |
              import pathlib
              readme = pathlib.Path("README.md")
              readme.write_text(readme.read_text() + "{text}\\n")
        """
    )


def tiny_tasks(root: Path) -> Path:
    """A tiny template whose tasks create a virtualenv and edit a file it rendered."""
    write(
        root,
        {
            "README.md.jinja": "# {{ project_name }}\n",
            "{{_copier_conf.answers_file}}.jinja": ANSWERS,
        },
    )
    (root / "copier.yml").write_text(
        "_tasks:\n"
        "- python3 -m venv --without-pip .venv\n"
        + edit_task("edited by a task")
        + "project_name:\n  type: str\n"
    )
    return root


def layer(root: Path, *, tasks: bool = False) -> Path:
    """A layer (``pyframe add``): a file in ``shared/`` and, optionally, a task that edits the
    project's README.md in place."""
    write(
        root,
        {
            "shared/OWNERS.jinja": "{{ team }}\n",
            "{{_copier_conf.answers_file}}.jinja": ANSWERS,
        },
    )
    tasks_yaml = "_tasks:\n" + edit_task("layer was here") if tasks else ""
    (root / "copier.yml").write_text(tasks_yaml + "team:\n  type: str\n  default: platform\n")
    return root


def with_symlink(root: Path, target: str) -> Path:
    """A template that plants ``shared -> target`` and keeps it (``_preserve_symlinks``)."""
    write(
        root,
        {
            "copier.yml": "_preserve_symlinks: true\nproject_name:\n  type: str\n",
            "README.md.jinja": "# {{ project_name }}\n",
            "{{_copier_conf.answers_file}}.jinja": ANSWERS,
        },
    )
    (root / "shared").symlink_to(target)
    return root
