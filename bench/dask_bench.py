"""Throughput of the local engine and of the Dask engine with two workers, on the same archive, side by side.

    python bench/dask_bench.py [--size-mb 100] [--out bench/results/dask_bench.md]

Uses the replicated BBC archive of tag_bench.py (JSON Lines copies; needs ../shared/data/bbc and the bench and dask
extras). Both runs write JSON Lines; peak memory is the PSS of each run's whole process tree.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tag_bench import BBC, REPO, build_archive, count_lines, measure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=100)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "classifier-bench")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if not BBC.is_dir():
        raise SystemExit(f"{BBC} not found: the benchmark needs the shared BBC archive")
    archive = args.workdir / f"archive-{args.size_mb:g}mb"
    if not archive.exists():
        build_archive(archive, args.size_mb)
    size = sum(p.stat().st_size for p in archive.iterdir()) / 1e6
    python, model = sys.executable, str(REPO / "models" / "default")
    runs = {
        "local engine, --jobs 2": [python, "-m", "classifier", "tag", str(archive), "--model", model, "--out",
                                   str(args.workdir / "local.jsonl"), "--jobs", "2", "--quiet", "--force"],
        "dask engine, 2 workers (local cluster)": [python, "-m", "classifier", "tag", str(archive), "--engine", "dask",
                                                   "--jobs", "2", "--model", model, "--format", "jsonl", "--out",
                                                   str(args.workdir / "dask-parts"), "--quiet", "--force"],
    }
    lines = ["| archive | run | paragraphs | seconds | paragraphs/s | MB/s | peak memory MB |", "|---|---|---|---|---|---|---|"]
    for name, command in runs.items():
        measured = measure(command)
        output = Path(command[command.index("--out") + 1])
        paragraphs = count_lines(output) if output.is_file() else sum(count_lines(p) for p in output.glob("part-*"))
        lines.append(f"| {size:.0f} MB | {name} | {paragraphs:,} | {measured['seconds']:.1f} | "
                     f"{paragraphs / measured['seconds']:,.0f} | {size / measured['seconds']:.2f} | "
                     f"{measured['peak_mb']:.0f} |")
        print(lines[-1], flush=True)
    text = "\n".join(lines)
    if args.out:
        args.out.write_text(f"# Dask engine benchmark\n\nCommand: `python bench/dask_bench.py --size-mb {args.size_mb:g}`, "
                            f"on 2 cores.\n\n{text}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
