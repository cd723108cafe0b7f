"""The address guard refuses every special-purpose range of the IANA registries, and nothing public."""

from __future__ import annotations

import ipaddress

import pytest

from monitor.collect.addresses import (
    IPV4_SPECIAL_PURPOSE,
    IPV6_SPECIAL_PURPOSE,
    NOT_PUBLIC_ELSEWHERE,
    address_problem,
)
from monitor.collect.fetch import check_url

# IPv6 forms that carry an IPv4 address: judged by it (NAT64 networks reach every IPv4 site so)
CARRIERS = {"::ffff:0:0/96", "64:ff9b::/96", "2002::/16"}


def ends(cidr: str) -> list[str]:
    network = ipaddress.ip_network(cidr)
    return sorted({str(network.network_address), str(network.broadcast_address)})


def carrying(ipv4: str) -> list[str]:
    """The IPv6 addresses that reach ``ipv4``: mapped, NAT64, 6to4."""
    n = int(ipaddress.IPv4Address(ipv4))
    return [str(ipaddress.IPv6Address(prefix | (n << shift))) for prefix, shift in
            ((0xFFFF << 32, 0), (0x64FF9B << 96, 0), (0x2002 << 112, 80))]


REFUSED = [(cidr, name, address) for cidr, name in IPV4_SPECIAL_PURPOSE + IPV6_SPECIAL_PURPOSE + NOT_PUBLIC_ELSEWHERE
           for address in ends(cidr)]


@pytest.mark.parametrize(("cidr", "name", "address"), REFUSED, ids=[f"{c} {a}" for c, _, a in REFUSED])
def test_every_registered_range_is_refused_at_both_ends(cidr: str, name: str, address: str) -> None:
    problem = address_problem(ipaddress.ip_address(address))
    assert problem is not None, f"{address} in {cidr} ({name}) passes"
    if cidr not in CARRIERS:
        assert problem.startswith(f"{ipaddress.ip_address(address)} is in ")


@pytest.mark.parametrize(("cidr", "name"), IPV4_SPECIAL_PURPOSE + NOT_PUBLIC_ELSEWHERE[:1])
def test_every_ipv4_range_is_refused_inside_each_ipv6_form_that_carries_it(cidr: str, name: str) -> None:
    inside = str(ipaddress.ip_network(cidr).network_address)
    for address in carrying(inside):
        problem = address_problem(ipaddress.ip_address(address))
        assert problem is not None and f"carries {inside} is in " in problem, (address, name)


@pytest.mark.parametrize("url", ["http://192.0.0.1/", "http://192.88.99.1/", "http://[fec0::1]/", "http://[3fff::1]/"])
def test_the_ranges_that_once_slipped_through_are_refused(url: str) -> None:
    reason = check_url(url, allow_private=False)
    assert reason is not None and "refusing" in reason


def test_the_most_specific_range_is_named() -> None:
    anycast, assignment = ipaddress.ip_address("192.0.0.9"), ipaddress.ip_address("192.0.0.77")
    assert address_problem(anycast) == "192.0.0.9 is in 192.0.0.9/32 (Port Control Protocol Anycast)"
    assert address_problem(assignment) == "192.0.0.77 is in 192.0.0.0/24 (IETF Protocol Assignments)"


@pytest.mark.parametrize("address", ["4000::1", "::808:808", "e000::1", "1::"])
def test_ipv6_outside_the_global_unicast_space_is_refused(address: str) -> None:
    problem = address_problem(ipaddress.ip_address(address))
    assert problem is not None and "outside the global unicast space 2000::/3" in problem


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "1.1.1.1", "41.73.112.10", "192.0.1.1", "192.88.98.255", "2001:4860:4860::8888",
     "2a00:1450:4007:80b::200e", "3fff:1000::1", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"],
)
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) is None
