"""Fast checks of the Django template: what each answer renders, and that every variant lints.

Nothing here installs or runs the generated project (pyframe's slow smoke tests do); each
test renders with Copier through pytest-copie and inspects the files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from .support import HADOLINT, RUFF, TEMPLATES, dependency_names, pyproject

TEMPLATE = TEMPLATES / "django"

CELERY_FILES = ("config/celery.py", "demo/items/tasks.py", "tests/test_tasks.py")
API_FILES = ("demo/api_urls.py", "demo/items/api.py", "demo/users/api.py", "tests/test_api.py")
DOCKER_FILES = ("Dockerfile", ".dockerignore", "docker-compose.yml")

# Pairwise-style coverage of the choice and bool questions; each value appears at least once.
VARIANTS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "postgres-drf-redis-celery-gitlab": {
        "database": "postgresql",
        "api": "drf",
        "cache": "redis",
        "background_jobs": "celery",
        "ci": "gitlab",
        "python_version": "3.12",
    },
    "mysql-asgi-nodocker-noci": {
        "database": "mysql",
        "asgi": True,
        "docker": False,
        "ci": "none",
        "python_version": "3.13",
    },
    "postgres-asgi-celery": {"database": "postgresql", "asgi": True, "background_jobs": "celery"},
    "mysql-drf-redis-gitlab": {"database": "mysql", "api": "drf", "cache": "redis", "ci": "gitlab"},
    "sqlite-drf-celery-asgi-nodocker": {
        "api": "drf",
        "background_jobs": "celery",
        "asgi": True,
        "docker": False,
    },
}

@pytest.fixture(scope="module")
def render(render_variant):
    """Render a named variant of this module's VARIANTS (once per session)."""
    return lambda variant: render_variant("django", VARIANTS[variant])






def python_files(project: Path) -> list[Path]:
    return [path for path in project.rglob("*.py") if ".venv" not in path.parts]


# --- what the answers render ---------------------------------------------------------------


def test_defaults_render_the_core_project(render):
    project = render("defaults")

    for name in (
        "manage.py",
        "config/env.py",
        "config/wsgi.py",
        "config/asgi.py",
        "config/settings/base.py",
        "config/settings/development.py",
        "config/settings/test.py",
        "config/settings/production.py",
        "demo/urls.py",
        "demo/core/middleware.py",
        "demo/users/models.py",
        "demo/users/migrations/0001_initial.py",
        "demo/items/migrations/0001_initial.py",
        "demo/templates/base.html",
        "demo/templates/registration/login.html",
        "gunicorn.conf.py",
        "Makefile",
        ".env.example",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".copier-answers.yml",
        "README.md",
        ".github/workflows/ci.yml",
        *DOCKER_FILES,
    ):
        assert (project / name).is_file(), name
    for name in (*CELERY_FILES, *API_FILES, ".gitlab-ci.yml", "copier.yml"):
        assert not (project / name).exists(), name


def test_celery_adds_its_app_task_test_worker_and_services(render):
    project = render("postgres-asgi-celery")

    for name in CELERY_FILES:
        assert (project / name).is_file(), name
    assert "from .celery import app as celery_app" in (project / "config/__init__.py").read_text()
    assert "\nworker:" in (project / "Makefile").read_text()
    services = yaml.safe_load((project / "docker-compose.yml").read_text())["services"]
    assert services["worker"]["command"][:3] == ["celery", "-A", "config"]
    assert services["redis"]["image"] == "redis:7"
    assert "REDIS_URL=" in (project / ".env.example").read_text()


def test_without_celery_there_is_no_worker_and_config_init_is_a_docstring(render):
    project = render("defaults")

    assert "worker" not in (project / "Makefile").read_text()
    assert "celery" not in (project / "config/__init__.py").read_text().lower()
    assert "REDIS_URL" not in (project / ".env.example").read_text()
    services = yaml.safe_load((project / "docker-compose.yml").read_text())["services"]
    assert set(services) == {"migrate", "app"}


def test_drf_adds_the_api_modules_routes_and_tests(render):
    project = render("postgres-drf-redis-celery-gitlab")

    for name in API_FILES:
        assert (project / name).is_file(), name
    assert 'path("api/", include(api_urls))' in (project / "demo/urls.py").read_text()
    base = (project / "config/settings/base.py").read_text()
    assert '"rest_framework.authtoken"' in base
    assert "REST_FRAMEWORK" in base


