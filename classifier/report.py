"""The evaluation report: one self-contained HTML page with the metrics, a precision-recall curve and a reliability
plot per label (matplotlib, embedded as PNG), and the worst errors with the keywords that drove them."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass

import numpy as np

from classifier.errors import OutputError
from classifier.evaluation import NONE, precision_recall_curve


@dataclass(frozen=True)
class ScoredExample:
    text: str
    truth: tuple[str, ...]
    scores: np.ndarray


def _figure_png(draw) -> str:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise OutputError("the HTML report needs matplotlib: pip install 'privacy-risk-news-classifier[report]'") from None
    figure, axes = plt.subplots(figsize=(4.2, 3.4), dpi=100)
    draw(axes)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _pr_plot(scores: np.ndarray, truth: np.ndarray, threshold: float, label: str):
    def draw(axes):
        recall, precision = precision_recall_curve(scores, truth)
        axes.plot(recall, precision, color="#1f5f99")
        called = scores >= threshold
        tp = float(np.sum(called & truth))
        if called.any() and truth.any():
            axes.plot([tp / truth.sum()], [tp / called.sum()], "o", color="#c0392b", label=f"threshold {threshold:.2f}")
            axes.legend(loc="lower left", fontsize=8)
        axes.set(xlim=(0, 1.02), ylim=(0, 1.02), xlabel="recall", ylabel="precision", title=f"{label}: precision-recall")
    return draw


def _reliability_plot(table: list[dict], label: str):
    def draw(axes):
        axes.plot([0, 1], [0, 1], linestyle=":", color="grey")
        filled = [row for row in table if row["n"]]
        axes.plot([r["mean_score"] for r in filled], [r["fraction_positive"] for r in filled], "o-", color="#1f5f99")
        axes.set(xlim=(0, 1), ylim=(0, 1.02), xlabel="predicted probability", ylabel="fraction with the label",
                 title=f"{label}: reliability")
    return draw


def _keywords(model, text: str, label: str, top: int = 5) -> str:
    explanation = next(e for e in model.explain(text, top=top) if e.label == label)
    up = ", ".join(f"{c.term} (+{c.weight:.2f})" for c in explanation.up) or "-"
    down = ", ".join(f"{c.term} ({c.weight:.2f})" for c in explanation.down) or "-"
    return f"<b>up:</b> {html.escape(up)}<br><b>down:</b> {html.escape(down)}"


def _error_rows(model, examples: list[ScoredExample], label: str, index: int, threshold: float, limit: int) -> str:
    false_positives = [e for e in examples if e.scores[index] >= threshold and label not in e.truth]
    false_negatives = [e for e in examples if e.scores[index] < threshold and label in e.truth]
    false_positives.sort(key=lambda e: -e.scores[index])
    false_negatives.sort(key=lambda e: e.scores[index])
    rows = []
    for kind, chosen in (("false positive", false_positives[:limit]), ("false negative", false_negatives[:limit])):
        for example in chosen:
            rows.append(
                f"<tr><td>{kind}</td><td>{example.scores[index]:.3f}</td>"
                f"<td>{html.escape(', '.join(example.truth) or NONE)}</td>"
                f"<td class='text'>{html.escape(example.text[:600])}</td>"
                f"<td class='keywords'>{_keywords(model, example.text, label)}</td></tr>"
            )
    if not rows:
        return "<p>No errors for this label.</p>"
    return ("<table class='errors'><tr><th>error</th><th>score</th><th>true labels</th><th>paragraph</th>"
            "<th>keywords that drove it</th></tr>" + "".join(rows) + "</table>")


def render_report(metrics: dict, model, examples: list[ScoredExample], data_name: str, errors_per_label: int = 8) -> str:
    """The whole HTML page as a string."""
    labels = list(model.labels)
    metric_rows = "".join(
        f"<tr><td>{label}</td><td>{m['precision']:.3f}</td><td>{m['recall']:.3f}</td><td>{m['f1']:.3f}</td>"
        f"<td>{m['support']}</td><td>{m['threshold']:.3f}</td><td>{m['brier']:.4f}</td></tr>"
        for label, m in metrics["labels"].items()
    )
    confusion = metrics["confusion"]
    names = labels + [NONE]
    confusion_rows = "".join(
        f"<tr><th>{t}</th>" + "".join(f"<td>{confusion[t][p]}</td>" for p in names) + "</tr>" for t in names
    )
    sections = []
    for index, label in enumerate(labels):
        m = metrics["labels"][label]
        truth = np.array([label in e.truth for e in examples])
        scores = np.array([e.scores[index] for e in examples])
        pr = _figure_png(_pr_plot(scores, truth, m["threshold"], label))
        reliability = _figure_png(_reliability_plot(m["reliability"], label))
        tradeoff = "".join(
            f"<tr{' class=current' if r['is_model_threshold'] else ''}><td>{r['threshold']:.2f}</td>"
            f"<td>{r['precision']:.3f}</td><td>{r['recall']:.3f}</td><td>{r['f1']:.3f}</td></tr>"
            for r in m["tradeoff"]
        )
        sections.append(
            f"<section id='{label}'><h2>{label}</h2>"
            f"<img alt='{label} precision-recall curve' src='data:image/png;base64,{pr}'>"
            f"<img alt='{label} reliability plot' src='data:image/png;base64,{reliability}'>"
            f"<h3>Moving the threshold</h3><table><tr><th>threshold</th><th>precision</th><th>recall</th>"
            f"<th>F1</th></tr>{tradeoff}</table>"
            f"<h3>Worst errors</h3>{_error_rows(model, examples, label, index, m['threshold'], errors_per_label)}"
            f"</section>"
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Evaluation: {html.escape(data_name)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; max-width: 1100px; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; }}
td, th {{ border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; vertical-align: top; }}
td.text, td.keywords {{ text-align: left; max-width: 420px; font-size: 0.9em; }}
tr.current {{ font-weight: bold; background: #eef4fa; }}
img {{ margin-right: 1em; }}
</style></head>
<body>
<h1>Evaluation on {html.escape(data_name)}</h1>
<p>{metrics['n']} paragraphs. Macro-F1 <b>{metrics['macro_f1']:.3f}</b>, micro-F1 <b>{metrics['micro_f1']:.3f}</b>,
exact match {metrics['exact_match']:.3f}.</p>
<table id="metrics"><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th><th>threshold</th>
<th>Brier</th></tr>{metric_rows}</table>
<h2>Which labels were given for which</h2>
<p>Rows: the true labels of a paragraph (none: it has no label). Columns: the labels the model gave it.</p>
<table id="confusion"><tr><th></th>{''.join(f'<th>{p}</th>' for p in names)}</tr>{confusion_rows}</table>
{''.join(sections)}
</body></html>
"""
