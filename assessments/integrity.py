"""Exam integrity rules without the database: allowed networks, the events a page may report,
which of them count as leaving the page, and when an idle attempt is due.

Networks are written one a line (commas and spaces also separate them) in CIDR notation; a bare
address is a network of one. The parsed list is cached per text, so checking an address on
every answer saved costs no parsing and no query.
"""

import ipaddress
import re
from datetime import datetime, timedelta
from functools import lru_cache

from django.utils.translation import gettext as _

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# What the exam page reports. Anything else (a "limit reached" of its own making) is refused:
# only the server's count of leavings submits a paper.
CLIENT_KINDS = frozenset(
    {"left_page", "left_window", "left_full_screen", "returned", "copy", "paste", "context_menu"}
)
LEAVE_KINDS = frozenset({"left_page", "left_window", "left_full_screen"})
MAX_NETWORKS = 100

_SEPARATORS = re.compile(r"[\s,;，；]+")


def network_entries(text: str) -> list[str]:
    return [entry for entry in _SEPARATORS.split(text or "") if entry]


def network_problems(text: str) -> list[str]:
    """One message per entry that is not an address or a network in CIDR notation."""
    entries = network_entries(text)
    problems = []
    if len(entries) > MAX_NETWORKS:
        problems.append(_("List at most %(n)d networks.") % {"n": MAX_NETWORKS})
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            problems.append(
                _("“%(entry)s” is not a network in CIDR notation (e.g. 10.8.0.0/16).")
                % {"entry": entry[:60]}
            )
    return problems


@lru_cache(maxsize=512)
def parse_networks(text: str) -> tuple[Network, ...]:
    """The networks of a list already validated (network_problems); unreadable entries, which
    validation refuses, are left out rather than opening the exam to everyone."""
    networks = []
    for entry in network_entries(text):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    return tuple(networks)


def address_allowed(*, text: str, address: str | None) -> bool:
    """True if no networks are set, or the address is in one of them. An unknown or unreadable
    address is outside every network. An IPv4 address seen as IPv6 (::ffff:a.b.c.d) is its
    IPv4 address."""
    if not network_entries(text):
        return True
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in parse_networks(text))


def limit_reached(*, leaves: int, limit: int | None) -> bool:
    return limit is not None and leaves >= limit


def idle_due_at(*, last_activity: datetime, idle_minutes: int | None) -> datetime | None:
    """When an attempt without activity since `last_activity` (server time) is submitted."""
    if not idle_minutes:
        return None
    return last_activity + timedelta(minutes=idle_minutes)


def is_idle(*, last_activity: datetime, idle_minutes: int | None, now: datetime) -> bool:
    due = idle_due_at(last_activity=last_activity, idle_minutes=idle_minutes)
    return due is not None and now >= due
