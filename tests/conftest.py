"""Fixtures shared by pyframe's own tests.

Templates used by a test are written inline by that test (``make_template``), as Copier's own
suite does, so each test shows the whole template it depends on.
"""

from __future__ import annotations

import signal
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

#: Modules whose tests take minutes each (they install and run generated projects).
LONGEST = ("test_smoke_builtin.py", "test_pages_browser.py", "test_generated.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start the longest tests first: pytest-xdist then fills the end with short ones, instead of
    one core finishing a long test while the other has nothing left to do."""
    items.sort(key=lambda item: item.path.name not in LONGEST)


def pytest_configure(config: pytest.Config) -> None:
    """Let the commands the tests start hear Ctrl-C as they would from a terminal.

    A background job of a non-interactive shell starts with SIGINT ignored, and an ignored signal
    stays ignored in every program it starts: the Ctrl-C tests' commands would never see their
    SIGINT. A handled signal is reset to the default when a program starts, so handling it here
    gives them the default back.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def make_template(tmp_path: Path) -> Callable[..., Path]:
    """Write a small Copier template: ``{relative path: text}``, ``copier.yml`` included."""
    counter = 0

    def make(files: dict[str, str]) -> Path:
        nonlocal counter
        counter += 1
        root = tmp_path / f"template{counter}"
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip())
        return root

    return make


@pytest.fixture(scope="session")
def _empty_copier_settings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    settings = tmp_path_factory.mktemp("copier") / "settings.yml"
    settings.write_text("{}\n")
    return settings


@pytest.fixture(autouse=True)
def _isolated_copier_settings(
    _empty_copier_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the developer's own Copier settings out of every test (an empty settings file)."""
    monkeypatch.setenv("COPIER_SETTINGS_PATH", str(_empty_copier_settings))


@pytest.fixture(autouse=True)
def _isolated_user_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the developer's own ~/.config/pyframe/pyframe.toml out of every test: pyframe's user
    config folder (platformdirs, on Linux) is then an empty folder of the test's own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
