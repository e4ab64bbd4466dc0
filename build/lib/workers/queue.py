"""How many messages wait in the queue, on Redis or on the embedded SQLAlchemy broker."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from rasad.settings import Settings


def queue_depth(settings: Settings) -> int | None:
    """Messages waiting in the Rasad queue; None when the broker cannot be asked."""
    url = settings.resolved_broker_url
    try:
        if url.startswith("redis"):
            import redis

            client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
            try:
                return int(client.llen(settings.queue))
            finally:
                client.close()
        if url.startswith(("sqla+", "rasad-sqla+")):
            engine = create_engine(url.split("+", 1)[1])
            try:
                with engine.connect() as conn:
                    return int(
                        conn.execute(
                            text(
                                "SELECT count(*) FROM kombu_message m JOIN kombu_queue q ON m.queue_id = q.id "
                                "WHERE q.name = :queue AND m.visible"
                            ),
                            {"queue": settings.queue},
                        ).scalar_one()
                    )
            finally:
                engine.dispose()
    except Exception:  # broker down, tables not created yet: unknown, not an error of the caller
        return None
    return None
