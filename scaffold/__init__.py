"""pyframe: pick Django, FastAPI or Flask for what you are building, and start from a skeleton.

The public API is small on purpose: the CLI calls these same functions, and so do the tests and
any other front end. Names are loaded on first use, so ``import scaffold`` (and ``pyframe
--help``) stays instant.

- ``recommend(needs, matrix)``: the decision matrix's pure scoring;
- ``choose(needs, settings, framework=, template=)``: what to render and why;
- ``create(choice, name, settings, ...)``: answers, then the render;
- ``update(project, ...)``, ``add_layer(template, project, ...)``: keep a project current;
- ``smoke(variants, options)``: build, test and boot template variants;
- ``PyframeError``: the root of every error a user can fix.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

__all__ = [
    "Choice",
    "Needs",
    "PyframeError",
    "Recommendation",
    "Rendered",
    "__version__",
    "add_layer",
    "choose",
    "create",
    "load_config",
    "recommend",
    "smoke",
    "update",
]

_HOMES = {
    "Choice": "core",
    "choose": "core",
    "create": "core",
    "Needs": "matrix",
    "Recommendation": "matrix",
    "recommend": "matrix",
    "PyframeError": "errors",
    "Rendered": "render",
    "add_layer": "render",
    "load_config": "config",
    "smoke": "smoketest",
    "update": "updating",
}

if TYPE_CHECKING:
    from .config import load_config
    from .core import Choice, choose, create
    from .errors import PyframeError
    from .matrix import Needs, Recommendation, recommend
    from .render import Rendered, add_layer
    from .smoketest import smoke
    from .updating import update


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'scaffold' has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
