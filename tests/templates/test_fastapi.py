"""Fast checks of the FastAPI template: what each answer renders, and that every variant lints.

Nothing here installs or runs the generated project (pyframe's slow smoke tests do); each test
renders with Copier through pytest-copie and inspects the files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from .support import HADOLINT, RUFF, TEMPLATES, dependency_names, pyproject

TEMPLATE = TEMPLATES / "fastapi"

JWT_FILES = (
    "demo/security.py",
    "demo/routes/auth.py",
    "demo/routes/users.py",
    "tests/test_users.py",
)
CELERY_FILES = ("demo/celery_app.py", "demo/worker.py", "demo/tasks.py", "tests/test_tasks.py")
WEBSOCKET_FILES = ("demo/routes/ws.py", "tests/test_ws.py")
UVICORN_FILES = ("demo/server.py", "tests/test_server.py")
DOCKER_FILES = ("Dockerfile", ".dockerignore", "docker-compose.yml")

# Pairwise over every choice and bool question (allpairspy), plus the defaults.
VARIANTS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "312-gitlab-pg-celery-nodocker-open-ws": {
        "python_version": "3.12",
        "ci": "gitlab",
        "database": "postgresql",
        "background_jobs": "celery",
        "docker": False,
        "auth": "none",
        "websockets": True,
    },
    "313-noci-pg-nodocker-ws-uvicorn": {
        "python_version": "3.13",
        "ci": "none",
        "database": "postgresql",
        "docker": False,
        "websockets": True,
        "server": "uvicorn",
    },
    "313-gitlab-celery-open-uvicorn": {
        "python_version": "3.13",
        "ci": "gitlab",
        "background_jobs": "celery",
        "auth": "none",
        "server": "uvicorn",
    },
    "312-nodocker-open-uvicorn": {
        "python_version": "3.12",
        "docker": False,
        "auth": "none",
        "server": "uvicorn",
    },
    "noci-pg-celery-open-uvicorn": {
        "ci": "none",
        "database": "postgresql",
        "background_jobs": "celery",
        "auth": "none",
        "server": "uvicorn",
    },
    "gitlab-nodocker-ws-uvicorn": {
        "ci": "gitlab",
        "docker": False,
        "websockets": True,
        "server": "uvicorn",
    },
    "312-noci-celery-ws": {
        "python_version": "3.12",
        "ci": "none",
        "background_jobs": "celery",
        "websockets": True,
    },
    "313-pg-celery-ws": {
        "python_version": "3.13",
        "database": "postgresql",
        "background_jobs": "celery",
        "websockets": True,
    },
}

@pytest.fixture(scope="module")
def render(render_variant):
    """Render a named variant of this module's VARIANTS (once per session)."""
    return lambda variant: render_variant("fastapi", VARIANTS[variant])


def answers_of(variant: str) -> dict[str, Any]:
    defaults = {
        "python_version": "3.11",
        "database": "sqlite",
        "background_jobs": "none",
        "ci": "github",
        "docker": True,
        "auth": "jwt",
        "websockets": False,
        "server": "gunicorn",
    }
    return {**defaults, **VARIANTS[variant]}


def dependencies(project: Path) -> list[str]:
    data = tomllib.loads((project / "pyproject.toml").read_text())
    return [re.split(r"[<>=\[ ]", dep)[0].lower() for dep in data["project"]["dependencies"]]


def project_files(project: Path) -> set[str]:
    files = {str(path.relative_to(project)) for path in project.rglob("*") if path.is_file()}
    return files - {".copier-answers.yml"}


@pytest.mark.parametrize("variant", VARIANTS)
def test_files_follow_the_answers(render, variant: str) -> None:
    answers = answers_of(variant)
    files = project_files(render(variant))
    expected = {
        JWT_FILES: answers["auth"] == "jwt",
        CELERY_FILES: answers["background_jobs"] == "celery",
        WEBSOCKET_FILES: answers["websockets"],
        UVICORN_FILES: answers["server"] == "uvicorn",
        ("gunicorn.conf.py",): answers["server"] == "gunicorn",
        DOCKER_FILES: answers["docker"],
        (".github/workflows/ci.yml",): answers["ci"] == "github",
        (".gitlab-ci.yml",): answers["ci"] == "gitlab",
    }
    for group, present in expected.items():
        for name in group:
            assert (name in files) is present, f"{name} should {'' if present else 'not '}exist"


