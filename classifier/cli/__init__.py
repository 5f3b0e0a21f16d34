"""The command-line interface: one module per command, each a thin shell over plain functions."""

from __future__ import annotations

import sys

from classifier.cli import evaluate, explain, keywords, predict, tag, train  # noqa: F401  (registers commands)
from classifier.cli._app import app


def main() -> None:
    """Entry point of the ``classifier`` console script."""
    try:
        app()
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
