"""``classifier keywords``: the strongest terms of each label in a model."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer

from classifier.cli._app import MODEL_HELP, command, load_model_option, usage_error
from classifier.labels import LABELS


def model_keywords(model_dir: Path | None, top: int, label: str | None) -> dict:
    model = load_model_option(model_dir)
    keywords = model.keywords(top=top)
    chosen = [label] if label else list(keywords)
    return {name: {side: [asdict(c) for c in terms] for side, terms in keywords[name].items()} for name in chosen}


@command("keywords")
def keywords_cli(
    model: Path = typer.Option(None, "--model", help=MODEL_HELP),
    top: int = typer.Option(15, "--top", min=1, help="Terms per label and direction."),
    label: str = typer.Option(None, "--label", help=f"Only this label ({', '.join(LABELS)})."),
    negative: bool = typer.Option(False, "--negative", help="Also list the terms that weigh against each label."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """List the terms with the largest weights for each label."""
    if label is not None and label not in LABELS:
        usage_error(f"--label: unknown label {label!r} (known: {', '.join(LABELS)})")
    keywords = model_keywords(model, top, label)
    if as_json:
        typer.echo(json.dumps(keywords))
        return
    for name, sides in keywords.items():
        typer.echo(f"{name}: " + ", ".join(f"{c['term']} ({c['weight']:.2f})" for c in sides["positive"]))
        if negative:
            typer.echo(f"  against: " + ", ".join(f"{c['term']} ({c['weight']:.2f})" for c in sides["negative"]))
