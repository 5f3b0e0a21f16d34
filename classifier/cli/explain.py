"""``classifier explain`` and the terms that moved each label's probability for one paragraph."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer

from classifier.cli._app import MODEL_HELP, command, load_model_option


def explain_paragraph(text: str, model_dir: Path | None, top: int) -> list[dict]:
    model = load_model_option(model_dir)
    return [asdict(explanation) for explanation in model.explain(text, top=top)]


def format_explanation(explanations: list[dict]) -> str:
    lines = []
    for item in explanations:
        mark = "assigned" if item["assigned"] else "not assigned"
        lines.append(f"{item['label']}: p={item['probability']:.3f} (threshold {item['threshold']:.3f}, {mark})")
        up = ", ".join(f"{c['term']} +{c['weight']:.2f}" for c in item["up"]) or "-"
        down = ", ".join(f"{c['term']} {c['weight']:.2f}" for c in item["down"]) or "-"
        lines.append(f"    up:   {up}")
        lines.append(f"    down: {down}")
    return "\n".join(lines)


@command("explain")
def explain_cli(
    text: str = typer.Argument(..., help="The paragraph to explain."),
    model: Path = typer.Option(None, "--model", help=MODEL_HELP),
    top: int = typer.Option(8, "--top", min=1, help="Terms to show each way per label."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """For each label: the probability, and the words and phrases of TEXT that pushed it up or down most.

    A weight is the term's TF-IDF value times its coefficient: its share of the label's log-odds.
    """
    explanations = explain_paragraph(text, model, top)
    typer.echo(json.dumps(explanations) if as_json else format_explanation(explanations))