def test_without_an_api_no_api_route_or_setting_is_left(render):
    project = render("defaults")

    assert "api" not in (project / "demo/urls.py").read_text()
    assert "rest_framework" not in (project / "config/settings/base.py").read_text()


@pytest.mark.parametrize(
    ("variant", "expected", "absent"),
    [
        ("defaults", set(), {"psycopg", "mysqlclient", "djangorestframework", "celery", "redis"}),
        (
            "postgres-drf-redis-celery-gitlab",
            {"psycopg", "djangorestframework", "drf-spectacular", "celery", "redis"},
            {"mysqlclient", "uvicorn-worker"},
        ),
        ("mysql-asgi-nodocker-noci", {"mysqlclient", "uvicorn-worker"}, {"psycopg", "redis"}),
        ("mysql-drf-redis-gitlab", {"mysqlclient", "redis"}, {"celery"}),
    ],
)
def test_dependencies_follow_the_answers(render, variant, expected, absent):
    names = dependency_names(render(variant))

    assert {"django", "dj-database-url", "gunicorn", "whitenoise", "argon2-cffi"} <= names
    assert expected <= names
    assert not absent & names


def test_dev_extras_hold_the_test_and_lint_tools(render):
    dev = " ".join(pyproject(render("defaults"))["project"]["optional-dependencies"]["dev"])

    for tool in ("pytest-django", "pytest-cov", "factory-boy", "ruff"):
        assert tool in dev


def test_redis_cache_reads_redis_url(render):
    base = (render("mysql-drf-redis-gitlab") / "config/settings/base.py").read_text()

    assert "django.core.cache.backends.redis.RedisCache" in base
    assert 'env_str("REDIS_URL"' in base
    assert "LocMemCache" in (render("defaults") / "config/settings/base.py").read_text()


@pytest.mark.parametrize(
    ("variant", "app", "worker"),
    [
        ("defaults", "config.wsgi:application", "gthread"),
        ("mysql-asgi-nodocker-noci", "config.asgi:application", "uvicorn_worker.UvicornWorker"),
    ],
)
def test_asgi_answer_picks_the_server(render, variant, app, worker):
    conf = (render(variant) / "gunicorn.conf.py").read_text()

    assert f'wsgi_app = "{app}"' in conf
    assert f'worker_class = "{worker}"' in conf


def test_wsgi_and_asgi_select_settings_the_same_way(render):
    project = render("defaults")

    for entry_point in ("config/wsgi.py", "config/asgi.py", "manage.py"):
        assert "select_settings_module()" in (project / entry_point).read_text(), entry_point


def test_docker_false_renders_no_container_files(render):
    project = render("mysql-asgi-nodocker-noci")

    for name in DOCKER_FILES:
        assert not (project / name).exists(), name
    assert not (project / ".github").exists()
    assert not (project / ".gitlab-ci.yml").exists()


def test_gitlab_ci_replaces_github_actions(render):
    project = render("postgres-drf-redis-celery-gitlab")

    assert not (project / ".github").exists()
    ci = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
    assert ci["test"]["variables"]["DATABASE_URL"].startswith("postgresql://")
    assert {service["name"] for service in ci["test"]["services"]} == {"postgres:17", "redis:7"}
    assert ci["default"]["image"] == "python:3.12.12-slim-trixie"


@pytest.mark.parametrize(
    ("variant", "image", "url_scheme"),
    [
        ("defaults", None, "sqlite://"),
        ("postgres-asgi-celery", "postgres:17", "postgresql://"),
    ],
)
def test_github_ci_tests_against_the_chosen_database(render, variant, image, url_scheme):
    job = yaml.safe_load((render(variant) / ".github/workflows/ci.yml").read_text())["jobs"]["test"]

    assert job["env"]["DATABASE_URL"].startswith(url_scheme)
    if image is None:
        assert "services" not in job
    else:
        assert job["services"]["db"]["image"] == image


@pytest.mark.parametrize(
    ("variant", "image"),
    [("postgres-asgi-celery", "postgres:17"), ("mysql-drf-redis-gitlab", "mariadb:11")],
)
def test_compose_runs_the_chosen_database_with_a_healthcheck(render, variant, image):
    services = yaml.safe_load((render(variant) / "docker-compose.yml").read_text())["services"]

    assert services["db"]["image"] == image
    assert "healthcheck" in services["db"]
    assert services["app"]["depends_on"]["db"] == {"condition": "service_healthy"}
    assert services["app"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }


