"""``classifier tag``: tag every paragraph of files, folders or stdin, streaming rows to a file or stdout."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from classifier.cli._app import MODEL_HELP, command, load_model_option, usage_error
from classifier.labels import LABELS

EXIT_WITH_ERRORS = 3
EXIT_INTERRUPTED = 130


class Progress:
    """A one-line progress report on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()

    def update(self, rows, stats) -> None:
        if self.enabled:
            rate = stats.paragraphs / max(stats.seconds, 1e-9)
            sys.stderr.write(f"\r{stats.paragraphs:,} paragraphs  {rate:,.0f}/s  {stats.documents:,} documents")
            sys.stderr.flush()

    def end(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _format_for(out: Path | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    if out is not None and out.suffix.lower() in (".csv", ".parquet"):
        return out.suffix.lower()[1:]
    return "table" if out is None and sys.stdout.isatty() else "jsonl"


@command("tag")
def tag_cli(
    paths: list[str] = typer.Argument(..., help="Files, folders (walked recursively, sorted) or - for stdin."),
    out: Path = typer.Option(None, "--out", "-o", help="Output file. Default: stdout."),
    fmt: str = typer.Option(None, "--format", help="jsonl, csv, parquet or table. Default: from --out's extension, "
                            "else jsonl (table on a terminal)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes that score paragraphs."),
    model: Path = typer.Option(None, "--model", help=MODEL_HELP),
    reader: str = typer.Option(None, "--reader", help="Read every input as text, jsonl, csv, html or warc, "
                               "whatever its extension."),
    text_field: str = typer.Option("text", "--text-field", help="JSON Lines / CSV field holding the story."),
    id_field: str = typer.Option("id", "--id-field", help="JSON Lines / CSV field holding the story's id."),
    with_text: bool = typer.Option(False, "--with-text", help="Include each paragraph's text in the rows."),
    summary: Path = typer.Option(None, "--summary", help="Also write one JSON line per document to this file: "
                                 "paragraphs, paragraphs per label, highest probability per label."),
    errors: Path = typer.Option(None, "--errors", help="Write unreadable inputs here (JSON Lines). Default: "
                                "OUT.errors.jsonl with --out, else stderr."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run from OUT.partial."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress and no final line."),
    engine: str = typer.Option("local", "--engine", help="local: this machine; dask: a Dask cluster, writing a folder "
                               "of parts (--out DIR) and a manifest."),
    scheduler: str = typer.Option(None, "--scheduler", help="With --engine dask: the scheduler's address, e.g. "
                                  "tcp://10.0.0.5:8786. Default: a local cluster of --jobs workers."),
    shard_mb: float = typer.Option(64, "--shard-mb", min=0.001, help="With --engine dask: JSON Lines files larger "
                                   "than this are split into shards of about this size."),
    repeat_window: int = typer.Option(200_000, "--repeat-window", min=1,
                                      help="Find repeats among about this many most recent distinct paragraphs "
                                      "(memory grows with it, about 100 bytes each)."),
    chunk_size: int = typer.Option(2000, "--chunk-size", min=1, help="Paragraphs scored per batch.", hidden=True),
) -> None:
    """Tag every paragraph of news archives: .txt/.md, .jsonl, .csv, .html and .warc(.gz) files.

    One row per paragraph: document, paragraph index, labels, the probability of each label, and repeat_of (the
    first occurrence when the same paragraph was seen before; repeats are scored once). Exit code 3 when some
    input went to the errors file.
    """
    from classifier.readers import READER_NAMES, ReaderOptions, read_all
    from classifier.store import default_model_dir
    from classifier.tagging import DocumentSummaries, TagOptions, tag
    from classifier.writers import FORMATS, AtomicJsonLines, Spool, StreamWriter, row_fields

    if engine not in ("local", "dask"):
        usage_error("--engine must be local or dask")
    if engine == "dask":
        _tag_on_dask(paths, out, fmt or "parquet", jobs, model, reader, text_field, id_field, with_text, summary,
                     resume, force, quiet, scheduler, shard_mb, repeat_window, chunk_size)
        return
    if scheduler is not None:
        usage_error("--scheduler goes with --engine dask")
    fmt = _format_for(out, fmt)
    if fmt not in FORMATS:
        usage_error(f"--format must be one of {', '.join(FORMATS)}")
    if reader is not None and reader not in READER_NAMES:
        usage_error(f"--reader must be one of {', '.join(READER_NAMES)}")
    if resume and out is None:
        usage_error("--resume needs --out")
    if fmt == "table" and out is not None:
        usage_error("the table format is for the terminal; use jsonl, csv or parquet with --out")
    with_text = with_text or fmt == "table"

    model_dir = model if model is not None else default_model_dir()
    loaded = load_model_option(model_dir)
    fields = row_fields(with_text)
    sink = Spool(out, resume, force) if out is not None else StreamWriter(fmt, fields)
    errors_path = errors or (out.with_name(out.name + ".errors.jsonl") if out is not None else None)
    problems: list[dict] = []

    def record_problems(found) -> None:
        for problem in found:
            record = {"path": problem.path, "where": problem.location, "reason": problem.reason}
            problems.append(record)
            if errors_path is None:
                where = f" ({problem.location})" if problem.location else ""
                typer.echo(f"skipped: {problem.path}{where}: {problem.reason}", err=True)

    summary_file = AtomicJsonLines(summary) if summary is not None else None
    summaries = DocumentSummaries(summary_file.write) if summary_file is not None else None
    progress = Progress(enabled=not quiet)
    options = TagOptions(jobs=jobs, chunk_size=chunk_size, with_text=with_text, repeat_window=repeat_window)
    items = read_all(paths, ReaderOptions(reader=reader, text_field=text_field, id_field=id_field))
    try:
        stats = tag(items, loaded, str(model_dir), sink.append, options,
                    done_rows=sink.resumed_rows() if resume else None, on_problems=record_problems,
                    summaries=summaries, on_row_batch=progress.update)
    except BaseException as exc:
        # Whatever stopped the run, the rows finished so far stay in OUT.partial for --resume.
        progress.end()
        if summary_file is not None:
            summary_file.abort()
        if out is not None:
            sink.close()
        if not isinstance(exc, KeyboardInterrupt):
            raise
        if out is not None:
            typer.echo(f"interrupted: finished rows are kept in {sink.path}; run the same command with --resume "
                       "to continue", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    progress.end()
    if out is not None:
        sink.finish(fmt, fields)
    if summaries is not None:
        summaries.close()
        summary_file.commit()
    if problems and errors_path is not None:
        errors_file = AtomicJsonLines(errors_path)
        for record in problems:
            errors_file.write(record)
        errors_file.commit()
    if not quiet:
        typer.echo(f"tagged {stats.line()}", err=True)
    if problems:
        raise typer.Exit(EXIT_WITH_ERRORS)


def _tag_on_dask(paths, out, fmt, jobs, model, reader, text_field, id_field, with_text, summary, resume, force,
                 quiet, scheduler, shard_mb, repeat_window, chunk_size) -> None:
    """``tag --engine dask``: check the options, run on the cluster, report like the local engine."""
    from classifier.dask_engine import PART_FORMATS, DaskJob, run_dask
    from classifier.readers import READER_NAMES, ReaderOptions
    from classifier.store import default_model_dir, read_metadata
    from classifier.tagging import TagOptions

    if out is None:
        usage_error("--engine dask needs --out DIR, the folder for the parts")
    if fmt not in PART_FORMATS:
        usage_error(f"--engine dask writes {' or '.join(PART_FORMATS)} parts")
    if "-" in paths:
        usage_error("--engine dask cannot read stdin; give files or folders")
    if reader is not None and reader not in READER_NAMES:
        usage_error(f"--reader must be one of {', '.join(READER_NAMES)}")
    model_dir = Path(model if model is not None else default_model_dir()).resolve()
    read_metadata(model_dir)  # a missing or altered model stops here, before any cluster starts
    job = DaskJob(
        paths=list(paths), out=Path(out).resolve(), model_dir=model_dir, fmt=fmt,
        scheduler=scheduler, workers=jobs, shard_bytes=int(shard_mb * (1 << 20)), resume=resume, force=force,
        reader=ReaderOptions(reader=reader, text_field=text_field, id_field=id_field),
        options=TagOptions(chunk_size=chunk_size, with_text=with_text, repeat_window=repeat_window),
        summary=Path(summary).resolve() if summary is not None else None,
    )
    show = sys.stderr.isatty() and not quiet

    def progress(done: int, total: int) -> None:
        if show:
            sys.stderr.write(f"\r{done}/{total} shards")
            sys.stderr.flush()

    stats = run_dask(job, progress)
    if show:
        sys.stderr.write("\n")
    if not quiet:
        typer.echo(f"tagged {stats.line()}; parts in {job.out}", err=True)
    if stats.problems:
        raise typer.Exit(EXIT_WITH_ERRORS)
