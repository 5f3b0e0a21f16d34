"""`classifier tag --engine dask` on a real `distributed` scheduler with two worker processes on loopback: the
same rows and errors as the local engine, nothing lost when a worker is killed, and resume."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, cli

distributed = pytest.importorskip("distributed")

DASK = [sys.executable, "-m", "distributed.cli.dask_scheduler"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def cluster(tmp_path):
    """A scheduler and two single-threaded worker processes, each started as its own program."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = open(tmp_path / "cluster.log", "w")
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                  "--port", str(port), "--no-dashboard"], stdout=logs, stderr=logs, cwd=REPO)
    workers = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "1",
                                 "--nthreads", "1", "--no-dashboard", "--no-nanny"], stdout=logs, stderr=logs,
                                cwd=REPO) for _ in range(2)]
    with distributed.Client(address, timeout="60s") as client:
        client.wait_for_workers(2, timeout=60)
    yield address, workers
    for process in workers + [scheduler]:
        process.kill()
        process.wait(timeout=30)
    logs.close()


def _archive(root: Path, stories: int = 40) -> Path:
    """Text files, a JSON Lines export big enough to split into shards (with mixed line ends), repeats across
    files, and bad lines."""
    root.mkdir()
    caption = "Photo: the harbour at dawn, seen from the old lighthouse."
    for number in range(stories):
        (root / f"{number:03d}.txt").write_text(
            f"Story {number}\n\nThe council in district {number} will cut {number} posts as its budget is frozen."
            f"\n\n{caption}\n\nA judge in case {number} ordered the agency to restore access to the records.\n")
    lines = []
    for number in range(300):
        text = f"The hospital {number} said hackers stole patient records.\n\n{caption}"
        lines.append(json.dumps({"id": f"w{number}", "text": text}))
        if number % 97 == 0:
            lines.append("{not json")
    # Old Mac, Windows and Unix line ends in one file: the shards must number lines as the local reader does.
    ends = ["\r" if number < 60 else "\r\n" if number < 120 else "\n" for number in range(len(lines))]
    (root / "wire.jsonl").write_bytes("".join(line + end for line, end in zip(lines, ends)).encode())
    (root / "broken.csv").write_text("id,body\n1,no text column here\n")
    return root


def _local_rows(archive: Path, model: Path, out: Path, *extra) -> tuple[list[dict], list[dict]]:
    result = cli("tag", archive, "--model", model, "--out", out, "--quiet", *extra)
    assert result.exit_code == 3, result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    errors = [json.loads(line) for line in Path(f"{out}.errors.jsonl").read_text().splitlines()]
    return rows, errors


def _dask_rows(out: Path) -> tuple[list[dict], list[dict]]:
    from classifier.dask_engine import read_output

    errors_file = out / "errors.jsonl"
    errors = [json.loads(line) for line in errors_file.read_text().splitlines()] if errors_file.exists() else []
    return read_output(out), errors


def test_dask_engine_gives_exactly_the_local_rows_and_errors(cluster, trained_model, tmp_path):
    address, _ = cluster
    archive = _archive(tmp_path / "archive")
    local, local_errors = _local_rows(archive, trained_model, tmp_path / "local.jsonl", "--with-text",
                                      "--summary", tmp_path / "local-summary.jsonl")
    out = tmp_path / "parts"
    result = cli("tag", archive, "--engine", "dask", "--scheduler", address, "--model", trained_model, "--out", out,
                 "--shard-mb", 0.01, "--with-text", "--summary", tmp_path / "summary.jsonl", "--quiet")
    assert result.exit_code == 3, result.stderr
    rows, errors = _dask_rows(out)
    assert rows == local
    assert errors == local_errors
    summaries = (tmp_path / "summary.jsonl").read_text().splitlines()
    assert summaries == (tmp_path / "local-summary.jsonl").read_text().splitlines()
    assert len(summaries) == 40 + 300  # one line per story file and per exported story
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["rows"] == len(local) and len(manifest["parts"]) > 40  # the export was split into shards
    assert sum(r["repeat_of"] is not None for r in rows) > 300  # repeats found across shards
    assert not (out / ".work").exists()


