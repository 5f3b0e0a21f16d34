"""``classifier audit-model``: list what personal data a model's saved vocabulary could hold."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from classifier.cli._app import MODEL_HELP, command, load_model_option

KIND_NAMES = {"email_addresses": "e-mail addresses", "numbers": "numbers (IDs, phone numbers)",
              "personal_names": "personal names"}


@command("audit-model")
def audit_model_cli(
    model: Path = typer.Option(None, "--model", help=MODEL_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """List vocabulary terms that could be personal data: e-mail addresses, numbers, common names.

    Exit code 0 when there are none, 1 when some are found.
    """
    from classifier.privacy import audit_vocabulary

    loaded = load_model_option(model)
    findings = audit_vocabulary(loaded.vectorizer.terms)
    total = sum(map(len, findings.values()))
    if as_json:
        typer.echo(json.dumps({"terms": len(loaded.vectorizer.terms), "findings": findings}))
    else:
        typer.echo(f"{len(loaded.vectorizer.terms)} vocabulary terms checked")
        for kind, terms in findings.items():
            shown = ", ".join(terms[:20]) + (" ..." if len(terms) > 20 else "")
            typer.echo(f"{KIND_NAMES[kind]}: {len(terms)}" + (f" ({shown})" if terms else ""))
    if total:
        raise typer.Exit(1)
