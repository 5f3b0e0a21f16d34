"""Throughput and peak memory of `classifier tag`, side by side with two baselines, on the BBC archive replicated.

    python bench/tag_bench.py --size-mb 100 [--size-mb 1000] [--out bench/results/tag_bench.md]

Every run reads the same archive with the same readers (JSON Lines files, one story per line, each copy of the
archive made unique by a marker so that nothing is a repeat) and writes one JSON line per paragraph:

- ours, `classifier tag --jobs 1` and `--jobs 2`;
- (a) the plain scikit-learn pipeline of the same model (TfidfVectorizer + lexicon counts + one LogisticRegression
  per label, `predict_proba`), chunk by chunk in one process;
- (b) fastText (fasttext-numpy2-wheel) trained on the same training data, predicting the same paragraphs in one
  process.

Peak memory is the largest total proportional set size (PSS: resident memory, with pages shared between processes
counted once) of the run's process tree, sampled every 100 ms from /proc/PID/smaps_rollup. Needs the `bench`
extra and `../shared/data/bbc`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BBC = REPO.parent / "shared" / "data" / "bbc"
CHUNK = 2000


def build_archive(folder: Path, size_mb: float) -> tuple[int, int]:
    """JSON Lines copies of the BBC archive until ``size_mb`` of text; returns (bytes, stories)."""
    from classifier.decoding import decode_bytes

    stories = [(p.parent.name, p.stem, decode_bytes(p.read_bytes())) for p in sorted(BBC.rglob("*.txt"))]
    written, count, copy = 0, 0, 0
    folder.mkdir(parents=True, exist_ok=True)
    while written < size_mb * 1e6:
        with open(folder / f"copy{copy:04d}.jsonl", "w", encoding="utf-8") as handle:
            for category, stem, text in stories:
                title, _, body = text.partition("\n")
                marked = "\n\n".join(f"{p} [{copy}]" for p in body.split("\n\n") if p.strip())
                line = json.dumps({"id": f"{category}-{stem}-{copy}", "title": title, "text": marked})
                handle.write(line + "\n")
                written += len(line.encode("utf-8"))
                count += 1
        copy += 1
    return written, count


def _documents(archive: Path):
    from classifier.readers import Document, ReaderOptions, read_all

    for item in read_all([str(archive)], ReaderOptions()):
        if isinstance(item, Document):
            yield item


def _chunks(archive: Path):
    chunk = []
    for document in _documents(archive):
        for index, text in enumerate(document.paragraphs):
            chunk.append((document.id, index, text))
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def sklearn_pipeline(model_dir: Path):
    """The shipped model as a plain scikit-learn pipeline: the same features and coefficients."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    from classifier.features import TOKEN_PATTERN, sklearn_vectorizer, tokenize
    from classifier.store import load_model

    model = load_model(model_dir)
    vectorizer = model.vectorizer
    tfidf = sklearn_vectorizer(vectorizer.settings)
    tfidf.vocabulary_ = {term: i for i, term in enumerate(vectorizer.terms)}
    tfidf.idf_ = vectorizer.idf
    phrases = [" ".join(tokenize(p)) for group in vectorizer.lexicon for p in vectorizer.lexicon[group]]
    groups = np.zeros((len(phrases), len(vectorizer.lexicon)))
    row = 0
    for g, group in enumerate(vectorizer.lexicon):
        for _ in vectorizer.lexicon[group]:
            groups[row, g] = 1
            row += 1
    unique = sorted(set(phrases))
    to_groups = np.zeros((len(unique), len(vectorizer.lexicon)))
    for phrase, group_row in zip(phrases, groups):
        to_groups[unique.index(phrase)] += group_row
    counter = CountVectorizer(vocabulary=unique, token_pattern=TOKEN_PATTERN, ngram_range=(1, 3), lowercase=True)
    weight = vectorizer.settings.lexicon_weight
    lexicon = Pipeline([("count", counter),
                        ("groups", FunctionTransformer(lambda x: (x @ to_groups), accept_sparse=True)),
                        ("log", FunctionTransformer(lambda x: weight * np.log1p(x)))])
    features = FeatureUnion([("tfidf", tfidf), ("lexicon", lexicon)])
    regressions = []
    for index in range(len(model.labels)):
        regression = LogisticRegression()
        regression.classes_ = np.array([0, 1])
        regression.coef_ = model.coef[index : index + 1]
        regression.intercept_ = model.intercept[index : index + 1]
        regressions.append(regression)
    return model, features, regressions


