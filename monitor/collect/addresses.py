"""Which addresses a fetch may reach: the public internet, nothing else.

Refused, unless the config allows private addresses for that kind of URL:

- every range of the IANA IPv4 and IPv6 Special-Purpose Address Registries, including the
  few the registries mark "globally reachable" (AS112, AMT, the PCP and TURN anycast
  addresses): protocol infrastructure, never a news site;
- multicast, and IPv6 outside 2000::/3 (the only space IANA allocates for global unicast),
  which takes in the deprecated site-local fec0::/10;
- an IPv6 address that carries an IPv4 one (IPv4-mapped, NAT64, 6to4) whenever the IPv4
  address is refused. A public one passes: on an IPv6-only network with NAT64 every
  IPv4-only news site is reached at a 64:ff9b:: address.

The ranges are data, below, each with its registry name; a test goes through every one.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

__all__ = [
    "IPV4_SPECIAL_PURPOSE",
    "IPV6_SPECIAL_PURPOSE",
    "NOT_PUBLIC_ELSEWHERE",
    "address_problem",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# IANA IPv4 Special-Purpose Address Registry (iana-ipv4-special-registry), as last updated
# 2025-10-09: https://www.iana.org/assignments/iana-ipv4-special-registry/
IPV4_SPECIAL_PURPOSE: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", '"This network"'),
    ("0.0.0.0/32", '"This host on this network"'),
    ("10.0.0.0/8", "Private-Use"),
    ("100.64.0.0/10", "Shared Address Space"),
    ("127.0.0.0/8", "Loopback"),
    ("169.254.0.0/16", "Link Local"),
    ("172.16.0.0/12", "Private-Use"),
    ("192.0.0.0/24", "IETF Protocol Assignments"),
    ("192.0.0.0/29", "IPv4 Service Continuity Prefix"),
    ("192.0.0.8/32", "IPv4 dummy address"),
    ("192.0.0.9/32", "Port Control Protocol Anycast"),
    ("192.0.0.10/32", "Traversal Using Relays around NAT Anycast"),
    ("192.0.0.170/32", "NAT64/DNS64 Discovery"),
    ("192.0.0.171/32", "NAT64/DNS64 Discovery"),
    ("192.0.2.0/24", "Documentation (TEST-NET-1)"),
    ("192.31.196.0/24", "AS112-v4"),
    ("192.52.193.0/24", "AMT"),
    ("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)"),
    ("192.88.99.2/32", "6a44-relay anycast address"),
    ("192.168.0.0/16", "Private-Use"),
    ("192.175.48.0/24", "Direct Delegation AS112 Service"),
    ("198.18.0.0/15", "Benchmarking"),
    ("198.51.100.0/24", "Documentation (TEST-NET-2)"),
    ("203.0.113.0/24", "Documentation (TEST-NET-3)"),
    ("240.0.0.0/4", "Reserved"),
    ("255.255.255.255/32", "Limited Broadcast"),
)

# IANA IPv6 Special-Purpose Address Registry (iana-ipv6-special-registry), as last updated
# 2025-10-09: https://www.iana.org/assignments/iana-ipv6-special-registry/
IPV6_SPECIAL_PURPOSE: tuple[tuple[str, str], ...] = (
    ("::1/128", "Loopback Address"),
    ("::/128", "Unspecified Address"),
    ("::ffff:0:0/96", "IPv4-mapped Address"),  # judged by the IPv4 address it carries
    ("64:ff9b::/96", "IPv4-IPv6 Translat."),  # NAT64: judged by the IPv4 address it carries
    ("64:ff9b:1::/48", "IPv4-IPv6 Translat."),  # local-use NAT64: a network's own
    ("100::/64", "Discard-Only Address Block"),
    ("100:0:0:1::/64", "Dummy IPv6 Prefix"),
    ("2001::/23", "IETF Protocol Assignments"),
    ("2001::/32", "TEREDO"),
    ("2001:1::1/128", "Port Control Protocol Anycast"),
    ("2001:1::2/128", "Traversal Using Relays around NAT Anycast"),
    ("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast"),
    ("2001:2::/48", "Benchmarking"),
    ("2001:3::/32", "AMT"),
    ("2001:4:112::/48", "AS112-v6"),
    ("2001:10::/28", "Deprecated (previously ORCHID)"),
    ("2001:20::/28", "ORCHIDv2"),
    ("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix"),
    ("2001:db8::/32", "Documentation"),
    ("2002::/16", "6to4"),  # judged by the IPv4 address it carries
    ("2620:4f:8000::/48", "Direct Delegation AS112 Service"),
    ("3fff::/20", "Documentation"),
    ("5f00::/16", "Segment Routing (SRv6) SIDs"),
    ("fc00::/7", "Unique-Local"),
    ("fe80::/10", "Link-Local Unicast"),
)

# Not public either, from other IANA registries: IPv4 Multicast Address Space, and the IPv6
# Address Space (multicast; site-local, deprecated by RFC 3879; all else outside 2000::/3).
NOT_PUBLIC_ELSEWHERE: tuple[tuple[str, str], ...] = (
    ("224.0.0.0/4", "Multicast"),
    ("ff00::/8", "Multicast"),
    ("fec0::/10", "Site-Local (deprecated)"),
)

# IPv6 forms that only carry an IPv4 address; the IPv4 address decides.
_CARRIERS = frozenset({"::ffff:0:0/96", "64:ff9b::/96", "2002::/16"})
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")


def _networks(table: Sequence[tuple[str, str]]) -> list[tuple[Network, str]]:
    return [(ipaddress.ip_network(cidr), name) for cidr, name in table if cidr not in _CARRIERS]


# most specific first, so that a message names 192.0.0.9/32 rather than 192.0.0.0/24
_REFUSED = sorted(
    _networks(IPV4_SPECIAL_PURPOSE) + _networks(IPV6_SPECIAL_PURPOSE) + _networks(NOT_PUBLIC_ELSEWHERE),
    key=lambda item: -item[0].prefixlen,
)


def address_problem(address: IPAddress) -> str | None:
    """Why a fetch must not go to this address; None when it is public."""
    carried = _carried_ipv4(address)
    if carried is not None:
        problem = address_problem(carried)
        return f"{address} carries {problem}" if problem else None
    for network, name in _REFUSED:
        if network.version == address.version and address in network:
            return f"{address} is in {network} ({name})"
    if isinstance(address, ipaddress.IPv6Address) and address not in _GLOBAL_UNICAST:
        return f"{address} is outside the global unicast space {_GLOBAL_UNICAST}"
    return None


def _carried_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form really reaches (mapped, 6to4, NAT64)."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None
