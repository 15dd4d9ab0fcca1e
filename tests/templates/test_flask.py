"""Fast checks of the Flask template: what each answer renders, and that every variant lints.

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

from .support import ACCOUNT_SETTINGS, HADOLINT, RUFF, TEMPLATES, dependency_names, pyproject

TEMPLATE = TEMPLATES / "flask"

WEB_FILES = (
    "demo/templates/base.html",
    "demo/templates/auth/login.html",
    "demo/templates/items/index.html",
    "demo/static/style.css",
)
API_FILES = ("demo/payloads.py",)
CELERY_FILES = ("demo/tasks.py", "demo/worker.py", "tests/test_tasks.py")
ADMIN_FILES = ("demo/admin.py", "tests/test_admin.py")
DOCKER_FILES = ("Dockerfile", ".dockerignore", "docker-compose.yml")

# Every value of every choice/bool question appears, and every flavour meets every other value.
VARIANTS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "api-postgres-celery-gitlab-312": {
        "flavour": "api",
        "database": "postgresql",
        "background_jobs": "celery",
        "ci": "gitlab",
        "python_version": "3.12",
        "observability": "sentry",
    },
    "web-admin-nodocker-noci-313": {
        "admin": "flask-admin",
        "docker": False,
        "ci": "none",
        "python_version": "3.13",
    },
    "web-admin-postgres-celery": {
        "admin": "flask-admin",
        "database": "postgresql",
        "background_jobs": "celery",
        "observability": "opentelemetry",
    },
    "api-sqlite-nodocker-313": {"flavour": "api", "docker": False, "python_version": "3.13"},
    "api-noci": {"flavour": "api", "ci": "none"},
    "web-celery-gitlab": {"background_jobs": "celery", "ci": "gitlab"},
}


@pytest.fixture(scope="module")
def render(render_variant):
    """Render a named variant of this module's VARIANTS (once per session)."""
    return lambda variant: render_variant("flask", VARIANTS[variant])


def files(project: Path) -> set[str]:
    return {str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()}


def compose_services(project: Path) -> dict[str, Any]:
    return yaml.safe_load((project / "docker-compose.yml").read_text())["services"]


# --- what the answers render ---------------------------------------------------------------


def test_defaults_render_the_web_flavour_on_sqlite(render):
    project = render("defaults")
    present = files(project)

    for name in (
        "demo/__init__.py",
        "demo/config.py",
        "demo/extensions.py",
        "demo/models.py",
        "demo/health.py",
        "demo/auth.py",
        "demo/items.py",
        "demo/errors.py",
        "demo/security.py",
        "migrations/env.py",
        "migrations/alembic.ini",
        "migrations/script.py.mako",
        "migrations/versions/0001_initial_schema.py",
        "tests/__init__.py",
        "tests/conftest.py",
        "tests/helpers.py",
        "tests/test_auth.py",
        "tests/test_items.py",
        "tests/test_migrations.py",
        "gunicorn.conf.py",
        ".github/workflows/ci.yml",
        *WEB_FILES,
        *DOCKER_FILES,
    ):
        assert name in present, name
    for name in (*API_FILES, *CELERY_FILES, *ADMIN_FILES, ".gitlab-ci.yml"):
        assert name not in present, name
    assert "class LoginForm(FlaskForm)" in (project / "demo/auth.py").read_text()


def test_api_flavour_has_token_auth_and_no_pages(render):
    project = render("api-postgres-celery-gitlab-312")
    present = files(project)

    assert "demo/payloads.py" in present
    assert not [name for name in present if "/templates/" in name or "/static/" in name]
    auth = (project / "demo/auth.py").read_text()
    assert "URLSafeTimedSerializer" in auth
    assert "flask_login" not in auth
    assert "csrf" not in (project / "demo/__init__.py").read_text()
    assert '"detail"' in (project / "demo/errors.py").read_text()
    assert "TOKEN_MAX_AGE=" in (project / ".env.example").read_text()


