"""A table of bad inputs, each through the real CLI: a clear message or a reported problem, the right exit code,
and no partial or corrupt output left behind."""

from __future__ import annotations

import gzip
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import QUICK_CV, cli, write_jsonl

PARAGRAPH = "The department will lay off 1,300 probationary employees next week, officials said."


@dataclass
class Case:
    name: str
    setup: Callable[[Path], list]  # builds the inputs in a folder, returns the CLI arguments (before --model)
    exit_code: int
    message: str = ""  # expected in stderr (exit 1/2) or in the errors file (exit 3)
    rows: int | None = None  # rows expected in the output, when one is written


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _tag(*paths) -> list:
    return ["tag", *paths]


def _training(folder: Path, rows) -> list:
    return ["train", "--data", write_jsonl(folder / "train.jsonl", rows), "--out", folder / "newmodel", *QUICK_CV]


def _csv_ragged(d: Path) -> list:
    return _tag(_write(d / "a.csv", f"id,text\n1,\"{PARAGRAPH}\"\n2,too,many,fields\n3\n"))


def _symlink_loop(d: Path) -> list:
    (d / "arch" / "sub").mkdir(parents=True)
    _write(d / "arch" / "story.txt", f"Title\n\n{PARAGRAPH}\n")
    os.symlink(d / "arch", d / "arch" / "sub" / "loop")  # a folder link back up
    os.symlink(d / "arch" / "self.txt", d / "arch" / "self.txt")  # a file link to itself
    return _tag(d / "arch")


def _truncated_warc(d: Path) -> list:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for number in range(3):
        body = f"<html><body><article><p>{PARAGRAPH} Story {number}.</p></article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://x.example/{number}", "response",
                                                      payload=BytesIO(body), http_headers=headers))
    data = buffer.getvalue()
    return _tag(_write(d / "cut.warc.gz", data[: int(len(data) * 0.8)]))


def _no_positive_label(d: Path) -> list:
    rows = [{"text": f"{PARAGRAPH} {n}", "labels": ["layoffs"]} for n in range(6)]
    rows += [{"text": f"A paragraph about the weather number {n} in town.", "labels": []} for n in range(6)]
    return _training(d, rows)


