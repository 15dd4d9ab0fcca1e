"""Fast checks of the FastAPI template: what each answer renders, and that every variant lints.

Nothing here installs or runs the generated project (pyframe's slow smoke tests do); each test
renders with Copier through pytest-copie and inspects the files.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from .support import ACCOUNT_SETTINGS, HADOLINT, RUFF, TEMPLATES, dependency_names, pyproject

TEMPLATE = TEMPLATES / "fastapi"

JWT_FILES = (
    "demo/security.py",
    "demo/throttle.py",
    "demo/mail.py",
    "demo/routes/login.py",
    "demo/routes/users.py",
    "migrations/versions/0002_accounts.py",
    "tests/test_users.py",
    "tests/test_ownership.py",
    "tests/test_login.py",
    "tests/test_throttle.py",
    "tests/test_mail.py",
)
CELERY_FILES = ("demo/celery_app.py", "demo/worker.py", "demo/tasks.py", "tests/test_tasks.py")
WEBSOCKET_FILES = (
    "demo/broadcaster.py",
    "demo/routes/ws.py",
    "tests/test_ws.py",
    "tests/test_broadcaster.py",
)
OBSERVABILITY_FILES = ("demo/observability.py", "tests/test_observability.py")
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
        "observability": "opentelemetry",
    },
    "313-noci-pg-nodocker-ws-uvicorn": {
        "python_version": "3.13",
        "ci": "none",
        "database": "postgresql",
        "docker": False,
        "websockets": True,
        "server": "uvicorn",
        "observability": "sentry",
    },
    "313-gitlab-celery-open-uvicorn": {
        "python_version": "3.13",
        "ci": "gitlab",
        "background_jobs": "celery",
        "auth": "none",
        "server": "uvicorn",
        "observability": "sentry",
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
        "observability": "opentelemetry",
    },
    "gitlab-pg-sentry": {"ci": "gitlab", "database": "postgresql", "observability": "sentry"},
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
        "observability": "none",
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
        ("demo/throttle_redis.py", "tests/test_throttle_redis.py"): answers["auth"] == "jwt"
        and (answers["background_jobs"] == "celery" or answers["websockets"]),
        CELERY_FILES: answers["background_jobs"] == "celery",
        WEBSOCKET_FILES: answers["websockets"],
        OBSERVABILITY_FILES: answers["observability"] != "none",
        ("compose.dev.yml",): answers["database"] == "postgresql"
        or answers["background_jobs"] == "celery",
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
    assert ("redis" in deps) is answers["websockets"]
    assert ("pyjwt" in deps) is (answers["auth"] == "jwt")
    assert ("pwdlib" in deps) is (answers["auth"] == "jwt")
    assert ("gunicorn" in deps) is (answers["server"] == "gunicorn")
    assert ("uvicorn-worker" in deps) is (answers["server"] == "gunicorn")
    otel = {d for d in deps if d.startswith("opentelemetry")}
    assert bool(otel) is (answers["observability"] == "opentelemetry")
    assert ("sentry-sdk" in deps) is (answers["observability"] == "sentry")


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
    routes = (project / "demo/routes/__init__.py").read_text()
    assert ("ws.router" in routes) is answers["websockets"]
    assert ("users.router" in routes) is (answers["auth"] == "jwt")
    main = (project / "demo/main.py").read_text()
    assert ("setup_tracing(app" in main) is (answers["observability"] == "opentelemetry")
    assert ("setup_sentry(settings" in main) is (answers["observability"] == "sentry")
    config = (project / "demo/config.py").read_text()
    otel = answers["observability"] == "opentelemetry"
    assert ("otel_exporter_otlp_endpoint" in config) is otel
    assert ("sentry_dsn" in config) is (answers["observability"] == "sentry")
    redis = answers["background_jobs"] == "celery" or answers["websockets"]
    assert ("redis_url" in config) is redis
    items = (project / "demo/routes/items.py").read_text()
    assert ("CurrentUser" in items) is (answers["auth"] == "jwt")
    migration = (project / "migrations/versions/0001_initial.py").read_text()
    assert ('"users"' in migration) is (answers["auth"] == "jwt")
    makefile = (project / "Makefile").read_text()
    assert ("\nworker:" in makefile) is (answers["background_jobs"] == "celery")
    env = (project / ".env.example").read_text()
    assert ("REDIS_URL=" in env) is redis
    assert ("WS_MAX_MESSAGE_BYTES=" in env) is answers["websockets"]
    assert ("ACCESS_TOKEN_EXPIRE_MINUTES=" in env) is (answers["auth"] == "jwt")
    assert ("OTEL_EXPORTER_OTLP_ENDPOINT=" in env) is (answers["observability"] == "opentelemetry")
    assert ("SENTRY_DSN=" in env) is (answers["observability"] == "sentry")


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
    assert ("worker" in services) is (answers["background_jobs"] == "celery")
    redis = answers["background_jobs"] == "celery" or answers["websockets"]
    assert ("redis" in services) is redis
    assert ("redis" in services["app"]["depends_on"]) is redis
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
    # The WebSocket test with two workers needs Redis (it skips without).
    assert ("redis:8-alpine" in text and "REDIS_URL" in text) is answers["websockets"]


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


# --- Locked installs, logs, traces, types (issue 14) ---------------------------------------

JINJA_TAG = re.compile(r"\{\{|\{%|\{#")
MAX_JINJA_TAGS = 8


def test_python_templates_keep_jinja_to_a_few_tags() -> None:
    """Options live in whole files: no .py.jinja may carry more than a few Jinja tags."""
    crowded = {
        str(path.relative_to(TEMPLATE)): len(JINJA_TAG.findall(path.read_text()))
        for path in (TEMPLATE / "template").rglob("*.py.jinja")
    }
    assert crowded, "no .py.jinja found: the template moved?"
    assert {name: n for name, n in crowded.items() if n > MAX_JINJA_TAGS} == {}


def test_python_files_without_jinja_are_plain_python() -> None:
    """A template file that is not .jinja is copied verbatim, so it must hold no Jinja at all."""
    for path in (TEMPLATE / "template").rglob("*.py"):
        assert not JINJA_TAG.search(path.read_text()), path.relative_to(TEMPLATE)


def _assigned(text: str) -> dict[str, str]:
    return dict(re.findall(r"^([A-Z_]+)=(.*)$", text, re.MULTILINE))


@pytest.mark.parametrize("variant", ["defaults", "312-nodocker-open-uvicorn"])
def test_env_example_shows_the_servers_own_defaults(render, variant: str) -> None:
    """TIMEOUT, GRACEFUL_TIMEOUT and KEEPALIVE in .env.example are what the server falls back to."""
    project = render(variant)
    documented = _assigned((project / ".env.example").read_text())
    if answers_of(variant)["server"] == "gunicorn":
        source = (project / "gunicorn.conf.py").read_text()
        defaults = dict(re.findall(r"""env\("([A-Z_]+)", ([0-9]+)\)""", source))
        names = ("TIMEOUT", "GRACEFUL_TIMEOUT", "KEEPALIVE")
    else:
        source = (project / "demo/server.py").read_text()
        defaults = dict(re.findall(r"""environ\.get\("([A-Z_]+)", "([0-9]+)"\)""", source))
        names = ("GRACEFUL_TIMEOUT", "KEEPALIVE")
    for name in names:
        assert documented[name] == defaults[name], name


@pytest.mark.parametrize("variant", [v for v in VARIANTS if answers_of(v)["docker"]])
def test_dockerfile_installs_the_lock_before_the_source(render, variant: str) -> None:
    lines = [
        line.strip()
        for line in (render(variant) / "Dockerfile").read_text().splitlines()
        if line.startswith(("COPY", "RUN uv"))
    ]
    deps = lines.index("COPY pyproject.toml uv.lock ./")
    assert lines[deps + 1] == "RUN uv sync --locked --no-dev --no-install-project"
    source = lines.index("COPY demo ./demo")
    assert deps < source < lines.index("RUN uv sync --locked --no-dev --no-editable")
    assert "UV_PROJECT_ENVIRONMENT=/opt/venv" in (render(variant) / "Dockerfile").read_text()


@pytest.mark.parametrize("variant", VARIANTS)
def test_dev_tools_are_a_dependency_group(render, variant: str) -> None:
    data = pyproject(render(variant))
    assert "optional-dependencies" not in data["project"]
    dev = {re.split(r"[<>=\[ ]", dep)[0] for dep in data["dependency-groups"]["dev"]}
    assert {"pytest", "mypy", "ruff"} <= dev
    assert ("celery-types" in dev) is (answers_of(variant)["background_jobs"] == "celery")
    mypy = data["tool"]["mypy"]
    assert mypy["strict"] is True
    assert mypy["files"] == ["demo", "tests"]
    assert "pydantic.mypy" in mypy["plugins"]


def test_makefile_installs_from_the_lock(render) -> None:
    makefile = (render("defaults") / "Makefile").read_text()
    assert "UV ?= $(or $(shell command -v uv 2>/dev/null),.venv-tools/bin/uv)" in makefile
    assert "export UV_PROJECT_ENVIRONMENT := $(VENV)" in makefile
    assert "export UV_PYTHON := $(PYTHON)" in makefile  # uv lock needs the right interpreter too
    install = "\t@test -f uv.lock || $(UV) lock\n\t$(UV) sync --locked --python $(PYTHON)\n"
    assert install in makefile
    assert "\n\t$(UV) lock --upgrade\n" in makefile
    assert "\ncheck-lock: $(UV) " in makefile and "\n\t$(UV) lock --check\n" in makefile
    assert "\n.venv-tools/bin/uv:\n" in makefile
    assert "\n\t$(BIN)/mypy\n" in makefile
    assert "--no-access-log" in makefile  # the app writes the access log, even under make run


@pytest.mark.parametrize("ignore_file", [".gitignore", ".dockerignore"])
def test_the_lock_is_kept_and_the_tools_are_ignored(render, ignore_file: str) -> None:
    lines = (render("defaults") / ignore_file).read_text().splitlines()
    assert ".venv-tools" in lines
    assert not [line for line in lines if "uv.lock" in line]


@pytest.mark.parametrize("variant", [v for v in VARIANTS if answers_of(v)["ci"] != "none"])
def test_ci_checks_and_installs_the_lock(render, variant: str) -> None:
    ci = {"github": ".github/workflows/ci.yml", "gitlab": ".gitlab-ci.yml"}
    text = (render(variant) / ci[answers_of(variant)["ci"]]).read_text()
    assert "make check-lock" in text
    assert "uv sync --locked" in text
    assert "make install" not in text  # CI installs what the lock pins, nothing else


def test_access_logs_of_the_servers_are_off(render) -> None:
    gunicorn = (render("defaults") / "gunicorn.conf.py").read_text()
    assert re.search(r"^accesslog = None$", gunicorn, re.MULTILINE)
    server = (render("312-nodocker-open-uvicorn") / "demo/server.py").read_text()
    assert '"access_log": False' in server


def test_observability_none_adds_nothing(render) -> None:
    project = render("defaults")
    assert not (project / "demo/observability.py").exists()
    names = dependency_names(project)
    assert not [name for name in names if name.startswith(("opentelemetry", "sentry"))]
    text = "\n".join(path.read_text() for path in project.rglob("*.py"))
    assert "observability" not in text and "OTEL_" not in text and "SENTRY" not in text


def test_observability_question_follows_docker() -> None:
    questions = list(yaml.safe_load((TEMPLATE / "copier.yml").read_text()))
    assert questions.index("observability") == questions.index("docker") + 1


@pytest.mark.parametrize("variant", ["defaults", "313-pg-celery-ws", "gitlab-pg-sentry"])
def test_development_services_follow_the_answers(render, variant: str) -> None:
    answers = answers_of(variant)
    project = render(variant)
    makefile = (project / "Makefile").read_text()
    needed = answers["database"] == "postgresql" or answers["background_jobs"] == "celery"
    assert ("\nservices:" in makefile) is needed
    env = (project / ".env.example").read_text()
    postgres_url = "# DATABASE_URL=postgresql://app:app@127.0.0.1:5432/app"
    assert (postgres_url in env) is (answers["database"] == "postgresql")
    if not needed:
        return
    assert "docker compose -f compose.dev.yml up -d --wait" in makefile
    services = yaml.safe_load((project / "compose.dev.yml").read_text())["services"]
    assert ("db" in services) is (answers["database"] == "postgresql")
    assert ("redis" in services) is (answers["background_jobs"] == "celery")
    for service in services.values():
        assert all(port.startswith("127.0.0.1:") for port in service["ports"])
        assert "healthcheck" in service


@pytest.mark.parametrize("variant", ["defaults", "313-pg-celery-ws"])
def test_readme_promises_postgresql_tests_only_with_its_driver(render, variant: str) -> None:
    project = render(variant)
    readme = (project / "README.md").read_text()
    postgres = answers_of(variant)["database"] == "postgresql"
    assert ("asyncpg" in dependency_names(project)) is postgres
    assert bool(re.search(r"DATABASE_URL=postgresql://\S+ make test", readme)) is postgres
    assert "uv.lock" in readme and "make check-lock" in readme


def test_example_task_changes_nothing(render) -> None:
    tasks = (render("313-pg-celery-ws") / "demo/tasks.py").read_text()
    crud = (render("313-pg-celery-ws") / "demo/crud.py").read_text()
    assert "def count_items" in tasks
    assert "delete" not in tasks.lower()
    count = crud[crud.index("async def count_items") :]
    assert "delete(" not in count and "commit" not in count


@pytest.mark.parametrize("variant", VARIANTS)
def test_without_redis_websockets_run_one_worker(render, variant: str) -> None:
    """In-process broadcasts reach one worker's clients: the servers run one, and say why."""
    answers = answers_of(variant)
    project = render(variant)
    server = "gunicorn.conf.py" if answers["server"] == "gunicorn" else "demo/server.py"
    source = (project / server).read_text()
    single = answers["websockets"] and answers["background_jobs"] != "celery"
    assert ("REDIS_URL is not set: running 1 worker" in source) is single


