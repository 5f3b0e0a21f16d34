"""``classifier evaluate``: score a model on labelled paragraphs."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from classifier.cli._app import MODEL_HELP, command, load_model_option
from classifier.evaluation import NONE


def evaluate_model(data: Path, model_dir: Path | None, report: Path | None = None) -> dict:
    """Metrics of the model on the labelled paragraphs at ``data``; with ``report``, also write the HTML report."""
    from classifier.data import label_matrix, read_labelled
    from classifier.evaluation import full_report

    model = load_model_option(model_dir)
    examples = read_labelled(data)
    scores = model.scores([example.text for example in examples])
    metrics = full_report(label_matrix(examples), scores, model.thresholds, model.labels)
    if report is not None:
        from classifier.report import ScoredExample, render_report
        from classifier.writers import write_text_atomically

        scored = [ScoredExample(e.text, e.labels, row) for e, row in zip(examples, scores)]
        write_text_atomically(report, render_report(metrics, model, scored, str(data)))
    return metrics


def format_metrics(metrics: dict) -> str:
    """Plain-text tables: per-label metrics, label confusion, and each label's threshold trade-off."""
    lines = [f"{'label':<12} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8} {'threshold':>9} {'brier':>7}"]
    for label, m in metrics["labels"].items():
        lines.append(f"{label:<12} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>6.3f} {m['support']:>8} "
                     f"{m['threshold']:>9.3f} {m['brier']:>7.4f}")
    lines.append(
        f"paragraphs {metrics['n']}  macro-F1 {metrics['macro_f1']:.3f}  micro-F1 {metrics['micro_f1']:.3f}  "
        f"exact match {metrics['exact_match']:.3f}"
    )
    names = list(metrics["labels"]) + [NONE]
    lines += ["", "true label (rows) given as (columns):", " " * 12 + "".join(f"{n:>12}" for n in names)]
    for true in names:
        lines.append(f"{true:<12}" + "".join(f"{metrics['confusion'][true][p]:>12}" for p in names))
    lines += ["", "precision / recall if the threshold moved:"]
    for label, m in metrics["labels"].items():
        cells = "  ".join(
            f"{'[' if r['is_model_threshold'] else ''}{r['threshold']:.2f}: {r['precision']:.2f}/{r['recall']:.2f}"
            f"{']' if r['is_model_threshold'] else ''}" for r in m["tradeoff"]
        )
        lines.append(f"{label:<12} {cells}")
    lines += ["", "reliability (predicted probability -> fraction with the label, paragraphs):"]
    for label, m in metrics["labels"].items():
        cells = "  ".join(
            f"{r['mean_score']:.2f}->{r['fraction_positive']:.2f} ({r['n']})" for r in m["reliability"] if r["n"]
        )
        lines.append(f"{label:<12} {cells}")
    return "\n".join(lines)


@command("evaluate")
def evaluate_cli(
    data: Path = typer.Option(..., "--data", help="Labelled paragraphs: a .jsonl file or a folder of them."),
    model: Path = typer.Option(None, "--model", help=MODEL_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables."),
    report: Path = typer.Option(None, "--report", help="Also write a self-contained HTML report to this file."),
) -> None:
    """Per-label precision, recall, F1 and support, micro and macro F1, label confusion, Brier scores,
    reliability tables and the precision/recall trade-off around each threshold."""
    metrics = evaluate_model(data, model, report)
    typer.echo(json.dumps(metrics) if as_json else format_metrics(metrics))
