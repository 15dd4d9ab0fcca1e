"""Archive the built-in templates of a release into ``template-history/<version>.tar.gz``.

Run it when cutting a release, *before* bumping ``scaffold/__init__.py``::

    python tools/snapshot_templates.py 0.2.0            # from the working tree
    python tools/snapshot_templates.py 0.1.0 --ref v0.1.0   # from a git tag or commit

``pyframe update`` unpacks these archives to render a project's template exactly as it was
generated (Copier's 3-way update needs that old version). The archive is reproducible: sorted
members, no timestamps, no owners, so re-running it changes nothing and reviews stay readable.
"""

from __future__ import annotations

import argparse
import gzip
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HISTORY = ROOT / "template-history"
SKIP = {"__pycache__", ".DS_Store"}


def snapshot(version: str, source: Path) -> Path:
    """Write ``HISTORY/<version>.tar.gz`` from a ``templates/`` folder; return its path."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source)
            if SKIP.intersection(relative.parts) or path.suffix == ".pyc":
                continue
            info = tar.gettarinfo(str(path), arcname=relative.as_posix())
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = 0o755 if path.is_dir() or info.mode & 0o111 else 0o644
            if info.isfile():
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
            else:
                tar.addfile(info)
    HISTORY.mkdir(exist_ok=True)
    target = HISTORY / f"{version}.tar.gz"
    with target.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(buffer.getvalue())
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version", help="the release the archive is for, e.g. 0.2.0")
    parser.add_argument("--ref", help="a git ref to archive instead of the working tree")
    args = parser.parse_args(argv)
    if args.ref is None:
        print(snapshot(args.version, ROOT / "templates"))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", args.ref, "templates"],
            capture_output=True,
            check=False,
        )
        if archive.returncode != 0:
            print(f"cannot archive {args.ref}: {archive.stderr.decode().strip()}", file=sys.stderr)
            return 2
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
        print(snapshot(args.version, Path(folder) / "templates"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