@pytest.mark.parametrize("variant", VARIANTS)
def test_dependencies_follow_the_answers(render, variant: str) -> None:
    answers = answers_of(variant)
    deps = dependencies(render(variant))
    assert {"fastapi", "sqlalchemy", "alembic", "aiosqlite", "uvicorn"} <= set(deps)
    assert ("asyncpg" in deps) is (answers["database"] == "postgresql")
    assert ("celery" in deps) is (answers["background_jobs"] == "celery")
    assert ("pyjwt" in deps) is (answers["auth"] == "jwt")
    assert ("pwdlib" in deps) is (answers["auth"] == "jwt")
    assert ("gunicorn" in deps) is (answers["server"] == "gunicorn")
    assert ("uvicorn-worker" in deps) is (answers["server"] == "gunicorn")


@pytest.mark.parametrize("variant", VARIANTS)
def test_python_version_is_used_everywhere(render, variant: str) -> None:
    version = answers_of(variant)["python_version"]
    project = render(variant)
    data = tomllib.loads((project / "pyproject.toml").read_text())
    assert data["project"]["requires-python"] == f">={version}"
    assert data["tool"]["ruff"]["target-version"] == f"py{version.replace('.', '')}"
    dockerfile = project / "Dockerfile"
    if dockerfile.exists():
        bases = re.findall(r"^FROM python:(\S+)-slim-trixie", dockerfile.read_text(), re.M)
        assert len(bases) == 2
        assert all(base.startswith(f"{version}.") for base in bases)
    github = project / ".github/workflows/ci.yml"
    if github.exists():
        assert f'python-version: "{version}"' in github.read_text()
    gitlab = project / ".gitlab-ci.yml"
    if gitlab.exists():
        assert f"image: python:{version}-slim" in gitlab.read_text()


@pytest.mark.parametrize("variant", VARIANTS)
def test_only_chosen_features_are_wired(render, variant: str) -> None:
    """Modules left out must not be imported or mentioned by the code that stays."""
    answers = answers_of(variant)
    project = render(variant)
    main = (project / "demo/main.py").read_text()
    assert ("ws.router" in main) is answers["websockets"]
    assert ("users.router" in main) is (answers["auth"] == "jwt")
    items = (project / "demo/routes/items.py").read_text()
    assert ("CurrentUser" in items) is (answers["auth"] == "jwt")
    migration = (project / "migrations/versions/0001_initial.py").read_text()
    assert ('"users"' in migration) is (answers["auth"] == "jwt")
    makefile = (project / "Makefile").read_text()
    assert ("\nworker:" in makefile) is (answers["background_jobs"] == "celery")
    env = (project / ".env.example").read_text()
    assert ("REDIS_URL=" in env) is (answers["background_jobs"] == "celery")
    assert ("ACCESS_TOKEN_EXPIRE_MINUTES=" in env) is (answers["auth"] == "jwt")


@pytest.mark.parametrize("variant", VARIANTS)
def test_server_command_matches_the_answer(render, variant: str) -> None:
    answers = answers_of(variant)
    project = render(variant)
    makefile = (project / "Makefile").read_text()
    if answers["server"] == "gunicorn":
        assert "$(BIN)/gunicorn -c gunicorn.conf.py" in makefile
        conf = (project / "gunicorn.conf.py").read_text()
        assert 'wsgi_app = "demo.asgi:app"' in conf
        assert 'worker_class = "uvicorn_worker.UvicornWorker"' in conf
    else:
        assert "$(BIN)/python -m demo.server" in makefile
    dockerfile = project / "Dockerfile"
    if dockerfile.exists():
        cmd = dockerfile.read_text().strip().splitlines()[-1]
        expected = (
            'CMD ["gunicorn", "-c", "gunicorn.conf.py"]'
            if answers["server"] == "gunicorn"
            else 'CMD ["python", "-m", "demo.server"]'
        )
        assert cmd == expected


@pytest.mark.parametrize("variant", [v for v in VARIANTS if answers_of(v)["docker"]])
def test_compose_services_follow_the_answers(render, variant: str) -> None:
    answers = answers_of(variant)
    compose_file = render(variant) / "docker-compose.yml"
    services = yaml.safe_load(compose_file.read_text())["services"]
    assert {"app", "migrate"} <= set(services)
    assert ("db" in services) is (answers["database"] == "postgresql")
    assert ("redis" in services and "worker" in services) is (
        answers["background_jobs"] == "celery"
    )
    for name, depends in services["app"]["depends_on"].items():
        assert depends["condition"] in {"service_healthy", "service_completed_successfully"}, name


