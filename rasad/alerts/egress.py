"""One guard for every outbound alert connection: global addresses only, unless private targets are allowed.

One rule, `forbidden_reason`: an address must be global (`ipaddress`'s `is_global`); an IPv6
address that carries an IPv4 one (IPv4-mapped, 6to4, Teredo, NAT64, ...) is judged by the IPv4
address it carries. It is applied twice:

- to the hosts a subscriber names, resolved when the subscription is added and before each
  delivery (`rasad.alerts.targets.check_host`);
- to the address each socket actually connects (or sends) to while a delivery runs
  (`guarded_connections`, a Python audit hook on `socket.connect`/`sendto`/`sendmsg`): a host that
  resolves elsewhere after the check (DNS rebinding), a redirect, or a server an Apprise service
  picks by itself is refused there, whatever library opens the socket.

RASAD_WEBHOOK_ALLOW_PRIVATE=true turns both off. The networks involved are data, in
`rasad/data/alerts/outbound.yaml`.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

OUTBOUND_FILE = Path(__file__).resolve().parent.parent / "data" / "alerts" / "outbound.yaml"
ALLOW_HINT = "set RASAD_WEBHOOK_ALLOW_PRIVATE=true to allow it"
# Kinds of address refused whatever IPv4 address they may carry (`::1` is IPv4-compatible 0.0.0.1).
_ALWAYS_REFUSED = (
    ("loopback", "is_loopback"),
    ("unspecified", "is_unspecified"),
    ("link-local", "is_link_local"),
    ("multicast", "is_multicast"),
)
# How a non-global address is named in a refusal: the first property that holds, else "non-global".
_KINDS = (*_ALWAYS_REFUSED, ("private", "is_private"), ("reserved", "is_reserved"))
# Audit events of a socket reaching an address; their second argument is that address.
_SOCKET_EVENTS = frozenset({"socket.connect", "socket.sendto", "socket.sendmsg"})
_IP_FAMILIES = (socket.AF_INET, socket.AF_INET6)


class BlockedConnection(OSError):
    """A connection the guard refused (an `OSError`, so libraries treat it as a failed connection)."""


@dataclass(frozen=True)
class OutboundData:
    """The data of `outbound.yaml`: Apprise schemes by the attribute naming their host; IPv4-carrying prefixes."""

    apprise_host_attribute: dict[str, str]
    ipv4_prefixes: tuple[ipaddress.IPv6Network, ...]


@lru_cache(maxsize=1)
def outbound_data() -> OutboundData:
    """Read `rasad/data/alerts/outbound.yaml` once."""
    raw = yaml.safe_load(OUTBOUND_FILE.read_text(encoding="utf-8"))
    by_scheme = {
        scheme.lower(): attribute for attribute, schemes in raw["apprise_host_attributes"].items() for scheme in schemes
    }
    prefixes = tuple(ipaddress.IPv6Network(prefix) for prefix in raw["ipv4_in_last_32_bits"])
    return OutboundData(by_scheme, prefixes)


def embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (6to4, Teredo server and client, mapped, NAT64...)."""
    if isinstance(address, ipaddress.IPv4Address):
        return []
    if address.sixtofour is not None:
        return [address.sixtofour]
    if address.teredo is not None:
        return list(address.teredo)
    if any(address in prefix for prefix in outbound_data().ipv4_prefixes):
        return [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)]
    return []


def forbidden_reason(address: IPAddress) -> str | None:
    """Why `address` may not be reached ('loopback address 127.0.0.1'), or None when it is global.

    An address that carries an IPv4 address (6to4, Teredo, IPv4-mapped, NAT64) is judged by it.
    """
    if _kind(address, _ALWAYS_REFUSED):
        return f"{_kind(address, _KINDS)} address {address}"
    judged_addresses: list[IPAddress] = [*embedded_ipv4(address)] or [address]
    for judged in judged_addresses:
        if not judged.is_global:
            inside = f" (inside {address})" if judged is not address else ""
            return f"{_kind(judged, _KINDS) or 'non-global'} address {judged}{inside}"
    return None


def _kind(address: IPAddress, kinds: tuple[tuple[str, str], ...]) -> str | None:
    return next((name for name, flag in kinds if getattr(address, flag)), None)


def parse_address(text: str) -> IPAddress:
    """An address from getaddrinfo or a socket address, without an IPv6 zone (`fe80::1%eth0`)."""
    return ipaddress.ip_address(text.split("%", 1)[0])


@dataclass
class ConnectionGuard:
    """What a guarded block refused, one line each (the last is the reason a delivery failed)."""

    refused: list[str] = field(default_factory=list)


_ACTIVE: ContextVar[ConnectionGuard | None] = ContextVar("rasad_connection_guard", default=None)
_install_lock = threading.Lock()
_installed = False


@contextmanager
def guarded_connections(*, allow_private: bool) -> Iterator[ConnectionGuard]:
    """Within the block, sockets of this context reach global addresses only; others raise `BlockedConnection`.

    Threads started with a copy of the context (as Apprise's are) are guarded too. With
    `allow_private` nothing is checked.
    """
    guard = ConnectionGuard()
    if allow_private:
        yield guard
        return
    _install_audit_hook()
    token = _ACTIVE.set(guard)
    try:
        yield guard
    finally:
        _ACTIVE.reset(token)


def _install_audit_hook() -> None:
    """Add the audit hook once per process (hooks cannot be removed; inactive outside a guarded block)."""
    global _installed
    with _install_lock:
        if not _installed:
            sys.addaudithook(_audit)
            _installed = True


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event not in _SOCKET_EVENTS:
        return
    guard = _ACTIVE.get()
    if guard is None or len(args) < 2 or args[1] is None:
        return
    reason = _refusal(args[0], args[1])
    if reason:
        guard.refused.append(reason)
        raise BlockedConnection(reason)


def _refusal(sock: socket.socket, address: Any) -> str | None:
    """Why a socket may not reach `address`, or None."""
    if sock.family not in _IP_FAMILIES:
        return f"connection refused: only TCP/UDP over IP may leave a delivery, not {sock.family!r}; {ALLOW_HINT}"
    host = str(address[0])
    for text in _addresses_of(host):
        reason = forbidden_reason(parse_address(text))
        if reason:
            return f"connection to {host} refused: {reason}; {ALLOW_HINT}"
    return None


def _addresses_of(host: str) -> list[str]:
    """`host` itself when it is an address; else what it resolves to now (a socket given a name resolves it)."""
    try:
        parse_address(host)
    except ValueError:
        try:
            return [str(info[4][0]) for info in socket.getaddrinfo(host, None)]
        except OSError:
            return []  # the connection itself will fail to resolve the name
    return [host]