def test_a_worker_killed_mid_run_loses_nothing(cluster, trained_model, tmp_path):
    address, workers = cluster
    archive = _archive(tmp_path / "archive", stories=400)
    local, _ = _local_rows(archive, trained_model, tmp_path / "local.jsonl")
    out = tmp_path / "parts"
    command = [sys.executable, "-m", "classifier", "tag", str(archive), "--engine", "dask", "--scheduler", address,
               "--model", str(trained_model), "--out", str(out), "--format", "jsonl", "--shard-mb", 0.005, "--quiet"]
    run = subprocess.Popen(list(map(str, command)), cwd=REPO, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob("part-*.jsonl"))) < 30:
        time.sleep(0.05)
    workers[0].send_signal(signal.SIGKILL)
    _, stderr = run.communicate(timeout=300)
    assert run.returncode == 3, stderr
    rows, _ = _dask_rows(out)
    assert rows == local


def test_dask_resume_after_the_client_is_killed_skips_finished_shards(trained_model, tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    for number in range(300):
        (archive / f"{number:03d}.txt").write_text(f"Story {number}\n\nThe plant {number} will shed {number} jobs.\n")
    local = [json.loads(line) for line in _tag_local(archive, trained_model, tmp_path / "local.jsonl")]
    out = tmp_path / "parts"
    command = [sys.executable, "-m", "classifier", "tag", str(archive), "--engine", "dask", "--jobs", "2",
               "--model", str(trained_model), "--out", str(out), "--format", "jsonl", "--quiet"]
    run = subprocess.Popen(command, cwd=REPO, start_new_session=True, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob(".work/*.done.json"))) < 40:  # 40 shards finished
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)  # the client and its local cluster, all at once
    run.wait(timeout=60)
    assert not (out / "manifest.json").exists()
    kept = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.jsonl")
            if (out / ".work" / f"{p.name[5:10]}.done.json").exists()}  # finished: part and record written
    assert 40 <= len(kept) < 300
    assert subprocess.run(command, cwd=REPO, capture_output=True, timeout=300).returncode == 1  # needs --resume
    summary = tmp_path / "summary.jsonl"
    result = subprocess.run(command + ["--resume", "--summary", str(summary)], cwd=REPO, capture_output=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    rows, _ = _dask_rows(out)
    assert rows == local
    assert [json.loads(line)["document"] for line in summary.read_text().splitlines()] == \
        sorted({row["document"] for row in local})  # shards tagged before the kill are summarised too
    assert {name: (out / name).stat().st_mtime_ns for name in kept} == kept  # finished shards were not redone


def _tag_local(archive: Path, model: Path, out: Path) -> list[str]:
    assert cli("tag", archive, "--model", model, "--out", out, "--quiet").exit_code == 0
    return out.read_text().splitlines()


def test_dask_engine_usage_errors(trained_model, tmp_path):
    assert cli("tag", tmp_path, "--engine", "dask").exit_code == 2  # no --out
    assert cli("tag", tmp_path, "--engine", "dask", "--out", tmp_path / "o", "--format", "csv").exit_code == 2
    assert cli("tag", "-", "--engine", "dask", "--out", tmp_path / "o").exit_code == 2
    assert cli("tag", tmp_path, "--engine", "spark").exit_code == 2
    assert cli("tag", tmp_path, "--scheduler", "tcp://127.0.0.1:1").exit_code == 2


def test_dask_engine_stops_before_any_work_when_the_summary_cannot_be_written(trained_model, tmp_path):
    archive = _archive(tmp_path / "archive", stories=3)
    summary = tmp_path / "no-such-folder" / "summary.jsonl"
    # The scheduler address leads nowhere: the summary must be refused before the run tries to reach it.
    result = cli("tag", archive, "--engine", "dask", "--out", tmp_path / "parts", "--model", trained_model,
                 "--scheduler", "tcp://127.0.0.1:1", "--summary", summary)
    assert result.exit_code == 1
    assert "summary.jsonl" in result.output and "Dask scheduler" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not list((tmp_path / "parts").glob("part-*"))


def test_the_local_engine_does_not_import_dask(tmp_path):
    code = ("import sys, runpy; sys.argv = ['classifier', 'tag', 'examples/archive', '--format', 'jsonl', '--quiet'];"
            "\ntry:\n    runpy.run_module('classifier', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "assert 'dask' not in sys.modules and 'distributed' not in sys.modules, 'dask imported'")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                            env={**os.environ})
    assert result.returncode == 0, result.stderr
