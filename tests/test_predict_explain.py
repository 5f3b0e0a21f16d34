"""`classifier predict`, `explain`, `keywords` and `evaluate` through the real CLI."""

import json

from conftest import cli, cli_process, write_jsonl
from classifier.labels import LABELS

LAYOFF = "The carmaker will lay off 2,000 workers and close its plant next spring, the union said."
COURT = "A federal judge issued an injunction on Friday and the agency said it would appeal the ruling in court."
NOTHING = "The striker scored twice as the home side won the derby on a sunny afternoon."


def test_predict_json_gives_labels_and_every_score(trained_model):
    result = cli("predict", "--json", "--model", trained_model, LAYOFF, NOTHING)
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == [LAYOFF, NOTHING]
    assert set(records[0]["scores"]) == set(LABELS)
    assert "layoffs" in records[0]["labels"]
    assert records[1]["labels"] == []
    for record in records:
        assert all(0.0 <= s <= 1.0 for s in record["scores"].values())


def test_a_label_is_given_exactly_when_its_score_reaches_its_threshold(trained_model):
    thresholds = json.loads((trained_model / "metadata.json").read_text())["thresholds"]
    result = cli("predict", "--json", "--model", trained_model, LAYOFF, COURT, NOTHING)
    for record in map(json.loads, result.stdout.splitlines()):
        expected = [label for label in LABELS if record["scores"][label] >= thresholds[label]]
        assert record["labels"] == expected


def test_predict_reads_paragraphs_from_a_file_and_from_stdin(trained_model, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(f"{LAYOFF}\r\n\r\n{COURT}\r\n\r\n\r\n{NOTHING}\r\n", encoding="utf-8")
    from_file = cli("predict", "--json", "--model", trained_model, "--file", path)
    assert [json.loads(line)["text"] for line in from_file.stdout.splitlines()] == [LAYOFF, COURT, NOTHING]
    from_stdin = cli_process("predict", "--json", "--model", trained_model, "--file", "-",
                             input=f"{LAYOFF}\n\n{NOTHING}\n".encode())
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert [json.loads(line)["text"] for line in from_stdin.stdout.splitlines()] == [LAYOFF, NOTHING]


def test_predict_readable_output_marks_assigned_labels(trained_model):
    result = cli("predict", "--model", trained_model, LAYOFF)
    assert result.stdout.startswith("[1] ")
    assert "layoffs" in result.stdout.splitlines()[0]
    assert "*" in result.stdout


def test_predict_errors(trained_model, tmp_path):
    no_input = cli("predict", "--model", trained_model)
    assert no_input.exit_code == 2 and "usage error" in no_input.stderr
    missing = cli("predict", "--model", trained_model, "--file", tmp_path / "nope.txt")
    assert missing.exit_code == 1 and missing.stderr.startswith("error: ") and "nope.txt" in missing.stderr
    blank = tmp_path / "blank.txt"
    blank.write_text("\n \n\n")
    empty = cli("predict", "--model", trained_model, "--file", blank)
    assert empty.exit_code == 1 and "empty" in empty.stderr
    no_model = cli("predict", "--model", tmp_path / "no-model", LAYOFF)
    assert no_model.exit_code == 1 and "no model directory" in no_model.stderr


def test_predict_uses_the_shipped_default_model_without_model_option():
    result = cli_process("predict", "--json", LAYOFF, cwd="/")
    assert result.returncode == 0, result.stderr
    assert "layoffs" in json.loads(result.stdout)["labels"]


def test_explain_shows_the_terms_that_moved_each_label(trained_model):
    result = cli("explain", "--model", trained_model, LAYOFF)
    assert result.exit_code == 0, result.stderr
    for label in LABELS:
        assert f"{label}: p=" in result.stdout
    as_json = json.loads(cli("explain", "--json", "--model", trained_model, LAYOFF).stdout)
    layoffs = next(item for item in as_json if item["label"] == "layoffs")
    assert layoffs["assigned"] is True
    up_terms = [c["term"] for c in layoffs["up"]]
    assert any(word in " ".join(up_terms) for word in ("lay", "off", "workers", "close", "plant"))
    assert all(c["weight"] > 0 for c in layoffs["up"]) and all(c["weight"] < 0 for c in layoffs["down"])
    words = " ".join(LAYOFF.lower().replace(",", " ").split())
    for term in up_terms:
        if term.startswith("lexicon:"):  # a lexicon feature names the phrases it found
            assert term.startswith("lexicon:layoffs (")
            assert all(phrase in words for phrase in term[len("lexicon:layoffs ("):-1].split(", "))
        else:
            assert term in words


def test_keywords_lists_strong_terms_per_label(trained_model):
    result = cli("keywords", "--model", trained_model, "--top", 5, "--json")
    keywords = json.loads(result.stdout)
    assert set(keywords) == set(LABELS)
    for label in LABELS:
        weights = [c["weight"] for c in keywords[label]["positive"]]
        assert len(weights) == 5 and weights == sorted(weights, reverse=True) and weights[0] > 0
    text = cli("keywords", "--model", trained_model, "--label", "litigation").stdout
    assert text.startswith("litigation: ")
    assert cli("keywords", "--model", trained_model, "--label", "sport").exit_code == 2


def test_evaluate_reports_per_label_and_averaged_metrics(trained_model, tmp_path):
    data = write_jsonl(tmp_path / "eval.jsonl", [
        {"text": LAYOFF, "labels": ["layoffs"]},
        {"text": COURT, "labels": ["litigation"]},
        {"text": NOTHING, "labels": []},
        {"text": "Hackers stole the medical records of 40,000 patients from the hospital's database.",
         "labels": ["data_access"]},
        {"text": "Parliament approved a budget that raises school funding by 4 billion euros.", "labels": ["funding"]},
    ])
    result = cli("evaluate", "--data", data, "--model", trained_model, "--json")
    assert result.exit_code == 0, result.stderr
    metrics = json.loads(result.stdout)
    assert metrics["n"] == 5
    assert set(metrics["labels"]) == set(LABELS)
    for label in LABELS:
        assert set(metrics["labels"][label]) >= {"precision", "recall", "f1", "support"}
        assert metrics["labels"][label]["support"] == 1
    assert 0 <= metrics["micro_f1"] <= 1
    f1s = [metrics["labels"][label]["f1"] for label in LABELS]
    assert abs(metrics["macro_f1"] - sum(f1s) / 4) < 1e-12
    table = cli("evaluate", "--data", data, "--model", trained_model).stdout
    assert "macro-F1" in table and "layoffs" in table
    bad = cli("evaluate", "--data", tmp_path / "none.jsonl", "--model", trained_model)
    assert bad.exit_code == 1


def test_every_command_has_help_with_defaults():
    for command in ("train", "evaluate", "predict", "explain", "keywords", "tag"):
        result = cli(command, "--help")
        assert result.exit_code == 0
        assert "Usage" in result.stdout
    assert "training_data" in cli("train", "--help").stdout
