"""Typed errors. Each carries a one-line message; only the CLI turns them into output and exit codes."""


class ClassifierError(Exception):
    """Base class of every error this package raises on purpose."""


class DataError(ClassifierError):
    """Labelled data that cannot be read or does not follow the format."""


class ModelError(ClassifierError):
    """A model directory that is missing, altered, or of another format."""


class ReaderError(ClassifierError):
    """An input document that cannot be read."""


class OutputError(ClassifierError):
    """An output that cannot be written."""