@pytest.mark.parametrize(
    ("variant", "version", "image"),
    [
        ("defaults", "3.11", "3.11.14"),
        ("postgres-drf-redis-celery-gitlab", "3.12", "3.12.12"),
        ("mysql-asgi-nodocker-noci", "3.13", None),
    ],
)
def test_python_version_sets_requires_python_ruff_target_and_image(render, variant, version, image):
    project = render(variant)
    config = pyproject(project)

    assert config["project"]["requires-python"] == f">={version}"
    assert config["tool"]["ruff"]["target-version"] == "py" + version.replace(".", "")
    if image is not None:
        assert f"FROM python:{image}-slim-trixie AS builder" in (project / "Dockerfile").read_text()


def test_mysql_dockerfile_builds_the_driver_and_keeps_only_the_runtime_library(render):
    dockerfile = (render("mysql-drf-redis-gitlab") / "Dockerfile").read_text()
    builder, runtime = dockerfile.split("\nFROM ", 2)[1:]

    assert "default-libmysqlclient-dev" in builder
    assert "libmariadb3" in runtime
    assert "libmysqlclient-dev" not in runtime


def test_project_and_package_names_reach_settings_and_answers(copie):
    result = copie.copy(
        extra_answers={"project_name": "Shop-Front", "author_name": 'Ann "Q" Lee'},
        template_dir=TEMPLATE,
    )

    assert result.exit_code == 0, result.exception
    project = result.project_dir
    assert (project / "shop_front/urls.py").is_file()
    assert 'ROOT_URLCONF = "shop_front.urls"' in (project / "config/settings/base.py").read_text()
    config = pyproject(project)
    assert config["project"]["name"] == "Shop-Front"
    assert config["project"]["authors"][0]["name"] == 'Ann "Q" Lee'
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["package_name"] == "shop_front"


# --- validators ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "package_name", ["class", "json", "django", "config", "tests", "Shop", "1shop", "shop-front"]
)
def test_package_name_validator_rejects(copie, package_name):
    result = copie.copy(
        extra_answers={"project_name": "demo", "package_name": package_name},
        template_dir=TEMPLATE,
    )

    assert result.exit_code != 0
    assert "Validation error for question 'package_name'" in str(result.exception)


@pytest.mark.parametrize("project_name", ["1demo", "demo site", "demo!"])
def test_project_name_validator_rejects(copie, project_name):
    result = copie.copy(extra_answers={"project_name": project_name}, template_dir=TEMPLATE)

    assert result.exit_code != 0
    assert "Validation error for question 'project_name'" in str(result.exception)


def test_author_email_validator_rejects(copie):
    result = copie.copy(
        extra_answers={"project_name": "demo", "author_email": "not-an-email"},
        template_dir=TEMPLATE,
    )

    assert result.exit_code != 0
    assert "Validation error for question 'author_email'" in str(result.exception)


# --- every variant is clean ------------------------------------------------------------------


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_variant_passes_ruff_with_its_own_config(render, variant):
    project = render(variant)
    assert RUFF, "ruff is not installed"

    for command in ([RUFF, "check", "."], [RUFF, "format", "--check", "."]):
        result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


DOCKER_VARIANTS = [name for name, answers in VARIANTS.items() if answers.get("docker", True)]


@pytest.mark.parametrize("variant", DOCKER_VARIANTS)
def test_dockerfile_passes_hadolint(render, variant):
    assert HADOLINT, "hadolint is not installed"

    result = subprocess.run(
        [HADOLINT, "Dockerfile"], cwd=render(variant), capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_python_files_have_no_jinja_leftovers_and_are_not_empty(render, variant):
    for path in python_files(render(variant)):
        text = path.read_text()
        assert "{{" not in text and "{%" not in text and "{#" not in text, path
        if path.name != "__init__.py" or path.parent.name != "migrations":
            assert text.strip(), f"{path} is empty"


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_yaml_files_parse(render, variant):
    project = render(variant)

    paths = [*project.glob("*.yml"), *project.glob(".*.yml"), *project.glob(".github/**/*.yml")]
    assert paths
    for path in paths:
        assert yaml.safe_load(path.read_text()) is not None, path
