"""Killing `classifier train` and `classifier tag` at random moments, again and again: the previous model stays
intact and loadable, and `tag --resume` always ends with every paragraph tagged exactly once."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time

from conftest import QUICK_CV, REPO, cli, write_stories

SIGNALS = [signal.SIGKILL, signal.SIGINT]


def _start(args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "classifier", *map(str, args)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_after(process: subprocess.Popen, seconds: float, sig: signal.Signals) -> bool:
    """Send ``sig`` after ``seconds`` unless the process ended first; True when it was killed."""
    try:
        process.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(sig)
        process.wait(timeout=60)
        return True


def test_killing_train_never_leaves_a_broken_model(small_training_file, tmp_path):
    out = tmp_path / "model"
    command = ["train", "--data", small_training_file, "--out", out, *QUICK_CV, "--c-grid", "3,10"]
    assert cli(*command).exit_code == 0
    models = {(out / "weights.npz").read_bytes()}
    randomness = random.Random(7)
    killed = 0
    for attempt in range(10):
        # alternate two settings so a finished run changes the model, and kill at a random moment
        grid = "3,10" if attempt % 2 else "1,30"
        process = _start(["train", "--data", small_training_file, "--out", out, *QUICK_CV, "--c-grid", grid])
        killed += _kill_after(process, randomness.uniform(0.3, 3.0), SIGNALS[attempt % 2])
        result = cli("predict", "--json", "--model", out, "The plant will close and 300 jobs will go.")
        assert result.exit_code == 0, result.stderr
        assert (out / "weights.npz").is_file()
        models.add((out / "weights.npz").read_bytes())
        leftovers = [p.name for p in tmp_path.iterdir() if p.name != "model" and p.name != ".model.previous"]
        assert len(leftovers) <= 1 and all(name.endswith(".partial") for name in leftovers)  # at most the last one
    assert killed >= 5
    assert cli(*command).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]  # a finished training clears what kills left


def test_killing_tag_again_and_again_then_resuming_tags_every_paragraph_once(trained_model, tmp_path):
    archive = write_stories(tmp_path / "archive", 1200, extra="Photo: the town hall.")
    full = tmp_path / "full.jsonl"
    assert cli("tag", archive, "--model", trained_model, "--out", full, "--quiet").exit_code == 0
    out = tmp_path / "rows.jsonl"
    partial = tmp_path / "rows.jsonl.partial"
    base = ["tag", archive, "--model", trained_model, "--out", out, "--chunk-size", 1, "--quiet"]
    randomness = random.Random(11)
    killed = 0
    for attempt in range(12):
        if out.exists():
            break
        process = _start(base + (["--resume"] if partial.exists() else []))
        killed += _kill_after(process, randomness.uniform(0.5, 1.2), SIGNALS[attempt % 2])
    assert killed >= 3
    if not out.exists():
        result = subprocess.run([sys.executable, "-m", "classifier", *map(str, base), "--resume"], cwd=REPO,
                                capture_output=True, timeout=120)
        assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    keys = [(r["document"], r["paragraph"]) for r in rows]
    assert len(keys) == len(set(keys)) == 3600
    assert out.read_text() == full.read_text()
