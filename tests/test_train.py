"""`classifier train`: the model directory it writes, its determinism and its errors."""

import json

import numpy as np

from conftest import QUICK_CV, cli, write_jsonl
from classifier.labels import LABELS


def test_train_writes_a_complete_model_and_prints_cv_metrics(trained_model, small_training_file, tmp_path):
    names = sorted(p.name for p in trained_model.iterdir())
    assert names == ["README.md", "lexicon.json", "metadata.json", "vocabulary.json", "weights.npz"]
    metadata = json.loads((trained_model / "metadata.json").read_text())
    assert metadata["format_version"] == 1
    assert metadata["labels"] == list(LABELS)
    assert set(metadata["thresholds"]) == set(LABELS)
    assert all(0 < t < 1 for t in metadata["thresholds"].values())
    for key in ("sklearn_version", "package_version", "training_data_sha256", "training_counts", "cv_metrics"):
        assert key in metadata
    assert metadata["cv_metrics"]["macro_f1"] > 0.6
    assert "threshold" in (trained_model / "README.md").read_text()

    result = cli("train", "--data", small_training_file, "--out", tmp_path / "again", *QUICK_CV, "--c-grid", "3")
    assert result.exit_code == 0
    assert "macro-F1" in result.stdout
    for label in LABELS:
        assert label in result.stdout


def test_training_twice_gives_identical_models_and_predictions(small_training_file, tmp_path):
    outs = [tmp_path / "one", tmp_path / "two"]
    for out in outs:
        assert cli("train", "--data", small_training_file, "--out", out, *QUICK_CV, "--c-grid", "3,10").exit_code == 0
    for name in ("metadata.json", "vocabulary.json", "lexicon.json", "weights.npz"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
    texts = ["The mill will shed 200 jobs.", "A judge blocked access to the tax records."]
    predictions = [cli("predict", "--json", "--model", out, *texts).stdout for out in outs]
    assert predictions[0] == predictions[1]


def test_train_accepts_a_folder_of_files(small_training_file, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    lines = small_training_file.read_text().splitlines()
    (folder / "a.jsonl").write_text("\n".join(lines[: len(lines) // 2]) + "\n")
    (folder / "b.jsonl").write_text("\n".join(lines[len(lines) // 2 :]) + "\n")
    result = cli("train", "--data", folder, "--out", tmp_path / "m", *QUICK_CV, "--c-grid", "3")
    assert result.exit_code == 0, result.stderr
    metadata = json.loads((tmp_path / "m" / "metadata.json").read_text())
    assert metadata["training_counts"]["paragraphs"] == len(lines)


def test_repeated_cross_validation_is_recorded_and_changes_the_choice_of_thresholds(small_training_file, tmp_path):
    chosen = {}
    for repeats in (1, 4):
        out = tmp_path / f"r{repeats}"
        result = cli("train", "--data", small_training_file, "--out", out, "--folds", 3, "--c-grid", "3",
                     "--repeats", repeats)
        assert result.exit_code == 0, result.stderr
        metadata = json.loads((out / "metadata.json").read_text())
        assert metadata["settings"]["repeats"] == repeats
        assert f"mean of {repeats} repeats of 3-fold" in (out / "README.md").read_text()
        chosen[repeats] = metadata["thresholds"]
    assert chosen[1] != chosen[4]
    assert cli("train", "--data", small_training_file, "--out", tmp_path / "r0", "--repeats", 0).exit_code == 2


def _one_line_error(result, *fragments):
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.stderr


def test_train_errors_are_one_line_with_exit_code_1(tmp_path, small_training_file):
    out = tmp_path / "model"
    _one_line_error(cli("train", "--data", tmp_path / "missing.jsonl", "--out", out), "no such file")

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine", "labels": []}\n{"text": "broken", \n')
    _one_line_error(cli("train", "--data", bad, "--out", out), "bad.jsonl:2", "not valid JSON")

    unknown = write_jsonl(tmp_path / "unknown.jsonl", [{"text": "x y", "labels": ["sports"]}])
    _one_line_error(cli("train", "--data", unknown, "--out", out), "unknown.jsonl:1", "unknown label 'sports'")

    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    _one_line_error(cli("train", "--data", empty, "--out", out), "no labelled paragraphs")

    rows = [json.loads(line) for line in small_training_file.read_text().splitlines()]
    no_funding = write_jsonl(tmp_path / "nofunding.jsonl",
                             [{"text": r["text"], "labels": [l for l in r["labels"] if l != "funding"]} for r in rows])
    _one_line_error(cli("train", "--data", no_funding, "--out", out, *QUICK_CV), "'funding' has 0 positive")

    not_object = tmp_path / "list.jsonl"
    not_object.write_text('["text", "labels"]\n')
    _one_line_error(cli("train", "--data", not_object, "--out", out), "expected a JSON object")
    assert not out.exists()


def test_train_usage_errors_exit_2(tmp_path, small_training_file):
    result = cli("train", "--data", small_training_file, "--out", tmp_path / "m", "--c-grid", "a,b")
    assert result.exit_code == 2
    assert cli("train", "--folds", "1").exit_code == 2
    assert cli("train", "--no-such-option").exit_code == 2


def test_retraining_replaces_the_model_whole(small_training_file, tmp_path, trained_model):
    out = tmp_path / "model"
    assert cli("train", "--data", small_training_file, "--out", out, *QUICK_CV, "--c-grid", "3").exit_code == 0
    first = (out / "weights.npz").read_bytes()
    assert cli("train", "--data", small_training_file, "--out", out, *QUICK_CV, "--c-grid", "10").exit_code == 0
    assert (out / "weights.npz").read_bytes() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]  # no staging or backup left behind
    with np.load(out / "weights.npz", allow_pickle=False) as arrays:
        assert arrays["coef"].shape[0] == len(LABELS)