def run_sklearn(archive: Path, out: Path, model_dir: Path) -> None:
    import numpy as np

    model, features, regressions = sklearn_pipeline(model_dir)
    with open(out, "w", encoding="utf-8") as handle:
        for chunk in _chunks(archive):
            x = features.transform([text for _, _, text in chunk])
            scores = np.column_stack([r.predict_proba(x)[:, 1] for r in regressions])
            for (document, index, _), row in zip(chunk, scores):
                labels = [label for label, s, t in zip(model.labels, row, model.thresholds) if s >= t]
                record = {"document": document, "paragraph": index, "labels": labels}
                record.update((label, round(float(s), 6)) for label, s in zip(model.labels, row))
                handle.write(json.dumps(record) + "\n")


def train_fasttext(path: Path):
    import fasttext

    from classifier.data import read_labelled

    lines = []
    for example in read_labelled(REPO / "training_data"):
        tags = " ".join(f"__label__{label}" for label in example.labels) or "__label__none"
        lines.append(f"{tags} {' '.join(example.text.lower().split())}")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    model = fasttext.train_supervised(handle.name, loss="ova", epoch=25, wordNgrams=2, lr=0.5, dim=50, seed=1,
                                      thread=1, verbose=0)
    os.unlink(handle.name)
    model.save_model(str(path))


def run_fasttext(archive: Path, out: Path, model_path: Path) -> None:
    import fasttext

    from classifier.labels import LABELS

    model = fasttext.load_model(str(model_path))
    with open(out, "w", encoding="utf-8") as handle:
        for chunk in _chunks(archive):
            texts = [" ".join(text.lower().split()) for _, _, text in chunk]
            predicted, probabilities = model.predict(texts, k=-1, threshold=0.0)
            for (document, index, _), names, values in zip(chunk, predicted, probabilities):
                scores = dict(zip((n.replace("__label__", "") for n in names), map(float, values)))
                record = {"document": document, "paragraph": index,
                          "labels": [label for label in LABELS if scores.get(label, 0.0) >= 0.5]}
                record.update((label, round(scores.get(label, 0.0), 6)) for label in LABELS)
                handle.write(json.dumps(record) + "\n")


