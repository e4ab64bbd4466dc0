"""`rasad alerts add|list|remove|test|log|failures`: subscriptions and their delivery log."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer
from rich.console import Console
from rich.table import Table

from rasad.cli.errors import cli_errors, fail

app = typer.Typer(
    help="Alert subscriptions: rules, channels (webhook, e-mail, Apprise), delivery log.", no_args_is_help=True
)


@app.command("add")
@cli_errors
def add(
    name: str = typer.Option(..., "--name", help="A unique name for the subscription."),
    topic: str = typer.Option(None, "--topic", help="Only articles on this topic (e.g. normalization)."),
    min_relevance: float = typer.Option(0.0, "--min-relevance", help="Minimum relevance score, 0 to 1."),
    persons: list[str] = typer.Option(
        None, "--person", help="A person involved (any spelling the KB knows); repeatable."
    ),
    countries: list[str] = typer.Option(None, "--country", help="A country at the table, ISO alpha-2; repeatable."),
    kinds: list[str] = typer.Option(None, "--kind", help="Development kind: meeting or call; repeatable."),
    statuses: list[str] = typer.Option(
        None, "--status", help="Development status: proposed, planned, held; repeatable."
    ),
    keywords: list[str] = typer.Option(None, "--keyword", help="An Arabic keyword (matched normalized); repeatable."),
    outlets: list[str] = typer.Option(None, "--outlet", help="A source id; repeatable."),
    webhook: str = typer.Option(None, "--webhook", help="POST signed JSON to this URL."),
    secret: str = typer.Option(None, "--secret", help="Webhook signing secret (generated when omitted)."),
    email: str = typer.Option(None, "--email", help="Send e-mail to this address (RASAD_SMTP_* settings)."),
    apprise_url: str = typer.Option(
        None, "--apprise", help="Any Apprise URL: tgram://, slack://, discord://, matrix://, ..."
    ),
    digest: str = typer.Option(None, "--digest", help="Send a digest on this cron schedule instead of instantly."),
    tz: str = typer.Option(None, "--tz", help="Time zone of the digest schedule (IANA name, default UTC)."),
    language: str = typer.Option("ar", "--language", help="Language of the messages: ar (default) or en."),
) -> None:
    """Subscribe a channel to alerts matching a rule; invalid rules and targets are refused with the reason."""
    from db.session import session_scope
    from db.subscriptions import add_subscription

    channels = [(c, t) for c, t in (("webhook", webhook), ("email", email), ("apprise", apprise_url)) if t]
    if len(channels) != 1:
        raise fail("choose exactly one channel: --webhook URL, --email ADDRESS or --apprise URL")
    channel, target = channels[0]
    rule = {
        "topic": topic, "min_relevance": min_relevance, "persons": persons or [], "countries": countries or [],
        "event_kinds": kinds or [], "event_statuses": statuses or [], "keywords": keywords or [],
        "outlets": outlets or [],
    }  # fmt: skip
    with session_scope() as session:
        view, generated = add_subscription(
            session, name, rule, channel=channel, target=target, secret=secret, digest_cron=digest, digest_tz=tz,
            language=language,
        )  # fmt: skip
    typer.echo(
        f"subscription {view.name!r} added: {view.channel} {view.target} — {view.rule} — {view.mode} [{view.language}]"
    )
    if channel == "webhook" and secret is None and generated:
        typer.echo(f"webhook signing secret (shown once): {generated}")


@app.command("list")
@cli_errors
def list_subscriptions(json_output: bool = typer.Option(False, "--json", help="One JSON object per line.")) -> None:
    """List subscriptions with their rule, channel and mode."""
    from db.session import session_scope
    from db.subscriptions import list_subscriptions as load

    with session_scope() as session:
        views = load(session)
    if json_output:
        for view in views:
            typer.echo(json.dumps(asdict(view), ensure_ascii=False))
        return
    table = Table(title=f"Subscriptions ({len(views)})")
    for column in ("name", "channel", "target", "rule", "mode", "next digest"):
        table.add_column(column, overflow="fold")
    for v in views:
        table.add_row(v.name, v.channel, v.target, v.rule, v.mode, v.next_digest or "-")
    Console().print(table)


@app.command("remove")
@cli_errors
def remove(name: str = typer.Argument(..., help="The subscription's name.")) -> None:
    """Delete a subscription and its alert history."""
    from db.session import session_scope
    from db.subscriptions import remove_subscription

    with session_scope() as session:
        remove_subscription(session, name)
    typer.echo(f"subscription {name!r} removed")


@app.command("test")
@cli_errors
def test(name: str = typer.Argument(..., help="The subscription's name.")) -> None:
    """Send a sample alert through the subscription's channel now; exit 1 with the reason if it fails."""
    from workers.alerting import send_test_alert

    receipt = send_test_alert(name)
    typer.echo(f"test alert to {name!r} delivered ({receipt})")


def _print_log(title: str, name: str | None, failures_only: bool, limit: int, json_output: bool) -> None:
    from db.session import session_scope
    from db.subscriptions import delivery_log

    with session_scope() as session:
        rows = delivery_log(session, name=name, failures_only=failures_only, limit=limit)
    if json_output:
        for row in rows:
            typer.echo(json.dumps(asdict(row), ensure_ascii=False))
        return
    table = Table(title=f"{title} ({len(rows)})")
    for column in ("id", "subscription", "kind", "status", "attempts", "created", "delivered", "title", "last error"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            str(r.id), r.subscription, r.kind, r.status, str(r.attempts), (r.created_at or "")[:19],
            (r.delivered_at or "-")[:19], r.title or "", r.last_error or "",
        )  # fmt: skip
    Console().print(table)


@app.command("log")
@cli_errors
def log(
    name: str = typer.Option(None, "--name", help="Only this subscription."),
    limit: int = typer.Option(50, "--limit"),
    json_output: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """The delivery log: every alert sent or being sent, with status, attempts and last error."""
    _print_log("Deliveries", name, False, limit, json_output)


@app.command("failures")
@cli_errors
def failures(
    name: str = typer.Option(None, "--name", help="Only this subscription."),
    limit: int = typer.Option(50, "--limit"),
    json_output: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Deliveries that failed or are waiting for a retry, with the last error."""
    _print_log("Failed or retrying deliveries", name, True, limit, json_output)
