"""`rasad tokens create|list|revoke`: API tokens (needed to write; to read when RASAD_API_READ_AUTH=true)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from db.api_tokens import create_token, list_tokens, revoke_token
from db.session import session_scope
from rasad.cli.errors import cli_errors
from rasad.cli.query_common import JSON_OPTION, echo_json

app = typer.Typer(help="API tokens: create (shown once), list, revoke.", no_args_is_help=True)


@app.command("create")
@cli_errors
def create(name: str = typer.Option(..., "--name", help="Who or what uses the token.")) -> None:
    """Create a token and print it once (only its SHA-256 hash is stored)."""
    with session_scope() as session:
        token = create_token(session, name)
    typer.echo(token)
    typer.echo("store it now: it cannot be shown again", err=True)


@app.command("list")
@cli_errors
def list_command(json_output: bool = JSON_OPTION) -> None:
    """List tokens (name, prefix, dates), never the tokens themselves."""
    with session_scope() as session:
        rows = list_tokens(session)
    if json_output:
        for row in rows:
            echo_json(row)
        return
    table = Table(title=f"API tokens ({len(rows)})")
    for column in ("name", "prefix", "created", "last used", "state"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r["name"], r["prefix"] + "…", r["created_at"].isoformat()[:16],
            r["last_used_at"].isoformat()[:16] if r["last_used_at"] else "never",
            "active" if r["active"] else "revoked",
        )  # fmt: skip
    Console().print(table)


@app.command("revoke")
@cli_errors
def revoke(name: str = typer.Argument(..., help="Name of the token to revoke.")) -> None:
    """Revoke a token: it stops working at once."""
    with session_scope() as session:
        revoke_token(session, name)
    typer.echo(f"revoked {name}")
