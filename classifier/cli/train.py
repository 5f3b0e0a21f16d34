"""``classifier train``: fit a model on labelled paragraphs and write it to a model directory."""

from __future__ import annotations

from pathlib import Path

import typer

from classifier.cli._app import command, usage_error
from classifier.labels import LABELS


def train_model(data: Path, out: Path, folds: int, repeats: int, seed: int, jobs: int, c_grid: tuple[float, ...]):
    """Read the data, train, save the model to ``out``; return the model."""
    from classifier.card import model_card
    from classifier.data import read_labelled
    from classifier.store import save_model
    from classifier.training import TrainSettings, train

    examples = read_labelled(data)
    model = train(examples, TrainSettings(c_grid=c_grid, folds=folds, repeats=repeats, seed=seed, jobs=jobs))
    thresholds = dict(zip(model.labels, map(float, model.thresholds)))
    save_model(model, out, model_card(model.metadata, thresholds))
    return model


@command("train")
def train_cli(
    data: Path = typer.Option(Path("training_data"), "--data", help="A .jsonl file or a folder of them."),
    out: Path = typer.Option(Path("models/default"), "--out", help="Model directory to write (replaced whole)."),
    folds: int = typer.Option(5, "--folds", min=2, help="Cross-validation folds for choosing C and thresholds."),
    repeats: int = typer.Option(10, "--repeats", min=1, help="Times the cross-validation is repeated on new "
                                "shuffles; C and thresholds are chosen on the mean over repeats."),
    seed: int = typer.Option(0, "--seed", help="Seed of the fold splits."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Folds fitted in parallel."),
    c_grid: str = typer.Option("1,3,10,30,100", "--c-grid", help="Comma-separated inverse regularisation strengths."),
) -> None:
    """Train one logistic regression per label, tune each label's threshold by cross-validation, save the model."""
    try:
        grid = tuple(float(value) for value in c_grid.split(","))
    except ValueError:
        usage_error(f"--c-grid: not a list of numbers: {c_grid!r}")
    if not grid or min(grid) <= 0:
        usage_error("--c-grid: values must be positive")
    model = train_model(data, out, folds, repeats, seed, jobs, grid)
    cv = model.metadata["cv_metrics"]
    times = f" x {repeats} repeats" if repeats > 1 else ""
    typer.echo(f"trained on {cv['n']} paragraphs; cross-validated ({folds} folds{times}, mean):")
    typer.echo(f"{'label':<12} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8} {'threshold':>9}")
    for index, label in enumerate(LABELS):
        m = cv["labels"][label]
        typer.echo(
            f"{label:<12} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>6.3f} {m['support']:>8} "
            f"{model.thresholds[index]:>9.3f}"
        )
    typer.echo(f"macro-F1 {cv['macro_f1']:.3f}  micro-F1 {cv['micro_f1']:.3f}")
    typer.echo(f"model written to {out}")