def test_web_flavour_wires_login_and_csrf(render):
    init = (render("defaults") / "demo/__init__.py").read_text()
    auth = (render("defaults") / "demo/auth.py").read_text()

    assert "auth.init_app(app)" in init
    assert "login_manager.init_app(app)" in auth
    assert "csrf.init_app(app)" in auth
    assert "TOKEN_MAX_AGE" not in (render("defaults") / ".env.example").read_text()


def test_celery_adds_its_app_task_worker_and_services(render):
    project = render("api-postgres-celery-gitlab-312")

    for name in CELERY_FILES:
        assert (project / name).is_file(), name
    assert "tasks.init_app(app)" in (project / "demo/__init__.py").read_text()
    assert "\nworker:" in (project / "Makefile").read_text()
    assert "REDIS_URL=" in (project / ".env.example").read_text()
    services = compose_services(project)
    assert {"app", "migrate", "db", "redis", "worker"} == set(services)
    assert services["worker"]["command"][:3] == ["celery", "-A", "demo.worker"]


def test_without_celery_nothing_of_it_is_left(render):
    project = render("defaults")

    assert "worker" not in (project / "Makefile").read_text()
    assert "celery" not in (project / "demo/__init__.py").read_text().lower()
    assert "CELERY" not in (project / "demo/config.py").read_text()
    assert "REDIS_URL" not in (project / ".env.example").read_text()
    assert set(compose_services(project)) == {"app", "migrate"}


def test_admin_adds_the_view_the_flag_and_its_migration_column(render):
    project = render("web-admin-postgres-celery")

    for name in ADMIN_FILES:
        assert (project / name).is_file(), name
    assert "admin.init_app(app)" in (project / "demo/auth.py").read_text()
    assert "is_admin: Mapped[bool]" in (project / "demo/models.py").read_text()
    migration = (project / "migrations/versions/0001_initial_schema.py").read_text()
    assert '"is_admin"' in migration


def test_without_admin_there_is_no_flag(render):
    project = render("defaults")

    assert "is_admin" not in (project / "demo/models.py").read_text()
    assert "is_admin" not in (project / "migrations/versions/0001_initial_schema.py").read_text()
    assert "admin" not in (project / "demo/auth.py").read_text()


@pytest.mark.parametrize(
    ("variant", "expected", "absent"),
    [
        ("defaults", {"flask-login", "flask-wtf"}, {"psycopg", "celery", "flask-admin"}),
        (
            "api-postgres-celery-gitlab-312",
            {"psycopg", "celery"},
            {"flask-login", "flask-wtf", "flask-admin"},
        ),
        ("web-admin-nodocker-noci-313", {"flask-admin", "flask-login"}, {"psycopg", "celery"}),
    ],
)
def test_dependencies_follow_the_answers(render, variant, expected, absent):
    names = dependency_names(render(variant))

    assert {"flask", "flask-sqlalchemy", "flask-migrate", "argon2-cffi", "gunicorn"} <= names
    assert expected <= names
    assert not absent & names


def test_postgresql_uses_psycopg_binary_and_compose_and_ci_run_postgres(render):
    project = render("web-admin-postgres-celery")

    dependencies = pyproject(project)["project"]["dependencies"]
    assert any(d.startswith("psycopg[binary]") for d in dependencies)
    assert compose_services(project)["db"]["image"] == "postgres:17"
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())
    assert workflow["jobs"]["test"]["services"]["postgres"]["image"] == "postgres:17"
    assert "postgresql://" in workflow["jobs"]["test"]["env"]["DATABASE_URL"]


def test_sqlite_compose_keeps_the_database_on_a_volume(render):
    project = render("defaults")

    assert "DATABASE_URL=sqlite:////app/data/db.sqlite3" in (project / "Dockerfile").read_text()
    assert compose_services(project)["app"]["volumes"] == ["data:/app/data"]


