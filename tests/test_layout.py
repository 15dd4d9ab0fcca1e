"""The modules keep to the imports the README's layout table allows them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scaffold"

pytestmark = pytest.mark.fast


def allowed() -> dict[str, set[str] | None]:
    """``scaffold`` module -> the modules it may import (None: any), from the README."""
    table: dict[str, set[str] | None] = {}
    for line in (ROOT / "README.md").read_text().splitlines():
        paths = re.findall(
            r"`scaffold/([a-z_]+)(?:\.py|/)`", line.split("|")[1] if "|" in line else ""
        )
        if not paths or line.count("|") < 4:
            continue
        imports = line.split("|")[3].strip()
        names = None if imports == "any" else {n.strip() for n in imports.split(",") if n.strip()}
        for path in paths:
            table[path] = names
    return table


def imports_of(path: Path) -> set[str]:
    """The top-level ``scaffold`` modules ``path`` imports, relative imports and lazy ones alike."""
    module = path.relative_to(PACKAGE).with_suffix("").parts
    package = list(module[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
            target = [*base, *(node.module.split(".") if node.module else [])]
            if not target:  # from . import x: x is a module or a name of the package
                found.update(a.name for a in node.names if (PACKAGE / f"{a.name}.py").exists())
            else:
                found.add(target[0])
    return found


def home(path: Path) -> str:
    relative = path.relative_to(PACKAGE).parts
    return (
        relative[0].removesuffix(".py")
        if len(relative) > 1 or relative[0] != "__init__.py"
        else "__init__"
    )


def test_every_module_is_in_the_layout_table():
    table = allowed()
    modules = {home(p) for p in PACKAGE.rglob("*.py")} - {"__main__"}
    assert modules <= set(table), f"not in the README's layout table: {modules - set(table)}"


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_imports_follow_the_layout_table(path):
    name = home(path)
    rules = allowed().get(name, set())
    if rules is None or name == "__main__":
        return
    extra = imports_of(path) - rules - {name}
    assert not extra, (
        f"{path.relative_to(ROOT)} imports {sorted(extra)}, which its row does not allow"
    )