@pytest.mark.parametrize("variant", [v for v in VARIANTS if answers_of(v)["ci"] != "none"])
def test_ci_tests_against_the_chosen_database(render, variant: str) -> None:
    answers = answers_of(variant)
    ci = {"github": ".github/workflows/ci.yml", "gitlab": ".gitlab-ci.yml"}[answers["ci"]]
    text = (render(variant) / ci).read_text()
    config = yaml.safe_load(text)
    assert config  # valid YAML
    assert "make lint" in text
    assert "make check-migrations" in text
    assert "make test" in text
    assert ("postgres:17" in text) is (answers["database"] == "postgresql")


@pytest.mark.skipif(RUFF is None, reason="ruff is not installed")
@pytest.mark.parametrize("variant", VARIANTS)
def test_rendered_project_passes_ruff(render, variant: str) -> None:
    project = render(variant)
    for args in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        result = subprocess.run(
            [RUFF, *args], cwd=project, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(HADOLINT is None, reason="hadolint is not installed")
@pytest.mark.parametrize("variant", [v for v in VARIANTS if answers_of(v)["docker"]])
def test_dockerfile_passes_hadolint(render, variant: str) -> None:
    result = subprocess.run(
        [HADOLINT, "Dockerfile"], cwd=render(variant), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_jinja_leftovers_and_no_empty_python_modules(render, variant: str) -> None:
    project = render(variant)
    for path in project.rglob("*"):
        if not path.is_file() or ".git" in path.parts:
            continue
        text = path.read_text()
        for marker in ("{{", "{%", "{#"):
            assert marker not in text, f"{path.relative_to(project)} contains {marker}"
        if path.suffix == ".py":
            assert text.strip(), f"{path.relative_to(project)} is empty"


def test_defaults_keep_development_on_sqlite(render) -> None:
    env = (render("defaults") / ".env.example").read_text()
    assert "DATABASE_URL=sqlite:///./db.sqlite3" in env
    assert "SECRET_KEY=change-me" in env


def test_postgresql_still_develops_on_sqlite(render) -> None:
    project = render("313-pg-celery-ws")
    assert "DATABASE_URL=sqlite:///./db.sqlite3" in (project / ".env.example").read_text()
    compose = yaml.safe_load((project / "docker-compose.yml").read_text())
    assert compose["x-app"]["environment"]["DATABASE_URL"].startswith("postgresql://")


def test_answers_file_records_the_answers(render) -> None:
    answers = yaml.safe_load((render("313-pg-celery-ws") / ".copier-answers.yml").read_text())
    assert answers["database"] == "postgresql"
    assert answers["websockets"] is True
    assert answers["package_name"] == "demo"


@pytest.mark.parametrize(
    ("answers", "question"),
    [
        ({"project_name": "1demo"}, "project_name"),
        ({"project_name": "demo api"}, "project_name"),
        ({"project_name": "demo", "package_name": "Demo"}, "package_name"),
        ({"project_name": "demo", "package_name": "my-app"}, "package_name"),
        ({"project_name": "demo", "package_name": "class"}, "package_name"),
        ({"project_name": "demo", "package_name": "fastapi"}, "package_name"),
        ({"project_name": "demo", "package_name": "tests"}, "package_name"),
        ({"project_name": "json"}, "package_name"),
        ({"project_name": "demo", "author_email": "not-an-email"}, "author_email"),
        ({"project_name": "demo", "database": "mysql"}, "database"),
        ({"project_name": "demo", "auth": "session"}, "auth"),
        ({"project_name": "demo", "server": "hypercorn"}, "server"),
    ],
)
def test_bad_answers_are_refused(copie, answers: dict[str, str], question: str) -> None:
    result = copie.copy(extra_answers=answers, template_dir=TEMPLATE)
    assert result.exit_code != 0
    assert f"'{question}'" in str(result.exception)


def test_package_name_is_derived_from_the_project_name(copie) -> None:
    result = copie.copy(extra_answers={"project_name": "My-Service"}, template_dir=TEMPLATE)
    assert result.exit_code == 0, result.exception
    assert (result.project_dir / "my_service" / "main.py").is_file()
    gunicorn_conf = (result.project_dir / "gunicorn.conf.py").read_text()
    assert 'wsgi_app = "my_service.asgi:app"' in gunicorn_conf
