"""Alerts: tell subscribers about new developments, once per story and change, on their channels.

`raise_alerts(article_id)` is the pipeline's alert step (the `rasad.alert_article` task): it
records the article in the per-article `alerts` table, then fans it out to subscriptions
(`service.fan_out`), whose deliveries `rasad.deliver_alert` sends with retries.

Modules: `rules` (what a subscriber wants), `targets` (validating URLs and addresses),
`stories` (what is new), `messages` and `channels` (what is sent, and how), `digest` (when),
`service` (the functions tasks and the CLI call).
"""

from __future__ import annotations

from rasad.alerts.record import alert_summary, record_alerts


def raise_alerts(article_id: int, *, database_url: str | None = None) -> list[str]:
    """Record the article's alert per topic and notify matching subscribers; return the topics newly recorded."""
    from sqlalchemy.exc import IntegrityError

    from rasad.alerts.service import fan_out

    raised = record_alerts(article_id, database_url=database_url)
    for attempt in range(3):
        try:
            fan_out(article_id, database_url=database_url)
            break
        except IntegrityError:
            # A concurrent task for the same article claimed the same keys first; fan_out is
            # idempotent, so a fresh run sees those claims and adds only what is still missing.
            if attempt == 2:
                raise
    return raised


__all__ = ["alert_summary", "raise_alerts", "record_alerts"]
