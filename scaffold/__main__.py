"""``python -m scaffold`` runs the CLI."""

from .cli import run

run()