def test_dockerfile_installs_the_locked_dependencies_before_the_source(render):
    """The dependency layer is cached across code changes; only uv.lock's pins reach the image."""
    text = (render("defaults") / "Dockerfile").read_text()
    builder = text[: text.index("\nFROM ", text.index("AS builder"))]

    steps = [
        "COPY pyproject.toml uv.lock ./",
        "uv sync --locked --no-dev --no-install-project",
        "COPY demo ./demo",
        "uv sync --locked --no-dev --no-editable",
    ]
    positions = [builder.find(step) for step in steps]
    assert -1 not in positions, dict(zip(steps, positions, strict=True))
    assert positions == sorted(positions)
    assert "UV_PROJECT_ENVIRONMENT=/opt/venv" in builder
    assert "pip install" not in text


@pytest.mark.parametrize("variant", ["defaults", "api-postgres-celery-gitlab-312"])
def test_installs_come_from_a_committed_lock(render, variant):
    project = render(variant)
    config = pyproject(project)

    assert "optional-dependencies" not in config["project"]
    assert {"pytest", "ruff"} <= {
        dependency.split(">")[0].split("=")[0] for dependency in config["dependency-groups"]["dev"]
    }
    makefile = (project / "Makefile").read_text()
    assert "\t$(UV) sync --locked --python $(PYTHON)\n" in makefile
    assert "check-lock: $(UV)" in makefile
    # uv lock needs an interpreter requires-python accepts: PYTHON's, never a download.
    assert "\nexport UV_PYTHON := $(PYTHON)\n" in makefile
    assert "\t$(UV) lock --check\n" in makefile
    for ignore in (".gitignore", ".dockerignore"):
        if (project / ignore).exists():
            lines = (project / ignore).read_text().splitlines()
            assert ".venv-tools" in lines, ignore
            assert not [line for line in lines if "lock" in line], ignore
    assert "uv.lock" in (project / "README.md").read_text()


def test_ci_checks_the_lock_and_installs_from_it(render):
    steps = yaml.safe_load((render("defaults") / ".github/workflows/ci.yml").read_text())["jobs"][
        "test"
    ]["steps"]
    commands = [step["run"] for step in steps if "run" in step]
    assert commands[:2] == ["make check-lock", "uv sync --locked --python python3.11"]
    gitlab = yaml.safe_load((render("web-celery-gitlab") / ".gitlab-ci.yml").read_text())
    assert gitlab["test"]["script"][:2] == ["make check-lock", "uv sync --locked"]


@pytest.mark.parametrize(
    ("variant", "version", "image"),
    [
        ("defaults", "3.11", "3.11.14"),
        ("api-postgres-celery-gitlab-312", "3.12", "3.12.12"),
        ("web-admin-nodocker-noci-313", "3.13", None),
    ],
)
def test_python_version_sets_requires_python_ruff_docker_and_ci(render, variant, version, image):
    project = render(variant)
    config = pyproject(project)

    assert config["project"]["requires-python"] == f">={version}"
    assert config["tool"]["ruff"]["target-version"] == "py" + version.replace(".", "")
    if image:
        assert f"FROM python:{image}-slim-trixie AS builder" in (project / "Dockerfile").read_text()


def test_ci_files_follow_the_answer(render):
    project = render("api-postgres-celery-gitlab-312")
    assert ".gitlab-ci.yml" in files(project)
    assert not [f for f in files(project) if f.startswith(".github")]
    gitlab = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
    assert gitlab["test"]["services"][0]["name"] == "postgres:17"
    assert "make check-migrations" in gitlab["test"]["script"]
    none = files(render("web-admin-nodocker-noci-313"))
    assert not [f for f in none if f.startswith(".github") or "gitlab" in f]


def test_docker_false_leaves_no_docker_files(render):
    assert not set(DOCKER_FILES) & files(render("web-admin-nodocker-noci-313"))


