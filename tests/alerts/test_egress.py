"""The outbound guard: the address rule, and the check of what each socket really connects to."""

from __future__ import annotations

import ipaddress
import smtplib
import socket
import threading

import httpx
import pytest
import requests

from rasad.alerts.apprise_compat import quiet_apprise
from rasad.alerts.egress import BlockedConnection, forbidden_reason, guarded_connections, outbound_data
from tests.alerts.receivers import smtp_server, webhook_receiver


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "non-global"),  # shared address space (carrier-grade NAT), not `is_private`
        ("100.100.100.200", "non-global"),  # a cloud metadata address inside it
        ("10.1.2.3", "private"),
        ("192.0.2.10", "private"),  # documentation
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "link-local"),
        ("2002:7f00::1", "loopback"),  # 6to4 of 127.0.0.0
        ("2002:a9fe:a9fe::1", "link-local"),  # 6to4 of 169.254.169.254
        ("2002:a00:1::", "private"),  # 6to4 of 10.0.0.1
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),  # Teredo, client 127.0.0.1
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1
        ("::127.0.0.1", "loopback"),  # IPv4-compatible
    ],
)
def test_non_global_addresses_are_refused(address: str, kind: str) -> None:
    reason = forbidden_reason(ipaddress.ip_address(address))
    assert reason is not None and reason.startswith(f"{kind} address"), reason


@pytest.mark.parametrize(
    "address",
    ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1", "64:ff9b::808:808"],
)
def test_global_addresses_pass(address: str) -> None:
    assert forbidden_reason(ipaddress.ip_address(address)) is None


def test_every_listed_apprise_scheme_is_an_apprise_service() -> None:
    with quiet_apprise() as apprise:
        from apprise.manager_plugins import NotificationManager

        known = set(NotificationManager().schemas())
        assert apprise.__version__
    assert set(outbound_data().apprise_host_attribute) <= known


def test_the_guard_checks_what_each_library_connects_to() -> None:
    """httpx, requests, smtplib and raw sockets: a name resolving to loopback is refused as it connects."""
    with webhook_receiver() as receiver, smtp_server() as (sink, smtp_port):
        attempts = {
            "httpx": lambda: httpx.post(f"http://localhost:{receiver.port}/hook", timeout=3),
            "requests": lambda: requests.post(f"http://localhost:{receiver.port}/hook", timeout=3),
            "smtplib": lambda: smtplib.SMTP("localhost", smtp_port, timeout=3),
            "socket": lambda: socket.create_connection(("127.0.0.1", receiver.port), timeout=3),
        }
        for name, attempt in attempts.items():
            with guarded_connections(allow_private=False) as guard, pytest.raises((OSError, httpx.HTTPError)):
                attempt()
            assert guard.refused and "loopback address 127.0.0.1" in guard.refused[-1], name
        assert receiver.received == [] and sink.messages == []
        httpx.post(f"http://localhost:{receiver.port}/hook", timeout=3)  # outside the block: not guarded
        with guarded_connections(allow_private=True) as guard:
            httpx.post(f"http://localhost:{receiver.port}/hook", timeout=3)
        assert guard.refused == [] and len(receiver.received) == 2


def test_the_guard_refuses_datagrams_and_stays_in_its_thread() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        with guarded_connections(allow_private=False), pytest.raises(BlockedConnection, match="loopback"):
            udp.sendto(b"x", ("127.0.0.1", 9))
        udp.sendto(b"x", ("127.0.0.1", 9))  # after the block
    errors: list[BaseException] = []

    def other_thread() -> None:  # a thread not started from the guarded context is not affected
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as other:
                other.sendto(b"x", ("127.0.0.1", 9))
        except BaseException as exc:
            errors.append(exc)

    with guarded_connections(allow_private=False):
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join(5)
    assert errors == []
