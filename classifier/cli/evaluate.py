"""``classifier evaluate``: score a model on labelled paragraphs."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from classifier.cli._app import MODEL_HELP, command, load_model_option


def evaluate_model(data: Path, model_dir: Path | None) -> dict:
    """Metrics of the model on the labelled paragraphs at ``data``."""
    from classifier.data import label_matrix, read_labelled
    from classifier.evaluation import multilabel_metrics

    model = load_model_option(model_dir)
    examples = read_labelled(data)
    scores = model.scores([example.text for example in examples])
    predicted = scores >= model.thresholds
    return multilabel_metrics(label_matrix(examples), predicted, model.labels)


def format_metrics(metrics: dict) -> str:
    """A plain-text table of per-label metrics."""
    lines = [f"{'label':<12} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}"]
    for label, m in metrics["labels"].items():
        lines.append(f"{label:<12} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>6.3f} {m['support']:>8}")
    lines.append(
        f"paragraphs {metrics['n']}  macro-F1 {metrics['macro_f1']:.3f}  micro-F1 {metrics['micro_f1']:.3f}  "
        f"exact match {metrics['exact_match']:.3f}"
    )
    return "\n".join(lines)


@command("evaluate")
def evaluate_cli(
    data: Path = typer.Option(..., "--data", help="Labelled paragraphs: a .jsonl file or a folder of them."),
    model: Path = typer.Option(None, "--model", help=MODEL_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table."),
) -> None:
    """Per-label precision, recall, F1 and support, and micro and macro F1, of a model on labelled data."""
    metrics = evaluate_model(data, model)
    typer.echo(json.dumps(metrics) if as_json else format_metrics(metrics))
