"""Trap varbinds decode into link events; the book keeps the newest state."""

from __future__ import annotations

import pytest
from pysnmp.proto.rfc1902 import Integer32, ObjectIdentifier, OctetString, TimeTicks

from collectors.linkstate import LinkStateBook, TrapKind, decode_link_event
from collectors.oids import LINK_DOWN, LINK_UP, SNMP_TRAP_OID

pytestmark = pytest.mark.unit


def test_net_snmp_link_down() -> None:
    binds = [
        ("1.3.6.1.2.1.1.3.0", TimeTicks(12345)),
        (SNMP_TRAP_OID, ObjectIdentifier(LINK_DOWN)),
        ("1.3.6.1.2.1.2.2.1.1.7", Integer32(7)),
        ("1.3.6.1.2.1.2.2.1.7.7", Integer32(1)),
        ("1.3.6.1.2.1.2.2.1.8.7", Integer32(2)),
    ]
    event = decode_link_event("172.30.4.2", binds, at=100.0)
    assert event.kind is TrapKind.link_down
    assert (event.if_index, event.if_name, event.oper_up) == (7, None, False)


def test_vendor_link_up_with_if_name() -> None:
    binds = [
        (SNMP_TRAP_OID, ObjectIdentifier(LINK_UP)),
        ("1.3.6.1.2.1.2.2.1.1.3", Integer32(3)),
        ("1.3.6.1.2.1.31.1.1.1.1.3", OctetString("GigabitEthernet0/0/1")),
    ]
    event = decode_link_event("10.0.0.1", binds, at=1.0)
    assert event.kind is TrapKind.link_up
    assert event.if_name == "GigabitEthernet0/0/1"
    assert event.oper_up is True  # linkUp without ifOperStatus still means up


def test_other_notifications_are_not_link_events() -> None:
    event = decode_link_event(
        "10.0.0.1", [(SNMP_TRAP_OID, ObjectIdentifier("1.3.6.1.6.3.1.1.5.1"))], 1.0
    )
    assert event.kind is TrapKind.other
    assert event.oper_up is None


def test_book_trap_then_newer_poll_then_older_poll() -> None:
    book = LinkStateBook()
    book.record_poll("town1", "eth1", up=True, polled_at=5.0)
    assert book.states == {}  # polls alone do not create trap series
    book.record_trap("town1", "eth1", up=False, at=10.0)
    book.record_poll("town1", "eth1", up=True, polled_at=9.0)  # started before the trap
    assert book.states[("town1", "eth1")].up is False
    book.record_poll("town1", "eth1", up=True, polled_at=11.0)
    assert book.states[("town1", "eth1")].up is True
    book.count("town1", TrapKind.link_down)
    book.count("town1", TrapKind.link_down)
    assert book.received[("town1", TrapKind.link_down)] == 2
