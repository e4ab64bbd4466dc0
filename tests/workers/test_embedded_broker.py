"""The embedded broker's transport: it delivers, times out on an empty queue, and waits briefly while blocked."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from kombu import Connection, Exchange, Queue
from kombu.transport.sqlalchemy import Channel as SQLAlchemyChannel

from workers.embedded_broker import SCHEME, Transport


def _transport_with(*can_consume: bool) -> Transport:
    transport = Transport.__new__(Transport)  # only the interval logic is exercised, no connection
    transport.channels = [SimpleNamespace(qos=SimpleNamespace(can_consume=lambda v=v: v)) for v in can_consume]
    return transport


def test_a_worker_whose_prefetch_is_in_flight_looks_again_soon() -> None:
    assert _transport_with(False)._idle_interval(None) == Transport.blocked_interval
    assert _transport_with(False, False)._idle_interval(None) == Transport.blocked_interval


def test_an_empty_queue_is_polled_at_the_polling_interval() -> None:
    assert _transport_with(True)._idle_interval(None) == Transport.polling_interval
    assert _transport_with(False, True)._idle_interval(None) == Transport.polling_interval
    assert _transport_with()._idle_interval(None) == Transport.polling_interval
    assert _transport_with(True)._idle_interval(0.02) == 0.02  # never past the caller's timeout


def test_messages_are_delivered_and_an_empty_queue_times_out(tmp_path: Path) -> None:
    url = f"{SCHEME}+sqlite:///{tmp_path / 'broker.sqlite'}"
    queue = Queue("probe", Exchange("probe"), routing_key="probe")
    received: list[object] = []
    with Connection(url) as connection:
        connection.Producer().publish({"n": 1}, exchange=queue.exchange, routing_key="probe", declare=[queue])
        with connection.Consumer(queue, callbacks=[lambda body, message: (received.append(body), message.ack())]):
            connection.drain_events(timeout=5)
            assert received == [{"n": 1}]
            with pytest.raises(TimeoutError):
                connection.drain_events(timeout=0.3)


def test_a_process_that_loses_the_race_to_create_the_queue_uses_the_winners(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes declaring the queue at once on a new file: the second insert meets the unique name."""
    url = f"{SCHEME}+sqlite:///{tmp_path / 'broker.sqlite'}"
    with Connection(url) as first, Connection(url) as second:
        winner = first.default_channel._get_or_create("race")

        def insert_as_if_missing(channel: SQLAlchemyChannel, queue: str) -> object:
            channel.session.add(channel.queue_cls(queue))  # kombu found no row a moment ago
            channel.session.commit()
            return None

        monkeypatch.setattr(SQLAlchemyChannel, "_get_or_create", insert_as_if_missing)
        assert second.default_channel._get_or_create("race").id == winner.id