def measure(command: list[str]) -> dict:
    """Wall time and peak memory (PSS of the whole process tree) of a command."""
    import psutil

    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watched = psutil.Process(process.pid)
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            try:
                tree = [watched] + watched.children(recursive=True)
                peak = max(peak, sum(_pss(p) for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    sampler.join()
    if process.returncode not in (0, 3):
        raise SystemExit(f"{command} failed: {stderr.decode()[-500:]}")
    return {"seconds": time.perf_counter() - started, "peak_mb": peak / 1e6}


def _pss(process) -> int:
    """Proportional set size in bytes, from /proc/PID/smaps_rollup (cheap enough to sample often without slowing the
    run being measured); resident size where that file is missing."""
    try:
        with open(f"/proc/{process.pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return process.memory_info().rss


def count_lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def bench(size_mb: float, workdir: Path, model_dir: Path, fasttext_model: Path, baselines: bool,
          repeats: int = 1) -> list[dict]:
    archive = workdir / f"archive-{size_mb:g}mb"
    if not archive.exists():
        build_archive(archive, size_mb)
    nbytes = sum(p.stat().st_size for p in archive.iterdir())
    python = sys.executable
    runs = {
        "classifier tag --jobs 2": [python, "-m", "classifier", "tag", str(archive), "--model", str(model_dir),
                                    "--out", str(workdir / "ours2.jsonl"), "--jobs", "2", "--quiet", "--force"],
        "classifier tag --jobs 1": [python, "-m", "classifier", "tag", str(archive), "--model", str(model_dir),
                                    "--out", str(workdir / "ours1.jsonl"), "--jobs", "1", "--quiet", "--force"],
    }
    if baselines:
        runs["(a) scikit-learn pipeline, 1 process"] = [python, __file__, "--run", "sklearn", str(archive),
                                                        str(workdir / "sklearn.jsonl"), str(model_dir)]
        runs["(b) fastText, 1 process"] = [python, __file__, "--run", "fasttext", str(archive),
                                           str(workdir / "fasttext.jsonl"), str(fasttext_model)]
    # The runs are interleaved and repeated, and each row is the run with the median time: the machine is shared.
    timings: dict[str, list[dict]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, command in runs.items():
            timings[name].append(measure(command))
            print(json.dumps({"run": name, **timings[name][-1]}), flush=True)
    results = []
    for name, command in runs.items():
        measured = sorted(timings[name], key=lambda m: m["seconds"])[len(timings[name]) // 2]
        output = Path(command[command.index("--out") + 1]) if "--out" in command else Path(command[-2])
        paragraphs = count_lines(output)
        results.append({"size_mb": round(nbytes / 1e6), "run": name, "paragraphs": paragraphs, **measured,
                        "peak_mb": max(m["peak_mb"] for m in timings[name]),
                        "paragraphs_per_s": paragraphs / measured["seconds"],
                        "mb_per_s": nbytes / 1e6 / measured["seconds"]})
    return results


def table(results: list[dict]) -> str:
    lines = ["| archive | run | paragraphs | seconds | paragraphs/s | MB/s | peak memory MB | vs (a) | vs (b) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for size in sorted({r["size_mb"] for r in results}):
        rows = [r for r in results if r["size_mb"] == size]
        base = {key: next((r["paragraphs_per_s"] for r in rows if r["run"].startswith(key)), None)
                for key in ("(a)", "(b)")}
        for r in rows:
            ratios = [f"{r['paragraphs_per_s'] / base[k]:.2f}x" if base[k] else "" for k in ("(a)", "(b)")]
            lines.append(f"| {size} MB | {r['run']} | {r['paragraphs']:,} | {r['seconds']:.1f} | "
                         f"{r['paragraphs_per_s']:,.0f} | {r['mb_per_s']:.2f} | {r['peak_mb']:.0f} | "
                         f"{ratios[0]} | {ratios[1]} |")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--run":
        kind, archive, out, model = sys.argv[2:6]
        (run_sklearn if kind == "sklearn" else run_fasttext)(Path(archive), Path(out), Path(model))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, action="append", help="archive sizes (repeatable); default 100")
    parser.add_argument("--model", type=Path, default=REPO / "models" / "default")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "classifier-bench")
    parser.add_argument("--no-baselines-above", type=float, default=200,
                        help="run the baselines only on archives up to this many MB")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command (the median is reported)")
    parser.add_argument("--out", type=Path, help="write the results table (Markdown) here")
    args = parser.parse_args()
    if not BBC.is_dir():
        raise SystemExit(f"{BBC} not found: the benchmark needs the shared BBC archive")
    args.workdir.mkdir(parents=True, exist_ok=True)
    fasttext_model = args.workdir / "fasttext.bin"
    train_fasttext(fasttext_model)
    results = []
    for size in args.size_mb or [100]:
        # A large archive is timed once: its runs are long enough to average the machine's noise themselves.
        repeats = args.repeat if size <= args.no_baselines_above else 1
        results += bench(size, args.workdir, args.model, fasttext_model, size <= args.no_baselines_above, repeats)
    text = table(results)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(f"# Tagging benchmark\n\nCommand: `python bench/tag_bench.py "
                            f"{' '.join(f'--size-mb {s:g}' for s in args.size_mb or [100])}`, on {os.cpu_count()} "
                            f"cores. Archives up to {args.no_baselines_above:g} MB: each run {args.repeat} times, "
                            "interleaved, the median time reported (peak memory: the largest seen); larger archives: "
                            f"one run.\n\n{text}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
