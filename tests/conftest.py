"""Shared fixtures: the real CLI (in-process through typer's runner, or as a subprocess) and a small trained model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from classifier.cli import app

REPO = Path(__file__).resolve().parent.parent
TRAINING_DATA = REPO / "training_data"


def cli(*args, input: str | None = None):
    """Run the CLI in-process; the result has exit_code, stdout and stderr."""
    return CliRunner().invoke(app, [str(a) for a in args], input=input)


def cli_process(*args, input: bytes | None = None, timeout: float = 120, **kwargs):
    """Run ``python -m classifier`` as a separate process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "classifier", *map(str, args)],
        input=input, capture_output=True, timeout=timeout, cwd=kwargs.pop("cwd", REPO), **kwargs,
    )


def write_stories(folder: Path, count: int, extra: str = "") -> Path:
    """``count`` short stories, one text file each: a title, a paragraph about job cuts and a frozen budget, one
    about the weather, and ``extra`` as a last paragraph when given (the same in every story: a repeat)."""
    folder.mkdir(parents=True)
    for number in range(count):
        last = f"\n\n{extra}" if extra else ""
        (folder / f"{number:04d}.txt").write_text(
            f"Story {number}\n\nThe council in district {number} will cut {number} posts as its budget is frozen."
            f"\n\nA second paragraph, number {number}, about the weather in town {number}.{last}\n")
    return folder


QUICK_CV = ["--folds", 3, "--repeats", 2]  # `train` options: a cross-validation small enough for tests


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def small_training_file(tmp_path_factory) -> Path:
    """A few hundred paragraphs from the project's training data: enough for a real, quick model."""
    rows = []
    for path in sorted(TRAINING_DATA.glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        rows += [json.loads(line) for line in lines[::6] if line.strip()]
    return write_jsonl(tmp_path_factory.mktemp("data") / "small.jsonl", rows)


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory, small_training_file) -> Path:
    """A model trained through the CLI on the small training file."""
    out = tmp_path_factory.mktemp("models") / "small"
    result = cli("train", "--data", small_training_file, "--out", out, *QUICK_CV, "--c-grid", "3,10")
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture()
def model_copy(tmp_path, trained_model) -> Path:
    """A private copy of the trained model that a test may alter."""
    import shutil

    target = tmp_path / "model"
    shutil.copytree(trained_model, target)
    return target