def test_gunicorn_runs_the_factory_with_gthread_workers(render):
    text = (render("defaults") / "gunicorn.conf.py").read_text()

    assert 'wsgi_app = "demo:create_app()"' in text
    assert 'worker_class = "gthread"' in text
    assert 'threads = int(env("GUNICORN_THREADS", 1))' in text  # measured: most per core
    for variable in ("HOST", "PORT", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS", "TIMEOUT"):
        assert f'"{variable}"' in text or f"'{variable}'" in text, variable


@pytest.mark.parametrize("variant", ["defaults", "api-noci"])
def test_both_flavours_throttle_mail_and_revoke_sessions(render, variant):
    project = render(variant)
    present = files(project)
    assert {"demo/throttle.py", "demo/mail.py", "tests/test_account_security.py"} <= present
    assert "migrations/versions/0002_session_version.py" in present
    assert "session_version" in (project / "demo/models.py").read_text()
    config = (project / "demo/config.py").read_text()
    env_example = (project / ".env.example").read_text()
    readme = (project / "README.md").read_text()
    for name in ACCOUNT_SETTINGS:
        assert f'"{name}"' in config, name
        assert re.search(rf"^{name}=", env_example, re.MULTILINE), name
        assert f"`{name}`" in readme, name


def test_the_redis_counters_come_only_with_celerys_redis(render):
    with_celery = (render("api-postgres-celery-gitlab-312") / "demo/config.py").read_text()
    assert '"REDIS_URL": environ.get("REDIS_URL", "")' in with_celery
    assert "REDIS_URL" not in (render("api-noci") / "demo/config.py").read_text()


def test_web_password_pages_extend_the_layout_and_use_the_form_macro(render):
    pages = render("defaults") / "demo/templates/auth"
    for name in ("password_reset_request.html", "password_reset.html", "password_change.html"):
        text = (pages / name).read_text()
        assert text.startswith('{% extends "base.html" %}'), name
        assert '{% from "_form.html" import field %}' in text, name
        assert "form.hidden_tag()" in text, name
    assert "auth.request_password_reset" in (pages / "login.html").read_text()


def test_liveness_is_answered_by_a_wsgi_middleware_around_the_whole_app(render):
    project = render("defaults")
    health = (project / "demo/health.py").read_text()
    init = (project / "demo/__init__.py").read_text()

    assert "class LivenessMiddleware:" in health
    assert '@bp.get("/health")' not in health
    assert '@bp.get("/ready")' in health
    # Installed last, so it wraps TrustedProxyFix and Flask: nothing else runs for /health.
    logged = "app.wsgi_app = logs.RequestLogMiddleware(app.wsgi_app, app.name)"
    install = "app.wsgi_app = health.LivenessMiddleware(app.wsgi_app)"
    assert init.index("security.init_app(app)") < init.index(logged)
    # The request log wraps everything but liveness: /health is neither logged nor given an id.
    last = [line.split("  # type:")[0].strip() for line in init.rstrip().splitlines()[-3:]]
    assert last == [logged, install, "return app"]
    security = (project / "demo/security.py").read_text()
    assert 'EXEMPT_ENDPOINTS = frozenset({"health.ready"})' in security


def test_the_app_writes_the_access_log_not_gunicorn(render):
    project = render("defaults")
    settings = (project / "gunicorn.conf.py").read_text()
    logs = (project / "demo/logs.py").read_text()

    assert "\naccesslog = None\n" in settings
    assert "class RequestLogMiddleware:" in logs
    assert '"X-Request-ID"' in logs
    assert "{{" not in logs and "{%" not in logs
    assert "LOG_FORMAT=text" in (project / ".env.example").read_text().splitlines()
    assert compose_services(project)["app"]["environment"]["LOG_FORMAT"] == "json"
    assert (project / "tests/test_logs.py").is_file()


@pytest.mark.parametrize("variant", VARIANTS)
def test_tests_share_helpers_through_a_module_not_conftest(render, variant):
    tests = render(variant) / "tests"

    assert (tests / "__init__.py").is_file()
    helpers = (tests / "helpers.py").read_text()
    assert "def make_config(" in helpers
    assert "MIGRATIONS = " in helpers
    conftest = (tests / "conftest.py").read_text()
    assert "def make_config(" not in conftest
    assert "from .helpers import " in conftest
    for path in tests.glob("*.py"):
        text = path.read_text()
        assert "from conftest import" not in text, path.name
        assert "import conftest" not in text, path.name


def test_gunicorn_checks_the_configuration_once_before_any_worker_starts(render):
    text = (render("defaults") / "gunicorn.conf.py").read_text()

    assert "from demo.config import ConfigError, load_config" in text
    check = text.index("load_config(os.environ)")
    assert text.index("load_dotenv()") < check < text.index("wsgi_app = ")
    assert 'sys.exit(f"Configuration error: {error}")' in text


@pytest.mark.parametrize(
    ("variant", "untyped"),
    [
        ("defaults", ["flask_login.*", "flask_wtf.*"]),
        (
            "web-admin-postgres-celery",
            ["celery.*", "flask_admin.*", "flask_login.*", "flask_wtf.*"],
        ),
        ("api-postgres-celery-gitlab-312", ["celery.*"]),
        ("api-noci", None),
    ],
)
def test_mypy_is_strict_and_relaxed_only_for_untyped_libraries(render, variant, untyped):
    project = render(variant)
    mypy = pyproject(project)["tool"]["mypy"]

    assert mypy["strict"] is True
    assert mypy["files"] == ["demo", "tests"]
    assert "\t$(BIN)/mypy\n" in (project / "Makefile").read_text()
    overrides = mypy.get("overrides", [])
    if untyped is None:
        assert overrides == []
        return
    missing, built_on = overrides
    assert missing == {"module": untyped, "ignore_missing_imports": True}
    assert set(built_on) == {"module", "disallow_subclassing_any", "disallow_untyped_decorators"}
    for module in built_on["module"]:
        assert (project / (module.replace(".", "/") + ".py")).is_file(), module


def test_make_test_measures_coverage(render):
    config = pyproject(render("defaults"))

    assert "--cov" in config["tool"]["pytest"]["ini_options"]["addopts"].split()
    assert config["tool"]["coverage"]["report"]["fail_under"] == 90


def test_makefile_honours_python_and_venv(render):
    makefile = (render("defaults") / "Makefile").read_text()

    assert "VENV ?= .venv" in makefile
    assert "PYTHON ?= python3" in makefile
    assert "--python $(PYTHON)" in makefile
    assert "check-migrations: migrate" in makefile


def test_package_name_is_derived_from_the_project_name(copie):
    result = copie.copy(extra_answers={"project_name": "My-Service"}, template_dir=TEMPLATE)

    assert result.exit_code == 0, result.exception
    assert (result.project_dir / "my_service" / "__init__.py").is_file()
    assert (
        'wsgi_app = "my_service:create_app()"'
        in (result.project_dir / "gunicorn.conf.py").read_text()
    )


def test_python_templates_keep_jinja_to_a_few_tags():
    """Options are whole files and small modules, so each Python template reads like Python."""
    checked = 0
    for path in (TEMPLATE / "template").rglob("*.jinja"):
        if not re.sub(r"\{%.*?%\}", "", path.name).removesuffix(".jinja").endswith(".py"):
            continue
        text = path.read_text()
        tags = sum(text.count(opening) for opening in ("{{", "{%", "{#"))
        assert tags <= 8, f"{path.relative_to(TEMPLATE)}: {tags} Jinja tags"
        checked += 1
    assert checked >= 10


OTEL_PACKAGES = {
    "opentelemetry-sdk",
    "opentelemetry-exporter-otlp-proto-http",
    "opentelemetry-instrumentation-flask",
    "opentelemetry-instrumentation-sqlalchemy",
}


def test_observability_question_follows_docker_as_the_conventions_write_it():
    questions = list(yaml.safe_load((TEMPLATE / "copier.yml").read_text()))
    assert questions[questions.index("docker") + 1] == "observability"
    question = yaml.safe_load((TEMPLATE / "copier.yml").read_text())["observability"]
    assert question == {
        "type": "str",
        "help": "Traces and error reports, switched on by the environment "
        "(OTEL_EXPORTER_OTLP_ENDPOINT, SENTRY_DSN)",
        "choices": {
            "None": "none",
            "OpenTelemetry traces over OTLP": "opentelemetry",
            "Sentry errors and traces": "sentry",
        },
        "default": "none",
    }


@pytest.mark.parametrize("variant", ["defaults", "api-noci"])
def test_no_observability_leaves_no_trace_of_it(render, variant):
    project = render(variant)

    assert not (project / "demo/observability.py").exists()
    assert not (project / "tests/test_observability.py").exists()
    assert not {
        name for name in dependency_names(project) if "opentelemetry" in name or "sentry" in name
    }
    for name in ("demo/__init__.py", "demo/config.py", ".env.example", "docker-compose.yml"):
        text = (project / name).read_text() if (project / name).exists() else ""
        assert "observability" not in text and "OTEL_" not in text and "SENTRY_" not in text, name


def test_opentelemetry_traces_requests_and_queries_when_an_endpoint_is_set(render):
    project = render("web-admin-postgres-celery")
    module = (project / "demo/observability.py").read_text()

    assert dependency_names(project) >= OTEL_PACKAGES
    assert "sentry-sdk" not in dependency_names(project)
    assert "FlaskInstrumentor.instrument_app(app" in module
    assert "SQLAlchemyInstrumentor().instrument(engine=db.engine" in module
    # Nothing of OpenTelemetry is imported at module level: an app without an endpoint loads none.
    top_level = [line for line in module.splitlines() if line.startswith(("import ", "from "))]
    assert not [line for line in top_level if "opentelemetry" in line]
    config = (project / "demo/config.py").read_text()
    assert '"OTEL_SERVICE_NAME": get("OTEL_SERVICE_NAME", "demo")' in config
    assert "# OTEL_EXPORTER_OTLP_ENDPOINT=http://" in (project / ".env.example").read_text()
    assert "InMemorySpanExporter" in (project / "tests/test_observability.py").read_text()
    init = (project / "demo/__init__.py").read_text()
    assert init.index("observability.init_app(app)") < init.index("security.init_app(app)")


def test_sentry_reports_errors_when_a_dsn_is_set(render):
    project = render("api-postgres-celery-gitlab-312")
    module = (project / "demo/observability.py").read_text()

    requirements = pyproject(project)["project"]["dependencies"]
    assert [r for r in requirements if r.startswith("sentry-sdk[flask]")]
    assert not OTEL_PACKAGES & dependency_names(project)
    assert "include_local_variables=False" in module
    assert "before_send=tag_request_id" in module
    assert 'environment=config["APP_ENV"]' in module
    top_level = [line for line in module.splitlines() if line.startswith(("import ", "from "))]
    assert not [line for line in top_level if "sentry" in line]
    env = (project / ".env.example").read_text()
    assert "# SENTRY_DSN=https://" in env
    assert "SENTRY_TRACES_SAMPLE_RATE=0" in env.splitlines()
    assert "class KeptEnvelopes(Transport)" in (project / "tests/test_observability.py").read_text()


@pytest.mark.parametrize(
    ("variant", "servers"),
    [
        ("defaults", None),
        ("api-sqlite-nodocker-313", None),
        ("web-celery-gitlab", {"redis": "127.0.0.1:6379:6379"}),
        (
            "web-admin-postgres-celery",
            {"db": "127.0.0.1:5432:5432", "redis": "127.0.0.1:6379:6379"},
        ),
    ],
)
def test_development_servers_come_from_compose_dev(render, variant, servers):
    project = render(variant)
    makefile = (project / "Makefile").read_text()
    env = (project / ".env.example").read_text()

    if servers is None:
        assert not (project / "compose.dev.yml").exists()
        assert "services:" not in makefile
        assert "make services" not in env
        return
    compose = yaml.safe_load((project / "compose.dev.yml").read_text())
    assert compose["name"] == "demo-dev", "not the project name docker-compose.yml uses"
    assert {name: service["ports"] for name, service in compose["services"].items()} == {
        name: [port] for name, port in servers.items()
    }
    assert all("healthcheck" in service for service in compose["services"].values())
    images = {name: service.get("image") for name, service in compose_services(project).items()}
    for name, service in compose["services"].items():
        assert service["image"] == images[name]
    assert "\tdocker compose -f compose.dev.yml up -d --wait\n" in makefile
    assert "\nservices: ##" in makefile
    if "db" in servers:
        assert "# DATABASE_URL=postgresql://app:app@127.0.0.1:5432/app   (make services)" in env


def test_a_sqlite_project_does_not_promise_postgresql_tests(render):
    readme = (render("defaults") / "README.md").read_text()
    assert "DATABASE_URL=postgresql" not in readme
    assert "psycopg" not in dependency_names(render("defaults"))
    postgres = render("web-admin-postgres-celery")
    assert (
        "DATABASE_URL=postgresql://app:app@127.0.0.1:5432/app make test"
        in (postgres / "README.md").read_text()
    )
    assert "psycopg" in dependency_names(postgres)


# --- validators --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        {"project_name": "9lives"},
        {"project_name": "has space"},
        {"project_name": "demo", "package_name": "Demo"},
        {"project_name": "demo", "package_name": "my-app"},
        {"project_name": "demo", "package_name": "class"},
        {"project_name": "demo", "package_name": "json"},
        {"project_name": "demo", "package_name": "flask"},
        {"project_name": "demo", "package_name": "tests"},
        {"project_name": "demo", "author_email": "not-an-email"},
    ],
)
def test_validators_refuse_bad_answers(copie, answers):
    result = copie.copy(extra_answers=answers, template_dir=TEMPLATE)

    assert result.exit_code != 0
    assert "Validation error" in str(result.exception)


