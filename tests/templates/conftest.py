"""Fixtures for the template tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from .support import TEMPLATES


@pytest.fixture(scope="session")
def render_variant(copie_session) -> Callable[[str, Mapping[str, object]], Path]:
    """Render ``framework`` with ``answers`` (project ``demo``) once per session."""
    rendered: dict[tuple[str, tuple[tuple[str, object], ...]], Path] = {}

    def render(framework: str, answers: Mapping[str, object]) -> Path:
        key = (framework, tuple(sorted(answers.items())))
        if key not in rendered:
            result = copie_session.copy(
                extra_answers={"project_name": "demo", **answers},
                template_dir=TEMPLATES / framework,
            )
            assert result.exit_code == 0, result.exception
            rendered[key] = result.project_dir
        return rendered[key]

    return render
