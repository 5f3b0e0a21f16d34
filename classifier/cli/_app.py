"""The typer application, the error boundary of every command, and helpers shared by the commands."""

from __future__ import annotations

import functools
from pathlib import Path

import typer

from classifier.errors import ClassifierError

app = typer.Typer(
    name="classifier",
    help="Tag news paragraphs with the topics data_access, layoffs, litigation and funding.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

MODEL_HELP = "Model directory. Default: the shipped default model."


def command(name: str):
    """Register ``function`` as a CLI command whose project errors become one line on stderr and exit code 1."""

    def register(function):
        @functools.wraps(function)
        def guarded(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except ClassifierError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(1) from None

        app.command(name)(guarded)
        return function

    return register


def usage_error(message: str):
    """Stop with a usage error: one line on stderr and exit code 2, as for a mistyped option."""
    typer.echo(f"usage error: {message} (see --help)", err=True)
    raise typer.Exit(2)


def load_model_option(path: Path | None):
    """The model at ``path``, or the shipped default model when no path is given; a note on stderr when it was
    trained with another scikit-learn release."""
    from classifier.store import default_model_dir, load_model, sklearn_release_note

    model = load_model(path if path is not None else default_model_dir())
    note = sklearn_release_note(model.metadata)
    if note:
        typer.echo(f"note: {note}", err=True)
    return model
