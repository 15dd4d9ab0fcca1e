"""A person's first five minutes: ``pyframe new`` then the project's own ``make install && make test``.

Slow (it installs each skeleton's dependencies), so it is marked ``slow``; uv's shared cache keeps
it to seconds per project once warm.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.templates import BUILTIN

from .support import BIN

pytestmark = pytest.mark.slow


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VIRTUAL_ENV")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"  # uv from the test extras
    return env


@pytest.mark.parametrize("framework", BUILTIN)
def test_new_project_installs_and_passes_its_own_tests(framework, tmp_path):
    env = _env()
    new = subprocess.run(
        [str(BIN / "pyframe"), "new", "demo", "--framework", framework, "--defaults"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert new.returncode == 0, new.stderr
    assert "cd demo\n  make install\n  make run" in new.stdout
    project = tmp_path / "demo"
    for target in ("install", "test"):
        run = subprocess.run(
            ["make", target], cwd=project, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, f"make {target}:\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}"
    assert (project / ".env").is_file(), "make install creates .env for development"
