"""`classifier tag`: readers, outputs, repeats, errors, parallel workers and resume, through the real CLI."""

import csv
import io
import json
import signal
import subprocess
import sys
import time

import pytest

from conftest import REPO, cli, write_stories
from classifier.labels import LABELS

STORY = """Mill to close with loss of 420 jobs

The town's last textile mill will shut in the spring, with the loss of 420 jobs, its owners said.

Union officials called the closure a hammer blow and said they would fight the redundancies.

Photo: the mill gates on Tuesday, the "last shift".

Photo: the mill  gates on Tuesday, the “last shift”.
"""


def rows_of(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture()
def archive(tmp_path):
    """A small archive in every format the tagger reads, with one malformed JSON line."""
    root = tmp_path / "archive"
    (root / "2004").mkdir(parents=True)
    (root / "2004" / "mill.txt").write_text(STORY, encoding="utf-8")
    (root / "2004" / "notes.md").write_text("# Harbour notes\n\nThe harbour festival drew record crowds.\n")
    (root / "export.jsonl").write_text(
        json.dumps({"id": "a1", "text": "A judge blocked the agency's access to the tax records.\n\nMore soon."}) + "\n"
        + "{broken\n"
        + json.dumps({"id": "a2", "text": "Parliament approved a budget with more money for schools."}) + "\n"
    )
    with open(root / "sheet.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "text"])
        writer.writerow(["r1", "Breach", "Hackers stole the medical records of 40,000 patients."])
        writer.writerow(["r2", "Sport", "The home side won the derby."])
    (root / "page.html").write_text(
        "<html><head><title>Grant freeze halted</title></head><body><nav>Home | News</nav><article>"
        "<h1>Grant freeze halted</h1><p>A federal judge ordered the department to release research grants it had "
        "frozen last month, ruling that the freeze ignored the budget passed by Congress.</p><p>The department "
        "said it would study the decision before saying whether it would appeal.</p></article>"
        "<footer>All rights reserved.</footer></body></html>"
    )
    (root / ".hidden.txt").write_text("Hidden\n\nThis must not be read.\n")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    return root


def test_tag_reads_every_format_and_reports_bad_lines(archive, trained_model, tmp_path):
    out = tmp_path / "rows.jsonl"
    result = cli("tag", archive, "--model", trained_model, "--out", out, "--with-text", "--quiet")
    assert result.exit_code == 3, result.stderr  # the malformed JSON line went to the errors file
    rows = rows_of(out.read_text())
    documents = [row["document"] for row in rows]
    assert documents == sorted(documents, key=lambda d: documents.index(d))  # grouped per document, in walk order
    by_doc = {}
    for row in rows:
        by_doc.setdefault(row["document"].replace(str(archive) + "/", ""), []).append(row)
    assert sorted(by_doc) == ["2004/mill.txt", "2004/notes.md", "export.jsonl#a1", "export.jsonl#a2",
                              "page.html", "sheet.csv#r1", "sheet.csv#r2"]
    assert [r["paragraph"] for r in by_doc["2004/mill.txt"]] == [0, 1, 2, 3]
    assert by_doc["2004/mill.txt"][0]["text"].startswith("The town's last textile mill")  # title not a paragraph
    assert "layoffs" in by_doc["2004/mill.txt"][0]["labels"]
    assert len(by_doc["export.jsonl#a1"]) == 2
    assert any("judge" in r["text"] for r in by_doc["page.html"])
    assert not any("Home | News" in r["text"] or "rights reserved" in r["text"] for r in by_doc["page.html"])
    for row in rows:
        assert set(row) == {"document", "paragraph", "labels", *LABELS, "repeat_of", "text"}
    errors = rows_of((tmp_path / "rows.jsonl.errors.jsonl").read_text())
    assert errors == [{"path": str(archive / "export.jsonl"), "where": "line 2",
                       "reason": "not valid JSON (Expecting property name enclosed in double quotes)"}]


def test_repeated_paragraphs_are_scored_once_and_point_to_the_first(archive, trained_model):
    result = cli("tag", archive / "2004" / "mill.txt", "--model", trained_model, "--format", "jsonl", "--quiet")
    rows = rows_of(result.stdout)
    assert rows[2]["repeat_of"] is None
    assert rows[3]["repeat_of"] == f"{archive / '2004' / 'mill.txt'}#2"
    assert {k: rows[3][k] for k in LABELS} == {k: rows[2][k] for k in LABELS}
    assert "(1 repeats)" in cli("tag", archive / "2004", "--model", trained_model, "--format", "jsonl").stderr


def test_jobs_2_gives_the_same_rows_as_jobs_1(archive, trained_model, tmp_path):
    outputs = []
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}.jsonl"
        cli("tag", archive, "--model", trained_model, "--out", out, "--jobs", jobs, "--chunk-size", 2, "--quiet")
        outputs.append(out.read_text())
    assert outputs[0] == outputs[1] and len(rows_of(outputs[0])) > 8


def test_jobs_2_scores_here_while_the_workers_start_and_in_the_workers_after(trained_model):
    stories = [json.dumps({"id": f"s{number}", "text": f"The council will cut {number} posts as its budget is "
                           f"frozen, and a judge ordered the agency to restore access to the tax records of "
                           f"{number} thousand people."}) + "\n" for number in range(160)]
    first, rest = "".join(stories[:80]).encode(), "".join(stories[80:]).encode()
    assert len(first) > 8192  # the reader takes this first block at once
    command = [sys.executable, "-m", "classifier", "tag", "-", "--reader", "jsonl", "--model", str(trained_model),
               "--format", "jsonl", "--chunk-size", "2", "--jobs", "2", "--quiet"]
    run = subprocess.Popen(command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    run.stdin.write(first)
    run.stdin.flush()
    time.sleep(5)  # the first block is scored in the main process; by now the workers have started
    parallel, _ = run.communicate(rest, timeout=120)
    single = cli("tag", "-", "--reader", "jsonl", "--model", trained_model, "--format", "jsonl", "--quiet",
                 input=(first + rest).decode())
    assert run.returncode == 0 and parallel.decode() == single.stdout and len(rows_of(single.stdout)) == 160


def test_csv_parquet_and_table_outputs_hold_the_same_rows(archive, trained_model, tmp_path):
    cli("tag", archive, "--model", trained_model, "--out", tmp_path / "r.jsonl", "--quiet")
    reference = rows_of((tmp_path / "r.jsonl").read_text())
    cli("tag", archive, "--model", trained_model, "--out", tmp_path / "r.csv", "--quiet")
    with open(tmp_path / "r.csv", newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [(r["document"], int(r["paragraph"]), r["labels"]) for r in table] == [
        (r["document"], r["paragraph"], ";".join(r["labels"])) for r in reference]
    assert [float(r["layoffs"]) for r in table] == [r["layoffs"] for r in reference]

    pq = pytest.importorskip("pyarrow.parquet")
    cli("tag", archive, "--model", trained_model, "--out", tmp_path / "r.parquet", "--quiet")
    parquet = pq.read_table(tmp_path / "r.parquet").to_pylist()
    assert parquet == reference

    table_text = cli("tag", archive / "2004", "--model", trained_model, "--format", "table").stdout
    assert table_text.splitlines()[0].split()[:3] == ["document", "par", "labels"]
    assert "textile mill" in table_text


def test_summary_has_one_row_per_document(archive, trained_model, tmp_path):
    summary = tmp_path / "summary.jsonl"
    cli("tag", archive / "2004", "--model", trained_model, "--out", tmp_path / "r.jsonl", "--summary", summary)
    records = rows_of(summary.read_text())
    assert [r["document"].rsplit("/", 1)[-1] for r in records] == ["mill.txt", "notes.md"]
    mill = records[0]
    assert mill["title"] == "Mill to close with loss of 420 jobs" and mill["paragraphs"] == 4
    assert mill["counts"]["layoffs"] >= 1 and 0.5 < mill["max_scores"]["layoffs"] <= 1


def test_stdin_and_reader_options(trained_model):
    jsonl = json.dumps({"story": "The plant will cut 500 jobs.", "key": "k9"}) + "\n"
    result = cli("tag", "-", "--reader", "jsonl", "--text-field", "story", "--id-field", "key",
                 "--model", trained_model, "--format", "jsonl", input=jsonl)
    assert result.exit_code == 0, result.stderr
    assert rows_of(result.stdout)[0]["document"] == "-#k9"


def test_existing_output_is_kept_without_force(archive, trained_model, tmp_path):
    out = tmp_path / "rows.jsonl"
    out.write_text("precious\n")
    result = cli("tag", archive, "--model", trained_model, "--out", out)
    assert result.exit_code == 1 and "--force" in result.stderr
    assert out.read_text() == "precious\n"
    assert cli("tag", archive, "--model", trained_model, "--out", out, "--force").exit_code == 3
    assert out.read_text() != "precious\n"


def test_usage_errors(archive, trained_model, tmp_path):
    assert cli("tag", archive, "--format", "xml").exit_code == 2
    assert cli("tag", archive, "--reader", "pdf").exit_code == 2
    assert cli("tag", archive, "--resume").exit_code == 2
    missing_folder = cli("tag", archive, "--model", trained_model, "--out", tmp_path / "no" / "rows.jsonl")
    assert missing_folder.exit_code == 1 and "does not exist" in missing_folder.stderr


def test_resume_after_a_torn_write_completes_without_loss_or_duplicates(archive, trained_model, tmp_path):
    full = tmp_path / "full.jsonl"
    cli("tag", archive, "--model", trained_model, "--out", full, "--quiet")
    lines = full.read_text().splitlines(keepends=True)
    out = tmp_path / "rows.jsonl"
    (tmp_path / "rows.jsonl.partial").write_text("".join(lines[:5]) + lines[5][:17])  # killed mid-line
    assert cli("tag", archive, "--model", trained_model, "--out", out, "--quiet").exit_code == 1  # needs --resume
    result = cli("tag", archive, "--model", trained_model, "--out", out, "--resume", "--quiet")
    assert result.exit_code == 3
    assert out.read_text() == full.read_text()
    assert not (tmp_path / "rows.jsonl.partial").exists()


def test_resume_refuses_a_partial_output_of_other_inputs(archive, trained_model, tmp_path):
    (tmp_path / "rows.jsonl.partial").write_text(json.dumps({"document": "elsewhere", "paragraph": 0}) + "\n")
    result = cli("tag", archive, "--model", trained_model, "--out", tmp_path / "rows.jsonl", "--resume")
    assert result.exit_code == 1 and "does not match" in result.stderr


def test_sigint_leaves_finished_rows_and_resume_completes_them(trained_model, tmp_path):
    archive = write_stories(tmp_path / "big", 300)
    full = tmp_path / "full.jsonl"
    cli("tag", archive, "--model", trained_model, "--out", full, "--quiet")
    out = tmp_path / "rows.jsonl"
    command = [sys.executable, "-m", "classifier", "tag", str(archive), "--model", str(trained_model),
               "--out", str(out), "--chunk-size", "1", "--quiet"]
    process = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE)
    partial = tmp_path / "rows.jsonl.partial"
    deadline = time.time() + 60
    while time.time() < deadline and (not partial.exists() or partial.stat().st_size < 2000):
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert b"--resume" in stderr
    kept = partial.read_text()
    assert 0 < len(kept.splitlines()) < 600
    result = subprocess.run(command + ["--resume"], cwd=REPO, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.read_text() == full.read_text()


def test_warc_html_responses_become_documents_and_other_records_are_reported(trained_model, tmp_path):
    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        pages = [
            ("https://news.example/a", "text/html; charset=utf-8",
             b"<html><head><title>Data deal</title></head><body><article><p>The health service agreed to share "
             b"patient records with a private analytics firm, raising alarm among privacy campaigners who said "
             b"millions of people had not been asked.</p></article></body></html>"),
            ("https://news.example/b.json", "application/json", b'{"not": "html"}'),
        ]
        for uri, content_type, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    out = tmp_path / "rows.jsonl"
    result = cli("tag", path, "--model", trained_model, "--out", out, "--with-text", "--quiet")
    assert result.exit_code == 3
    rows = rows_of(out.read_text())
    assert len(rows) == 1 and rows[0]["document"].startswith(f"{path}#urn:uuid:")
    assert "patient records" in rows[0]["text"] and "data_access" in rows[0]["labels"]
    errors = rows_of((tmp_path / "rows.jsonl.errors.jsonl").read_text())
    assert len(errors) == 1 and "not HTML" in errors[0]["reason"] and "b.json" in errors[0]["where"]


def test_readme_quickstart_runs_on_the_shipped_examples():
    result = cli("tag", REPO / "examples" / "archive", "--format", "table")
    assert result.exit_code == 0, result.stderr
    assert "layoffs" in result.stdout and "data_access" in result.stdout


def test_repeats_are_found_within_the_repeat_window_only(trained_model, tmp_path):
    archive = tmp_path / "wire"
    archive.mkdir()
    caption = "Photo: the harbour at dawn, taken from the old lighthouse."
    (archive / "000.txt").write_text(f"First\n\n{caption}\n")
    for number in range(1, 40):
        (archive / f"{number:03d}.txt").write_text(f"Story {number}\n\nParagraph about town {number}: " + "word " * number)
    (archive / "040.txt").write_text(f"Last\n\n{caption}\n")
    wide = rows_of(cli("tag", archive, "--model", trained_model, "--format", "jsonl", "--quiet").stdout)
    assert wide[-1]["repeat_of"] == f"{archive / '000.txt'}#0"
    narrow = rows_of(cli("tag", archive, "--model", trained_model, "--format", "jsonl", "--quiet",
                         "--repeat-window", 8, "--chunk-size", 4).stdout)
    assert narrow[-1]["repeat_of"] is None  # too far back: scored again as new
    assert {k: narrow[-1][k] for k in LABELS} == {k: wide[-1][k] for k in LABELS}
