"""The Celery application: broker from the settings, one declared queue, late acks.

Embedded default (nothing configured): kombu's SQLAlchemy transport on a SQLite file in the
data folder, so a real worker process runs with no broker server. Production: `REDIS_URL`.
"""

from __future__ import annotations

import kombu.pools
from celery import Celery
from kombu import Queue

from rasad.settings import Settings, get_settings
from workers import embedded_broker  # registers the embedded broker's URL scheme


def make_celery() -> Celery:
    """Build the Celery app from the environment."""
    app = Celery("rasad", include=["workers.tasks", "workers.alert_tasks", "workers.crawl_tasks"])
    configure(app, get_settings())
    return app


def transport_options(broker_url: str, visibility_timeout: int = 900) -> dict[str, object]:
    """Broker-specific options (kombu's own SQLAlchemy transport passes its options to create_engine)."""
    if broker_url.startswith(("redis", embedded_broker.SCHEME)):
        # Redis and the embedded broker redeliver an unacknowledged message after this; longer than
        # any single task runs (the hard time limit).
        return {"visibility_timeout": visibility_timeout}
    return {}


def configure(app: Celery, settings: Settings) -> None:
    """Apply `settings` (broker, queue) to `app`; tests call it after changing the environment."""
    # Forget connections made under a previous broker URL (as Celery's own after-fork hook does),
    # so a reconfigured app sends to the broker it is now configured for. kombu keeps connection
    # and producer pools in a process-wide registry keyed by URL: reset it as a whole, or a stale
    # entry for an equal URL would hand out a closed pool.
    kombu.pools.reset()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    app.conf.update(
        broker_url=settings.resolved_broker_url,
        broker_connection_retry_on_startup=True,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        # A task is acknowledged after it ran: a worker killed mid-task leaves it for redelivery.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        # One hostile page cannot hold a pool process forever nor grow it without end: the soft limit
        # raises in the task (recorded as a failed try), the hard one kills the process (a lost try);
        # a process above the memory limit is replaced once its task ends.
        task_soft_time_limit=settings.task_soft_time_limit,
        task_time_limit=max(settings.task_time_limit, settings.task_soft_time_limit + 1),
        worker_max_memory_per_child=settings.worker_max_memory_mb * 1024,  # KiB
        task_default_queue=settings.queue,
        task_queues=[Queue(settings.queue)],
        broker_transport_options=transport_options(settings.resolved_broker_url, settings.visibility_timeout),
        worker_hijack_root_logger=False,
        timezone="UTC",
    )


app = make_celery()
