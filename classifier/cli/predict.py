"""``classifier predict``: labels and per-label probabilities of paragraphs given on the command line or in a file."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from classifier.cli._app import MODEL_HELP, command, load_model_option, usage_error
from classifier.errors import ReaderError


def read_paragraphs(file: str) -> list[str]:
    """The paragraphs (separated by blank lines) of a file, or of stdin when ``file`` is ``-``."""
    from classifier.decoding import decode_bytes
    from classifier.paragraphs import split_paragraphs
    from classifier.readers import read_bytes

    try:
        return split_paragraphs(decode_bytes(read_bytes(file)))
    except ReaderError as exc:
        raise ReaderError(f"{'<stdin>' if file == '-' else file}: {exc}") from None


def predict_paragraphs(paragraphs: list[str], model_dir: Path | None) -> list[dict]:
    """One record per paragraph: its text, labels and the probability of every label."""
    model = load_model_option(model_dir)
    labels, scores = model.predict(paragraphs)
    return [
        {"text": text, "labels": chosen, "scores": {label: round(float(s), 6) for label, s in zip(model.labels, row)}}
        for text, chosen, row in zip(paragraphs, labels, scores)
    ]


def format_prediction(number: int, record: dict, width: int = 100) -> str:
    """A readable block: the labels, every score (with * where it reaches the threshold) and the text."""
    text = record["text"] if len(record["text"]) <= width else record["text"][: width - 3] + "..."
    scores = "  ".join(
        f"{label} {score:.2f}{'*' if label in record['labels'] else ''}" for label, score in record["scores"].items()
    )
    return f"[{number}] {', '.join(record['labels']) or '(none)'}\n    {scores}\n    {text}"


@command("predict")
def predict_cli(
    texts: list[str] = typer.Argument(None, help="Paragraphs to score, each one argument.", show_default=False),
    file: str = typer.Option(None, "--file", "-f", help="Score each paragraph of this file ('-' for stdin)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per paragraph per line."),
    model: Path = typer.Option(None, "--model", help=MODEL_HELP),
) -> None:
    """Labels and per-label probabilities for each paragraph. Paragraphs in a file are separated by blank lines."""
    if not texts and file is None:
        usage_error("give paragraphs as arguments or --file FILE (or --file - for stdin)")
    paragraphs = [text for text in texts or [] if text.strip()]
    if file is not None:
        paragraphs += read_paragraphs(file)
    if not paragraphs:
        raise ReaderError("no paragraphs to score: the input is empty")
    for number, record in enumerate(predict_paragraphs(paragraphs, model), start=1):
        typer.echo(json.dumps(record, ensure_ascii=False) if as_json else format_prediction(number, record))
