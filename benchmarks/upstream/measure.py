"""What pyframe's render would cost with Copier fixed: the installed Copier against a patched copy.

    python benchmarks/upstream/measure.py [--runs 9] [--frameworks django,fastapi,flask]

Most of ``pyframe new``'s render time is spent inside Copier 9.19.1 (see the README's performance
section). ``copier-9.19.1-render.patch`` next to this script is the change we propose upstream:

- read ``core.fileMode`` once per run, not once per rendered file (a git process each);
- do not start git to ask whether a folder is a git bundle (a bundle is a file);
- compile each templated string once per run (path parts repeat across files);
- render the answers file's path once per run, not once per path part.

The script copies the installed Copier twice into a scratch folder, applies the patch to one copy
(``git apply``), and runs the same measurements alternately against each (``PYTHONPATH`` puts the
copy ahead of site-packages), so that both see the same machine load: rendering alone, in a fresh
process, and the whole ``pyframe new x --framework F --defaults`` process. It also checks that
both copies render byte-identical projects. It prints medians and never fails on them.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PATCH = HERE / "copier-9.19.1-render.patch"
PYFRAME = str(Path(sys.executable).parent / "pyframe")
RENDER_ONLY = """
import sys, time
from pathlib import Path
from scaffold.render import render
from scaffold.templates import resolve
template = resolve(sys.argv[1])
import copier
start = time.perf_counter()
render(template, Path(sys.argv[2]), data={"project_name": "x"})
print(time.perf_counter() - start)
"""


def copier_copies(scratch: Path) -> dict[str, Path]:
    """Two copies of the installed Copier, the second patched; returns label -> PYTHONPATH."""
    import copier

    if copier.__version__ != "9.19.1":
        sys.exit(
            f"measure.py: the patch is for Copier 9.19.1; this environment has {copier.__version__}"
        )
    installed = Path(copier.__file__).parent
    roots = {}
    for label in ("copier 9.19.1", "patched"):
        root = scratch / label.replace(" ", "-")
        shutil.copytree(installed, root / "copier", ignore=shutil.ignore_patterns("__pycache__"))
        roots[label] = root
    applied = subprocess.run(
        ["git", "apply", str(PATCH)], cwd=roots["patched"], capture_output=True, text=True
    )
    if applied.returncode != 0:
        sys.exit(f"measure.py: the patch does not apply to {installed}: {applied.stderr.strip()}")
    for root in roots.values():
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(root)], check=True)
    return roots


def same_tree(left: Path, right: Path) -> bool:
    compared = filecmp.dircmp(left, right)
    if compared.left_only or compared.right_only or compared.diff_files or compared.funny_files:
        return False
    return all(same_tree(left / sub, right / sub) for sub in compared.common_dirs)


def measure(framework: str, roots: dict[str, Path], runs: int, scratch: Path) -> None:
    render: dict[str, list[float]] = {label: [] for label in roots}
    whole: dict[str, list[float]] = {label: [] for label in roots}
    for _ in range(runs):
        for label, root in roots.items():
            env = {**os.environ, "PYTHONPATH": str(root)}
            out = scratch / "out"
            shutil.rmtree(out, ignore_errors=True)
            done = subprocess.run(
                [sys.executable, "-c", RENDER_ONLY, framework, str(out)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            render[label].append(float(done.stdout))
            shutil.rmtree(out)
            start = time.perf_counter()
            command = [PYFRAME, "new", "x", "--framework", framework, "-y", "--output", str(out)]
            subprocess.run(command, env=env, check=True, capture_output=True)
            whole[label].append(time.perf_counter() - start)
            last = scratch / f"last-{root.name}"
            shutil.rmtree(last, ignore_errors=True)
            out.rename(last)
    trees = [scratch / f"last-{root.name}" for root in roots.values()]
    identical = "identical output" if same_tree(*trees) else "OUTPUT DIFFERS"
    for tree in trees:
        shutil.rmtree(tree)
    for label in roots:
        print(
            f"{framework:8} {label:14} rendering {statistics.median(render[label]) * 1000:5.0f} ms"
            f"   whole pyframe new {statistics.median(whole[label]) * 1000:5.0f} ms"
        )
    print(f"{framework:8} {identical}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--frameworks", default="django,fastapi,flask")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pyframe-copier-patch-") as name:
        scratch = Path(name)
        roots = copier_copies(scratch)
        print(
            f"medians of {args.runs} alternating runs, python {sys.version.split()[0]}",
            flush=True,
        )
        for framework in args.frameworks.split(","):
            measure(framework, roots, args.runs, scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
