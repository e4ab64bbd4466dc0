"""`rasad db upgrade|current`: schema migrations."""

from __future__ import annotations

import typer

from rasad.cli.errors import cli_errors

app = typer.Typer(help="Database schema migrations (Alembic).", no_args_is_help=True)


@app.command("upgrade")
@cli_errors
def upgrade(revision: str = typer.Argument("heads", help="Target revision.")) -> None:
    """Migrate the database (DATABASE_URL, else the embedded SQLite) to the newest schema."""
    from db.migrate import upgrade as run_upgrade
    from rasad.settings import get_settings

    run_upgrade(revision=revision)
    typer.echo(f"database at {revision}: {_redact(get_settings().resolved_database_url)}")


@app.command("current")
@cli_errors
def current() -> None:
    """Show the database's current revision."""
    from db.migrate import current as show_current

    show_current()


def _redact(url: str) -> str:
    """Hide a password in a database URL."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
