"""Fast checks of the Django template: what each answer renders, and that every variant lints.

Nothing here installs or runs the generated project (pyframe's slow smoke tests do); each
test renders with Copier through pytest-copie and inspects the files.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from .support import HADOLINT, RUFF, TEMPLATES, dependency_names, pyproject

TEMPLATE = TEMPLATES / "django"

CELERY_FILES = ("config/celery.py", "demo/items/tasks.py", "tests/test_tasks.py")
WEBSOCKETS_FILES = (
    "config/settings/channels.py",
    "demo/routing.py",
    "demo/items/apps.py",
    "demo/items/consumers.py",
    "demo/items/events.py",
    "tests/test_ws.py",
)
API_FILES = (
    "demo/api_urls.py",
    "demo/items/api.py",
    "demo/users/api.py",
    "demo/users/apps.py",
    "demo/users/tokens.py",
    "tests/test_api.py",
)
DOCKER_FILES = ("Dockerfile", ".dockerignore", "docker-compose.yml")

# Pairwise-style coverage of the choice and bool questions; each value appears at least once.
VARIANTS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "postgres-drf-redis-celery-gitlab-otel": {
        "database": "postgresql",
        "api": "drf",
        "cache": "redis",
        "background_jobs": "celery",
        "ci": "gitlab",
        "python_version": "3.12",
        "observability": "opentelemetry",
    },
    "mysql-asgi-nodocker-noci-sentry": {
        "database": "mysql",
        "asgi": True,
        "docker": False,
        "ci": "none",
        "python_version": "3.13",
        "observability": "sentry",
    },
    "postgres-asgi-celery": {"database": "postgresql", "asgi": True, "background_jobs": "celery"},
    "mysql-drf-redis-gitlab": {"database": "mysql", "api": "drf", "cache": "redis", "ci": "gitlab"},
    "sqlite-drf-celery-asgi-nodocker": {
        "api": "drf",
        "background_jobs": "celery",
        "asgi": True,
        "docker": False,
    },
    # asgi is not given: it follows the websockets answer.
    "websockets": {"websockets": True},
    "postgres-drf-celery-websockets-gitlab": {
        "database": "postgresql",
        "api": "drf",
        "background_jobs": "celery",
        "websockets": True,
        "ci": "gitlab",
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
    assert "\nREDIS_URL=redis://localhost:6379/0\n" in (project / ".env.example").read_text()


def test_without_celery_there_is_no_worker_and_config_init_is_a_docstring(render):
    project = render("defaults")

    assert "worker" not in (project / "Makefile").read_text()
    assert "celery" not in (project / "config/__init__.py").read_text().lower()
    assert "REDIS_URL" not in (project / ".env.example").read_text()
    services = yaml.safe_load((project / "docker-compose.yml").read_text())["services"]
    assert set(services) == {"migrate", "app"}


def test_drf_adds_the_api_modules_routes_and_tests(render):
    project = render("postgres-drf-redis-celery-gitlab-otel")

    for name in API_FILES:
        assert (project / name).is_file(), name
    assert 'path("api/", include(api_urls))' in (project / "demo/urls.py").read_text()
    base = (project / "config/settings/base.py").read_text()
    assert "INSTALLED_APPS += drf.API_APPS" in base
    assert "REST_FRAMEWORK = drf.REST_FRAMEWORK" in base
    drf = (project / "config/settings/drf.py").read_text()
    assert '"rest_framework.authtoken"' in drf
    assert '"TITLE": "demo API"' in drf


def test_without_an_api_no_api_route_or_setting_is_left(render):
    project = render("defaults")

    assert "api" not in (project / "demo/urls.py").read_text()
    assert "drf" not in (project / "config/settings/base.py").read_text()
    assert not (project / "config/settings/drf.py").exists()
    for name in API_FILES:
        assert not (project / name).exists(), name
    assert "rest_framework" not in (project / "pyproject.toml").read_text()


@pytest.mark.parametrize(
    ("variant", "expected", "absent"),
    [
        ("defaults", set(), {"psycopg", "mysqlclient", "djangorestframework", "celery", "redis"}),
        (
            "postgres-drf-redis-celery-gitlab-otel",
            {"psycopg", "djangorestframework", "drf-spectacular", "celery", "redis"},
            {"mysqlclient", "uvicorn-worker"},
        ),
        (
            "mysql-asgi-nodocker-noci-sentry",
            {"mysqlclient", "uvicorn-worker"},
            {"psycopg", "redis"},
        ),
        ("mysql-drf-redis-gitlab", {"mysqlclient", "redis"}, {"celery"}),
    ],
)
def test_dependencies_follow_the_answers(render, variant, expected, absent):
    names = dependency_names(render(variant))

    assert {"django", "dj-database-url", "gunicorn", "whitenoise", "argon2-cffi"} <= names
    assert expected <= names
    assert not absent & names


def test_the_default_project_depends_on_the_core_only(render):
    """Types, logs and the observability question add nothing at run time unless chosen."""
    assert dependency_names(render("defaults")) == {
        "django",
        "dj-database-url",
        "django-cors-headers",
        "python-dotenv",
        "whitenoise",
        "argon2-cffi",
        "gunicorn",
    }


def test_dev_tools_are_a_dependency_group_not_an_extra(render):
    config = pyproject(render("defaults"))
    dev = " ".join(config["dependency-groups"]["dev"])

    assert "optional-dependencies" not in config["project"]
    for tool in ("pytest-django", "pytest-cov", "factory-boy", "ruff", "mypy", "django-stubs"):
        assert tool in dev
    assert "djangorestframework-stubs" not in dev


def test_typed_options_bring_their_stubs_and_plugins(render):
    config = pyproject(render("postgres-drf-redis-celery-gitlab-otel"))
    dev = " ".join(config["dependency-groups"]["dev"])
    mypy = config["tool"]["mypy"]

    assert "djangorestframework-stubs" in dev and "celery-types" in dev
    assert mypy["strict"] is True
    assert mypy["files"] == ["demo", "config", "tests"]
    assert mypy["plugins"] == ["mypy_django_plugin.main", "mypy_drf_plugin.main"]
    assert config["tool"]["django-stubs"]["django_settings_module"] == "config.settings.test"
    assert pyproject(render("defaults"))["tool"]["mypy"]["plugins"] == ["mypy_django_plugin.main"]


@pytest.mark.parametrize(
    ("variant", "cache_url"),
    [("defaults", "locmem://"), ("mysql-drf-redis-gitlab", "redis://localhost:6379/1")],
)
def test_the_cache_comes_from_cache_url(render, variant, cache_url):
    project = render(variant)

    assert (
        f'env_cache("CACHE_URL", "{cache_url}")'
        in (project / "config/settings/base.py").read_text()
    )
    assert f"\nCACHE_URL={cache_url}\n" in (project / ".env.example").read_text()


def test_cache_and_broker_default_to_different_redis_databases(render):
    """cache.clear() empties a whole Redis database: the broker's tasks must not live there."""
    project = render("postgres-drf-redis-celery-gitlab-otel")

    assert (
        'env_str("REDIS_URL", "redis://localhost:6379/0")'
        in (project / "config/celery.py").read_text()
    )
    environment = yaml.safe_load((project / "docker-compose.yml").read_text())["x-app"][
        "environment"
    ]
    assert environment["CACHE_URL"] == "redis://redis:6379/1"
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert (project / "tests/test_redis.py").is_file()
    assert not (render("mysql-drf-redis-gitlab") / "tests/test_redis.py").exists()


