"""``python -m scaffold`` runs the CLI."""

from .entry import run

run()