def test_admin_is_not_offered_with_the_api_flavour(copie):
    answers = {"project_name": "demo", "flavour": "api", "admin": "flask-admin"}
    result = copie.copy(extra_answers=answers, template_dir=TEMPLATE)

    assert result.exit_code == 0, result.exception
    assert "admin" not in result.answers
    assert not set(ADMIN_FILES) & files(result.project_dir)
    assert "flask-admin" not in dependency_names(result.project_dir)


# --- every variant lints -----------------------------------------------------------------------


@pytest.mark.skipif(RUFF is None, reason="ruff missing")
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_passes_ruff(render, variant):
    project = render(variant)
    for args in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        run = subprocess.run([RUFF, *args], cwd=project, capture_output=True, text=True)
        assert run.returncode == 0, f"{variant}: ruff {args[0]}\n{run.stdout}{run.stderr}"


@pytest.mark.skipif(HADOLINT is None, reason="hadolint missing")
@pytest.mark.parametrize("variant", [v for v, a in VARIANTS.items() if a.get("docker", True)])
def test_every_dockerfile_passes_hadolint(render, variant):
    run = subprocess.run(
        [HADOLINT, "Dockerfile"], cwd=render(variant), capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_template_syntax_outside_the_jinja_pages(render, variant):
    project = render(variant)
    for name in files(project):
        if name.endswith(".html") or name.startswith(".github/"):
            continue
        text = (project / name).read_text(errors="replace")
        assert "{{" not in text and "{%" not in text and "{#" not in text, f"{variant}: {name}"