@pytest.mark.parametrize(
    ("variant", "app", "worker"),
    [
        ("defaults", "config.wsgi:application", "gthread"),
        (
            "mysql-asgi-nodocker-noci-sentry",
            "config.asgi:application",
            "uvicorn_worker.UvicornWorker",
        ),
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
    project = render("mysql-asgi-nodocker-noci-sentry")

    for name in DOCKER_FILES:
        assert not (project / name).exists(), name
    assert not (project / ".github").exists()
    assert not (project / ".gitlab-ci.yml").exists()


def test_gitlab_ci_replaces_github_actions(render):
    project = render("postgres-drf-redis-celery-gitlab-otel")

    assert not (project / ".github").exists()
    ci = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
    assert ci["test"]["variables"]["DATABASE_URL"].startswith("postgresql://")
    assert {service["name"] for service in ci["test"]["services"]} == {"postgres:17", "redis:7"}
    assert ci["default"]["image"] == "python:3.12.12-slim-trixie"
    install = ci["default"]["before_script"]
    assert install.index("make check-lock") < install.index("uv sync --locked")


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
    runs = [step.get("run") for step in job["steps"]]
    assert "uv sync --locked" in runs and "make install" not in runs
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
        ("postgres-drf-redis-celery-gitlab-otel", "3.12", "3.12.12"),
        ("mysql-asgi-nodocker-noci-sentry", "3.13", None),
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
    base = (project / "config/settings/base.py").read_text()
    assert 'PACKAGE = "shop_front"' in base
    assert 'ROOT_URLCONF = f"{PACKAGE}.urls"' in base
    assert "from shop_front.items.models import Item" in (project / "tests/models.py").read_text()
    config = pyproject(project)
    assert config["project"]["name"] == "Shop-Front"
    assert config["project"]["authors"][0]["name"] == 'Ann "Q" Lee'
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["package_name"] == "shop_front"


# --- locked installs ---------------------------------------------------------------------


def test_makefile_installs_from_the_lock_and_bootstraps_uv(render):
    makefile = (render("defaults") / "Makefile").read_text()

    assert "UV ?= $(or $(shell command -v uv 2>/dev/null),.venv-tools/bin/uv)" in makefile
    assert "export UV_PROJECT_ENVIRONMENT := $(VENV)" in makefile
    install = makefile[makefile.index("\ninstall:") : makefile.index("\nlock:")]
    assert "@test -f uv.lock || $(UV) lock" in install
    assert "$(UV) sync --locked --python $(PYTHON)" in install
    assert "pip install -e" not in makefile
    assert "$(UV) lock --upgrade" in makefile
    assert "$(UV) lock --check" in makefile
    assert ".venv-tools/bin/python -m pip install --quiet uv" in makefile


def test_the_lock_is_committed_and_the_uv_bootstrap_is_not(render):
    project = render("defaults")

    for name in (".gitignore", ".dockerignore"):
        lines = (project / name).read_text().splitlines()
        assert ".venv-tools" in lines, name
        assert not [line for line in lines if "uv.lock" in line], name
    assert "Commit `uv.lock`" in (project / "README.md").read_text()


@pytest.mark.parametrize("variant", ["defaults", "mysql-drf-redis-gitlab"])
def test_dockerfile_installs_the_locked_dependencies_before_the_source(render, variant):
    dockerfile = (render(variant) / "Dockerfile").read_text()
    builder = dockerfile.split("\nFROM ", 2)[1]

    assert "UV_PROJECT_ENVIRONMENT=/opt/venv" in builder
    lock = builder.index("COPY pyproject.toml uv.lock ./")
    dependencies = builder.index("uv sync --locked --no-dev --no-install-project")
    source = builder.index("COPY demo ./demo")
    project = builder.index("uv sync --locked --no-dev --no-editable")
    assert lock < dependencies < source < project
    assert "pip install" not in dockerfile


def test_github_ci_checks_the_lock_before_installing(render):
    lint = yaml.safe_load((render("defaults") / ".github/workflows/ci.yml").read_text())["jobs"][
        "lint"
    ]
    runs = [step.get("run") for step in lint["steps"]]

    assert runs.index("make check-lock") < runs.index("uv sync --locked") < runs.index("make lint")


# --- logs, request ids, observability ---------------------------------------------------------


def test_the_app_writes_the_access_log_not_gunicorn(render):
    project = render("defaults")
    base = (project / "config/settings/base.py").read_text()

    assert "accesslog = None" in (project / "gunicorn.conf.py").read_text()
    health = base.index('f"{PACKAGE}.core.middleware.HealthCheckMiddleware"')
    request_log = base.index('f"{PACKAGE}.core.middleware.RequestLogMiddleware"')
    security = base.index('"django.middleware.security.SecurityMiddleware"')
    assert health < request_log < security
    assert 'LOG_FORMAT = env_choice("LOG_FORMAT", ("text", "json"), "text")' in base
    assert "[%(request_id)s]" in base


def test_compose_logs_json(render):
    environment = yaml.safe_load((render("defaults") / "docker-compose.yml").read_text())["x-app"][
        "environment"
    ]

    assert environment["LOG_FORMAT"] == "json"


def test_observability_question_comes_right_after_docker():
    questions = list(yaml.safe_load((TEMPLATE / "copier.yml").read_text()))

    assert questions[questions.index("docker") + 1] == "observability"


OBSERVABILITY_FILES = ("demo/core/observability.py", "demo/core/apps.py")
OBSERVABILITY_PACKAGES = {
    "opentelemetry-sdk",
    "opentelemetry-exporter-otlp-proto-http",
    "opentelemetry-instrumentation-django",
    "sentry-sdk",
}


def test_observability_none_renders_no_module_and_no_dependency(render):
    project = render("defaults")

    for name in (*OBSERVABILITY_FILES, "tests/test_observability.py"):
        assert not (project / name).exists(), name
    assert not OBSERVABILITY_PACKAGES & dependency_names(project)
    assert (
        'INSTALLED_APPS += [f"{PACKAGE}.core"]'
        not in (project / "config/settings/base.py").read_text()
    )
    env_example = (project / ".env.example").read_text()
    assert "OTEL_" not in env_example and "SENTRY_" not in env_example


@pytest.mark.parametrize(
    ("variant", "packages", "variable", "imports"),
    [
        (
            "postgres-drf-redis-celery-gitlab-otel",
            {
                "opentelemetry-sdk",
                "opentelemetry-exporter-otlp-proto-http",
                "opentelemetry-instrumentation-django",
            },
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "InMemorySpanExporter",
        ),
        ("mysql-asgi-nodocker-noci-sentry", {"sentry-sdk"}, "SENTRY_DSN", "capture_envelope"),
    ],
)
def test_an_observability_answer_renders_its_module_test_and_dependencies(
    render, variant, packages, variable, imports
):
    project = render(variant)

    for name in OBSERVABILITY_FILES:
        assert (project / name).is_file(), name
    assert imports in (project / "tests/test_observability.py").read_text()
    assert OBSERVABILITY_PACKAGES & dependency_names(project) == packages
    assert (
        'INSTALLED_APPS += [f"{PACKAGE}.core"]' in (project / "config/settings/base.py").read_text()
    )
    module = (project / "demo/core/observability.py").read_text()
    assert f'os.environ.get("{variable}")' in module
    assert f"# {variable}=" in (project / ".env.example").read_text()


# --- defects: HSTS, API docs ----------------------------------------------------------------


def test_hsts_starts_low_and_its_opt_ins_are_variables(render):
    project = render("defaults")
    production = (project / "config/settings/production.py").read_text()
    env_example = (project / ".env.example").read_text()

    assert 'SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 60)' in production
    assert (
        'SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)' in production
    )
    assert 'SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)' in production
    assert 'SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]' in production
    for line in ("HSTS_SECONDS=60", "HSTS_INCLUDE_SUBDOMAINS=false", "HSTS_PRELOAD=false"):
        assert f"\n{line}\n" in env_example, line
    for text in (env_example, (project / "README.md").read_text()):
        assert "604800" in text and "2592000" in text and "31536000" in text


def test_api_docs_are_gated_by_docs_enabled_in_production(render):
    project = render("postgres-drf-redis-celery-gitlab-otel")

    production = (project / "config/settings/production.py").read_text()
    assert 'DOCS_ENABLED = env_bool("DOCS_ENABLED", False)' in production
    assert "DOCS_ENABLED = True" in (project / "config/settings/drf.py").read_text()
    assert "\nDOCS_ENABLED=false\n" in (project / ".env.example").read_text()
    assert "DOCS_ENABLED" not in (render("defaults") / "config/settings/production.py").read_text()
    assert "DOCS_ENABLED" not in (render("defaults") / ".env.example").read_text()


@pytest.mark.parametrize(
    ("variant", "where"),
    [("defaults", "memory of each worker"), ("mysql-drf-redis-gitlab", "Redis, shared by every")],
)
def test_attempt_limits_are_configured_and_say_where_they_count(render, variant, where):
    project = render(variant)

    assert (
        'AUTH_RATE_LIMIT = env_rate("AUTH_RATE_LIMIT", "5/minute")'
        in (project / "config/settings/base.py").read_text()
    )
    assert "\nAUTH_RATE_LIMIT=5/minute\n" in (project / ".env.example").read_text()
    readme = " ".join((project / "README.md").read_text().split())
    assert "| `AUTH_RATE_LIMIT` |" in readme
    assert where in readme


def test_api_tokens_expire_only_with_drf(render):
    drf = render("mysql-drf-redis-gitlab")
    plain = render("defaults")

    settings = (drf / "config/settings/drf.py").read_text()
    assert '"demo.users.tokens.ExpiringTokenAuthentication"' in settings
    assert 'API_TOKEN_MAX_AGE = env_int("API_TOKEN_MAX_AGE", 86400)' in settings
    assert "\nAPI_TOKEN_MAX_AGE=86400\n" in (drf / ".env.example").read_text()
    for text in ((plain / ".env.example").read_text(), (plain / "README.md").read_text()):
        assert "API_TOKEN_MAX_AGE" not in text


# --- development services ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "services", "url"),
    [
        ("defaults", None, None),
        (
            "postgres-drf-redis-celery-gitlab-otel",
            {"db": "postgres:17", "redis": "redis:7"},
            "# DATABASE_URL=postgresql://app:app@127.0.0.1:5432/app   (make services)",
        ),
        (
            "mysql-asgi-nodocker-noci-sentry",
            {"db": "mariadb:11"},
            "# DATABASE_URL=mysql://root:app@127.0.0.1:3306/app   (make services)",
        ),
        ("sqlite-drf-celery-asgi-nodocker", {"redis": "redis:7"}, None),
    ],
)
def test_compose_dev_runs_only_the_servers_development_needs(render, variant, services, url):
    project = render(variant)
    makefile = (project / "Makefile").read_text()

    if services is None:
        assert not (project / "compose.dev.yml").exists()
        assert "services:" not in makefile
        return
    compose = yaml.safe_load((project / "compose.dev.yml").read_text())["services"]
    assert {name: service["image"] for name, service in compose.items()} == services
    for service in compose.values():
        assert all(port.startswith("127.0.0.1:") for port in service["ports"])
        assert "healthcheck" in service
    assert "docker compose -f compose.dev.yml up -d --wait" in makefile
    if url:
        assert url in (project / ".env.example").read_text()


@pytest.mark.parametrize(
    ("variant", "driver"),
    [("postgres-asgi-celery", "psycopg"), ("mysql-drf-redis-gitlab", "mysqlclient")],
)
def test_the_chosen_database_driver_is_a_runtime_dependency(render, variant, driver):
    assert driver in dependency_names(render(variant))


def test_a_sqlite_readme_does_not_promise_another_database(render):
    readme = (render("defaults") / "README.md").read_text()

    assert "DATABASE_URL=postgresql://" not in readme
    assert "DATABASE_URL=mysql://" not in readme
    assert "make services" not in readme


# --- WebSockets (Django Channels) -----------------------------------------------------------


def test_websockets_add_channels_the_consumer_its_routing_and_tests(render):
    project = render("websockets")

    for name in WEBSOCKETS_FILES:
        assert (project / name).is_file(), name
    asgi = (project / "config/asgi.py").read_text()
    stack = "AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))"
    assert stack in "".join(line.strip() for line in asgi.splitlines())
    assert "from demo.routing import websocket_urlpatterns" in asgi
    assert (
        'path("ws/items/", ItemEventsConsumer.as_asgi())'
        in (project / "demo/routing.py").read_text()
    )
    assert {"channels", "channels-redis", "websockets", "uvicorn-worker"} <= dependency_names(
        project
    )
    dev = " ".join(pyproject(project)["dependency-groups"]["dev"])
    assert "types-channels" in dev and "daphne" in dev
    for settings in ("development", "production"):
        text = (project / f"config/settings/{settings}.py").read_text()
        assert "from .channels import CHANNEL_LAYERS, WS_MAX_MESSAGE_BYTES" in text, settings
    assert (
        'CHANNEL_LAYERS = channel_layers("")' in (project / "config/settings/test.py").read_text()
    )


def test_websockets_imply_the_asgi_server(render):
    project = render("websockets")

    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["asgi"] is True
    conf = (project / "gunicorn.conf.py").read_text()
    assert 'wsgi_app = "config.asgi:application"' in conf
    assert 'if not os.environ.get("REDIS_URL"):\n    from gunicorn.arbiter import Arbiter' in conf
    assert '"ws_max_size": int(env("WS_MAX_MESSAGE_BYTES", 4096))' in conf
    assert conf.rindex("worker_class = WebSocketWorker") > conf.index("worker_class = ")
    assert "$(BIN)/uvicorn config.asgi:application --reload" in (project / "Makefile").read_text()


def test_websockets_refuse_a_wsgi_server(copie):
    result = copie.copy(
        extra_answers={"project_name": "demo", "websockets": True, "asgi": False},
        template_dir=TEMPLATE,
    )

    assert result.exit_code != 0
    assert "Validation error for question 'asgi'" in str(result.exception)


@pytest.mark.parametrize("variant", ["defaults", "mysql-asgi-nodocker-noci-sentry"])
def test_without_websockets_nothing_of_channels_is_left(render, variant):
    project = render(variant)

    for name in WEBSOCKETS_FILES:
        assert not (project / name).exists(), name
    assert not {"channels", "channels-redis", "websockets"} & dependency_names(project)
    assert "channels" not in (project / "pyproject.toml").read_text()
    assert "channels" not in (project / "config/asgi.py").read_text()
    for path in [*project.glob("config/settings/*.py"), project / ".env.example"]:
        text = path.read_text()
        assert "CHANNEL_LAYERS" not in text and "WS_MAX_MESSAGE_BYTES" not in text, path
    readme = (project / "README.md").read_text()
    assert "WebSocket" not in readme and "REDIS_URL" not in readme
    assert "$(MANAGE) runserver 127.0.0.1:8000" in (project / "Makefile").read_text()
    assert "REDIS_URL" not in (project / "gunicorn.conf.py").read_text()


def test_websockets_bring_redis_to_compose_ci_and_the_environment(render):
    project = render("websockets")

    compose = yaml.safe_load((project / "docker-compose.yml").read_text())
    assert compose["x-app"]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert compose["services"]["redis"]["image"] == "redis:7"
    assert compose["services"]["app"]["depends_on"]["redis"] == {"condition": "service_healthy"}
    development = yaml.safe_load((project / "compose.dev.yml").read_text())["services"]
    assert development["redis"]["ports"] == ["127.0.0.1:6379:6379"]
    job = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())["jobs"]["test"]
    assert job["services"]["redis"]["image"] == "redis:7"
    assert job["env"]["REDIS_URL"].startswith("redis://")
    env_example = (project / ".env.example").read_text()
    # Unset in development: the in-memory layer, no server needed.
    assert "\n# REDIS_URL=redis://localhost:6379/0   (make services)\n" in env_example
    assert "\nWS_MAX_MESSAGE_BYTES=4096\n" in env_example
    readme = (project / "README.md").read_text()
    assert "| `REDIS_URL` |" in readme and "| `WS_MAX_MESSAGE_BYTES` |" in readme
    assert "**one process only**" in readme


