"""`classifier evaluate`'s confusion, calibration and trade-off output, and its HTML report in a real browser."""

import json
import re
import shutil
import subprocess

import pytest

from conftest import cli, write_jsonl
from classifier.labels import LABELS

ROWS = [
    {"text": "The carmaker will lay off 2,000 workers and close its plant next spring.", "labels": ["layoffs"]},
    {"text": "A federal judge blocked the agency's access to the taxpayer database holding bank details.",
     "labels": ["data_access", "litigation"]},
    {"text": "Parliament approved a budget that raises school funding by 4 billion euros.", "labels": ["funding"]},
    {"text": "Hackers stole the medical records of 40,000 patients from the hospital.", "labels": ["data_access"]},
    {"text": "The striker scored twice as the home side won the derby.", "labels": []},
    {"text": "Nineteen states sued to reinstate the frozen grants, calling the freeze unlawful.",
     "labels": ["litigation", "funding"]},
    {"text": "The council will cut 300 jobs to close a hole in its budget.", "labels": ["layoffs", "funding"]},
    {"text": "Record crowds watched the final on centre court.", "labels": []},
]


@pytest.fixture()
def labelled(tmp_path):
    return write_jsonl(tmp_path / "eval.jsonl", ROWS)


def test_evaluate_json_reports_confusion_brier_reliability_and_tradeoff(trained_model, labelled):
    metrics = json.loads(cli("evaluate", "--data", labelled, "--model", trained_model, "--json").stdout)
    names = list(LABELS) + ["none"]
    assert set(metrics["confusion"]) == set(names)
    # every true label of every paragraph is counted once per predicted label (or none)
    assert sum(metrics["confusion"]["none"].values()) >= 2
    for label in LABELS:
        entry = metrics["labels"][label]
        assert 0.0 <= entry["brier"] <= 1.0
        assert sum(row["n"] for row in entry["reliability"]) == len(ROWS)
        current = [row for row in entry["tradeoff"] if row["is_model_threshold"]]
        assert len(current) == 1 and abs(current[0]["threshold"] - entry["threshold"]) < 1e-12
        assert abs(current[0]["f1"] - entry["f1"]) < 1e-12
        recalls = [row["recall"] for row in entry["tradeoff"]]
        assert recalls == sorted(recalls, reverse=True)  # a higher threshold never finds more


def test_brier_and_reliability_by_hand():
    import numpy as np

    from classifier.evaluation import brier_score, label_confusion, reliability_table

    assert brier_score(np.array([1.0, 0.0, 0.5]), np.array([1, 0, 1])) == pytest.approx(0.25 / 3)
    table = reliability_table(np.array([0.05, 0.06, 0.95, 0.91]), np.array([0, 1, 1, 1]), bins=10)
    assert table[0] == {"low": 0.0, "high": 0.1, "n": 2, "mean_score": pytest.approx(0.055), "fraction_positive": 0.5}
    assert table[9]["n"] == 2 and table[9]["fraction_positive"] == 1.0
    confusion = label_confusion(np.array([[1, 0], [0, 0], [0, 1]]), np.array([[0, 1], [0, 0], [0, 1]]), ("a", "b"))
    assert confusion["a"]["b"] == 1 and confusion["none"]["none"] == 1 and confusion["b"]["b"] == 1


def test_evaluate_text_output_has_the_extra_tables(trained_model, labelled):
    text = cli("evaluate", "--data", labelled, "--model", trained_model).stdout
    assert "true label (rows) given as (columns)" in text
    assert "if the threshold moved" in text and "reliability" in text


def test_report_is_one_self_contained_page(trained_model, labelled, tmp_path):
    report = tmp_path / "report.html"
    result = cli("evaluate", "--data", labelled, "--model", trained_model, "--report", report)
    assert result.exit_code == 0, result.stderr
    page = report.read_text()
    assert page.count("<img ") == 2 * len(LABELS)
    assert len(re.findall(r"src='data:image/png;base64,[A-Za-z0-9+/=]{200,}'", page)) == 2 * len(LABELS)
    assert "http://" not in page and "https://" not in page  # nothing fetched from elsewhere
    assert 'id="metrics"' in page and 'id="confusion"' in page
    assert "false positive" in page or "false negative" in page or "No errors" in page
    assert not (tmp_path / "report.html.partial").exists()


def test_report_into_a_missing_folder_is_a_clear_error(trained_model, labelled, tmp_path):
    result = cli("evaluate", "--data", labelled, "--model", trained_model, "--report", tmp_path / "no" / "r.html")
    assert result.exit_code == 1 and result.stderr.startswith("error: cannot write")


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.skipif(_chromium() is None, reason="no chromium on this machine (Debian package: chromium)")
def test_report_loads_in_headless_chromium_without_console_errors(trained_model, labelled, tmp_path):
    report = tmp_path / "report.html"
    cli("evaluate", "--data", labelled, "--model", trained_model, "--report", report)
    probe = tmp_path / "probe.html"
    # The probe page loads the report in a frame and writes what it finds into its own DOM, which chromium dumps.
    probe.write_text(
        "<!DOCTYPE html><html><body><iframe id='r' src='report.html'></iframe><pre id='out'>waiting</pre><script>"
        "document.getElementById('r').onload = function () {"
        "  var d = this.contentDocument;"
        "  var images = Array.from(d.images);"
        "  document.getElementById('out').textContent = JSON.stringify({"
        "    tables: d.querySelectorAll('table').length,"
        "    metricsRows: d.querySelectorAll('#metrics tr').length,"
        "    images: images.length,"
        "    decoded: images.filter(function (i) { return i.complete && i.naturalWidth > 100; }).length});"
        "};</script></body></html>"
    )
    result = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
         "--disable-background-networking", "--disable-component-update", "--allow-file-access-from-files",
         f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
         "--virtual-time-budget=10000", "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    found = json.loads(re.search(r"<pre id=\"out\">(.*?)</pre>", result.stdout).group(1).replace("&quot;", '"'))
    assert found["metricsRows"] == len(LABELS) + 1
    assert found["images"] == found["decoded"] == 2 * len(LABELS)
    assert found["tables"] >= 2 + len(LABELS)
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
