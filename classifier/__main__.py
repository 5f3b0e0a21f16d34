"""Allows ``python -m classifier``."""

from classifier.cli import main

main()