@pytest.mark.parametrize("variant", VARIANTS)
def test_accounts_settings_are_documented_and_throttle_counts_in_redis_only_with_it(
    render, variant: str
) -> None:
    """The account variables are in .env.example and the README; Redis counters need Redis."""
    answers = answers_of(variant)
    project = render(variant)
    jwt = answers["auth"] == "jwt"
    env = _assigned((project / ".env.example").read_text())
    readme = (project / "README.md").read_text()
    for name in ("ACCESS_TOKEN_EXPIRE_MINUTES", "REFRESH_TOKEN_EXPIRE_DAYS", *ACCOUNT_SETTINGS):
        assert (name in env) is jwt, name
        assert (f"`{name}`" in readme) is jwt, name
    if not jwt:
        return
    assert env["ACCESS_TOKEN_EXPIRE_MINUTES"] == "15"
    assert env["AUTH_RATE_LIMIT"] == "5/minute"
    throttle = (project / "demo/throttle.py").read_text()
    redis = answers["background_jobs"] == "celery" or answers["websockets"]
    assert ("from .throttle_redis import" in throttle) is redis
    assert "import redis" not in throttle and "from redis" not in throttle
    assert (
        "counted in Redis when REDIS_URL is set" in (project / ".env.example").read_text()
    ) is redis