def test_websockets_with_celery_share_its_redis_url(render):
    project = render("postgres-drf-celery-websockets-gitlab")

    env_example = (project / ".env.example").read_text()
    assert env_example.count("REDIS_URL=redis://localhost:6379/0") == 1
    assert "# REDIS_URL=" not in env_example
    ci = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
    assert {service["name"] for service in ci["test"]["services"]} == {"postgres:17", "redis:7"}
    assert ci["test"]["variables"]["REDIS_URL"] == "redis://redis:6379/0"
    assert "the API" in (project / "README.md").read_text()


def test_websockets_question_comes_before_asgi_which_follows_it():
    questions = yaml.safe_load((TEMPLATE / "copier.yml").read_text())
    names = list(questions)

    assert names.index("websockets") + 1 == names.index("asgi")
    assert questions["asgi"]["default"] == "{{ websockets }}"


# --- Jinja stays out of Python -----------------------------------------------------------------


def test_no_python_template_holds_more_than_eight_jinja_tags():
    counts = {
        str(path.relative_to(TEMPLATE)): len(re.findall(r"\{\{|\{%|\{#", path.read_text()))
        for path in (TEMPLATE / "template").rglob("*.py.jinja")
    }

    assert counts
    assert {name: count for name, count in counts.items() if count > 8} == {}


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
