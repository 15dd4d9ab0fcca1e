"""The wheel people install carries the templates and the matrix, and works on its own."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(UV is None, reason="uv (from the test extras) builds the wheel"),
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([UV, "build", "--wheel", "-q", "-o", str(out), str(ROOT)], check=True)
    [built] = out.glob("pyframe_cli-*.whl")
    return built


def test_wheel_contains_templates_and_matrix(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for framework in ("django", "fastapi", "flask"):
        assert f"scaffold/_templates/{framework}/copier.yml" in names
        assert any(n.startswith(f"scaffold/_templates/{framework}/template/") for n in names)
    assert "scaffold/matrix.toml" in names
    shipped = sorted(ROOT.joinpath("template-history").glob("*.tar.gz"))
    assert shipped and {f"scaffold/_history/{p.name}" for p in shipped} <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_installed_wheel_renders_from_its_own_templates(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([UV, "venv", "-q", "-p", sys.executable, str(venv)], check=True)
    subprocess.run([UV, "pip", "install", "-q", "-p", str(venv), str(wheel)], check=True)
    pyframe = venv / "bin" / "pyframe"
    listed = subprocess.run(
        [pyframe, "templates", "--json"], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert {t["name"] for t in json.loads(listed.stdout)} == {"django", "fastapi", "flask"}
    new = subprocess.run(
        [pyframe, "new", "demo", "--framework", "flask", "--defaults"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert new.returncode == 0, new.stderr
    recorded = (tmp_path / "demo" / ".copier-answers.yml").read_text()
    assert "_src_path: pyframe:flask" in recorded
    assert "site-packages" not in recorded


def test_installed_wheel_updates_a_project_of_the_previous_release(wheel, tmp_path):
    """The wheel carries earlier template versions: an update works offline, from the wheel."""
    venv = tmp_path / "venv"
    subprocess.run([UV, "venv", "-q", "-p", sys.executable, str(venv)], check=True)
    subprocess.run([UV, "pip", "install", "-q", "-p", str(venv), str(wheel)], check=True)
    pyframe = venv / "bin" / "pyframe"
    previous = sorted(ROOT.joinpath("template-history").glob("*.tar.gz"))[-1].name[:-7]

    def run(*args: str, cwd: Path = tmp_path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, capture_output=True, text=True, cwd=cwd)

    new = run(str(pyframe), "new", "demo", "--framework", "django", "-y", "--vcs-ref", previous)
    assert new.returncode == 0, new.stderr
    project = tmp_path / "demo"
    identity = ["-c", "user.name=t", "-c", "user.email=t@t"]
    for command in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-qm", "start"]):
        assert run("git", *command, cwd=project).returncode == 0
    update = run(str(pyframe), "update", cwd=project)
    assert update.returncode == 0, update.stderr
    assert f"{previous} -> " in update.stdout
    assert f"_commit: v{previous}" not in (project / ".copier-answers.yml").read_text()
