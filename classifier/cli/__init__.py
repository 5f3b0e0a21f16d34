"""The command-line interface: one module per command, each a thin shell over plain functions."""

from __future__ import annotations

import sys

from classifier.cli import audit, evaluate, explain, keywords, predict, tag, train  # noqa: F401  (registers)
from classifier.cli._app import app


def main() -> None:
    """Entry point of the ``classifier`` console script."""
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(errors="backslashreplace")  # file names that are not UTF-8 still print
    try:
        app()
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