CASES = [
    Case("empty file", lambda d: _tag(_write(d / "a.txt", b"")), 0, rows=0),
    Case("only blank lines", lambda d: _tag(_write(d / "a.txt", "\n\n  \n\t\n")), 0, rows=0),
    Case("predict: empty file", lambda d: ["predict", "--file", _write(d / "a.txt", b"")], 1, "input is empty"),
    Case("predict: only blank lines", lambda d: ["predict", "--file", _write(d / "a.txt", "\n \n\n")], 1,
         "input is empty"),
    Case("50 MB single paragraph", lambda d: _tag(_write(d / "big.txt", "Title\n\n" + ("word " * 10_000_000))), 0,
         rows=1),
    Case("binary file", lambda d: _tag(_write(d / "a.txt", bytes(range(256)) * 40)), 3, "binary file"),
    Case("predict: binary file", lambda d: ["predict", "--file", _write(d / "a.bin", b"\x00\x01\xff" * 50)], 1,
         "binary file"),
    Case("invalid UTF-8 (read as Windows-1252)", lambda d: _tag(_write(d / "a.txt", b"T\n\nCaf\xe9 \xa3300 " + b"x" * 20)),
         0, rows=1),
    Case("UTF-16 with BOM", lambda d: _tag(_write(d / "a.txt", f"Title\n\n{PARAGRAPH}\n\nSecond one.".encode("utf-16"))),
         0, rows=2),
    Case("CRLF line ends", lambda d: _tag(_write(d / "a.txt", f"Title\r\n\r\n{PARAGRAPH}\r\n\r\nTwo.\r\n")), 0, rows=2),
    Case("CR line ends", lambda d: _tag(_write(d / "a.txt", f"Title\r\r{PARAGRAPH}\r\rTwo.\r")), 0, rows=2),
    Case("NUL bytes in text", lambda d: _tag(_write(d / "a.txt", f"Title\n\n{PARAGRAPH}\x00\x00 more.\n")), 0, rows=1),
    Case("JSON line that is not an object", lambda d: _tag(_write(d / "a.jsonl", '["a", "b"]\n')), 3,
         "not a JSON object"),
    Case("JSON line with no text", lambda d: _tag(_write(d / "a.jsonl", '{"id": 1, "body": "x"}\n')), 3,
         "no string field 'text'"),
    Case("JSON text that is a number", lambda d: _tag(_write(d / "a.jsonl", '{"text": 42}\n')), 3,
         "no string field 'text'"),
    Case("JSON Lines with a BOM", lambda d: _tag(_write(d / "a.jsonl", b"\xef\xbb\xbf" + json.dumps(
        {"text": PARAGRAPH}).encode() + b"\n")), 0, rows=1),
    Case("truncated JSON line", lambda d: _tag(_write(d / "a.jsonl", json.dumps({"text": PARAGRAPH}) + '\n{"text": "cut')),
         3, "not valid JSON"),
    Case("CSV missing its text column", lambda d: _tag(_write(d / "a.csv", "id,body\n1,hello\n")), 3,
         "no column 'text'"),
    Case("CSV with ragged rows", _csv_ragged, 3, "fields where the header has 2"),
    Case("CSV that is empty", lambda d: _tag(_write(d / "a.csv", b"")), 3, "no header row"),
    Case("CSV with a quoted multi-line field", lambda d: _tag(_write(d / "a.csv", f'text\n"{PARAGRAPH}\n\nTwo."\n')),
         0, rows=2),
    Case("HTML with no body", lambda d: _tag(_write(d / "a.html", "<html><head><title>x</title></head></html>")), 3,
         "no article text"),
    Case("truncated WARC", _truncated_warc, 3, "WARC"),
    Case("gzip that is not", lambda d: _tag(_write(d / "a.warc.gz", "this is plain text, not gzip\n" * 20)), 3,
         "not a readable WARC"),
    Case("symlink loops in a folder", _symlink_loop, 3, "cannot read", rows=1),
    Case("a path that does not exist", lambda d: _tag(d / "missing.txt"), 3, "no such file"),
    Case("dangling symlink", lambda d: (os.symlink(d / "gone.txt", d / "link.txt"), _tag(d / "link.txt"))[1], 3,
         "no such file"),
    Case("output folder that does not exist",
         lambda d: _tag(_write(d / "a.txt", f"T\n\n{PARAGRAPH}")) + ["--out", d / "no" / "such" / "out.jsonl"], 1,
         "does not exist"),
    Case("output that exists, no --force",
         lambda d: _tag(_write(d / "a.txt", f"T\n\n{PARAGRAPH}")) + ["--out", _write(d / "out.jsonl", "keep\n")], 1,
         "--force"),
    Case("unknown --format", lambda d: _tag(d) + ["--format", "xml"], 2, "--format"),
    Case("training label not in the label set",
         lambda d: _training(d, [{"text": PARAGRAPH, "labels": ["sport"]}]), 1, "unknown label 'sport'"),
    Case("training labels not a list", lambda d: _training(d, [{"text": PARAGRAPH, "labels": "layoffs"}]), 1,
         "must be a list"),
    Case("training text empty", lambda d: _training(d, [{"text": "  ", "labels": []}]), 1, "non-empty string"),
    Case("training data with a label that has no positives", _no_positive_label, 1, "has 0 positive"),
    Case("training data that is not UTF-8", lambda d: ["train", "--data", _write(d / "t.jsonl", b"\xff\xfe\x00bad"),
                                                       "--out", d / "m"], 1, "not UTF-8"),
    Case("model path that is a file", lambda d: ["predict", "--model", _write(d / "model", "x"), PARAGRAPH], 1,
         "no model directory"),
    Case("evaluate data that does not exist", lambda d: ["evaluate", "--data", d / "none.jsonl"], 1, "no such file"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path, trained_model):
    inputs = tmp_path / "in"
    inputs.mkdir()
    args = case.setup(inputs)
    out = tmp_path / "rows.jsonl"
    if args[0] == "tag" and "--out" not in args and case.exit_code != 2:
        args += ["--out", out]
    if args[0] != "train" and "--model" not in args and case.exit_code != 2:
        args += ["--model", trained_model]
    result = cli(*args)
    assert result.exit_code == case.exit_code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    if case.exit_code in (1, 2):
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and case.message in lines[0], result.stderr
    if case.exit_code == 3:
        errors = [json.loads(line) for line in (tmp_path / "rows.jsonl.errors.jsonl").read_text().splitlines()]
        assert errors and any(case.message in e["reason"] for e in errors), errors
    if case.rows is not None:
        assert len(out.read_text().splitlines()) == case.rows
    leftovers = [p.name for p in tmp_path.rglob("*") if p.name.endswith((".partial", ".converting"))]
    assert leftovers == []
    assert not (inputs / "newmodel").exists() or case.exit_code == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes regardless of file permissions")
def test_unreadable_file_and_read_only_output_folder(tmp_path, trained_model):
    story = _write(tmp_path / "in" / "a.txt", f"T\n\n{PARAGRAPH}")
    secret = _write(tmp_path / "in" / "b.txt", f"T\n\n{PARAGRAPH}")
    secret.chmod(0)
    out = tmp_path / "rows.jsonl"
    result = cli("tag", tmp_path / "in", "--model", trained_model, "--out", out)
    assert result.exit_code == 3 and "cannot read" in (tmp_path / "rows.jsonl.errors.jsonl").read_text()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    result = cli("tag", story, "--model", trained_model, "--out", locked / "rows.jsonl")
    assert result.exit_code == 1 and "cannot write" in result.stderr


def test_a_file_name_that_is_not_utf8_is_tagged_and_reported(tmp_path, trained_model):
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9-story.txt")
    (folder / name).write_text(f"T\n\n{PARAGRAPH}")
    out = tmp_path / "rows.jsonl"
    result = cli("tag", folder, "--model", trained_model, "--out", out)
    assert result.exit_code == 0, result.stderr
    row = json.loads(out.read_text())
    assert row["document"].endswith("caf\udce9-story.txt")


def test_a_full_disk_while_tagging_keeps_finished_rows_and_says_so(tmp_path, trained_model, monkeypatch):
    import errno

    import classifier.writers as writers

    folder = tmp_path / "in"
    for number in range(30):
        _write(folder / f"{number:02d}.txt", f"T\n\n{PARAGRAPH} {number}\n\nSecond paragraph {number}.")
    written = {"chunks": 0}
    original = writers.Spool.append

    def append_until_full(self, rows):
        written["chunks"] += 1
        if written["chunks"] > 3:
            raise writers._os_error(self.path, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
        original(self, rows)

    monkeypatch.setattr(writers.Spool, "append", append_until_full)
    out = tmp_path / "rows.jsonl"
    result = cli("tag", folder, "--model", trained_model, "--out", out, "--chunk-size", 4)
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert not out.exists()
    kept = (tmp_path / "rows.jsonl.partial").read_text().splitlines()
    assert len(kept) == 12 and all(json.loads(line) for line in kept)
    monkeypatch.setattr(writers.Spool, "append", original)
    assert cli("tag", folder, "--model", trained_model, "--out", out, "--resume").exit_code == 0
    assert len(out.read_text().splitlines()) == 60


def test_a_full_disk_while_saving_a_model_keeps_the_previous_one(tmp_path, small_training_file, monkeypatch):
    import errno

    import classifier.store as store

    out = tmp_path / "model"
    assert cli("train", "--data", small_training_file, "--out", out, *QUICK_CV, "--c-grid", "3").exit_code == 0
    before = (out / "weights.npz").read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store.np, "savez", full)
    result = cli("train", "--data", small_training_file, "--out", out, *QUICK_CV, "--c-grid", "10")
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert (out / "weights.npz").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="no sysfs here")
def test_an_output_folder_nobody_may_write_to(tmp_path, trained_model, small_training_file):
    """sysfs refuses new files even to root: a read-only folder that the permission test above cannot give."""
    story = _write(tmp_path / "in" / "a.txt", f"T\n\n{PARAGRAPH}")
    result = cli("tag", story, "--model", trained_model, "--out", "/sys/kernel/rows.jsonl")
    assert result.exit_code == 1 and "cannot write" in result.stderr and "Permission denied" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    report = cli("evaluate", "--data", write_jsonl(tmp_path / "e.jsonl", [{"text": PARAGRAPH, "labels": ["layoffs"]}]),
                 "--model", trained_model, "--report", "/sys/kernel/report.html")
    assert report.exit_code == 1 and "cannot write" in report.stderr
    model = cli("train", "--data", small_training_file, "--out", "/sys/kernel/model", *QUICK_CV, "--c-grid", "3")
    assert model.exit_code == 1 and model.stderr.startswith("error: cannot write the model")
