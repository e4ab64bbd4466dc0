"""`rasad serve`: the HTTP API and dashboard (uvicorn)."""

from __future__ import annotations

import typer

from rasad.cli.errors import cli_errors


@cli_errors
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes."),
) -> None:
    """Serve the API (OpenAPI at /docs) and the dashboard (at /)."""
    import uvicorn

    from rasad.settings import get_settings

    get_settings()  # a bad setting is one line now, not a traceback at the first request
    typer.echo(f"serving on http://{host}:{port}/ (API docs at /docs)", err=True)
    # log_config=None: uvicorn's own lines go through Rasad's handler, so --log-format json covers them too
    uvicorn.run(
        "rasad.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        log_config=None,
    )
