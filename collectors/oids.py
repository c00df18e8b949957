"""Numeric OIDs polled by egovnet (SNMPv2-MIB, IF-MIB); Debian ships no MIB files."""

from __future__ import annotations

from enum import Enum

SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
IF_NAME = "1.3.6.1.2.1.31.1.1.1.1"
IF_DESCR = "1.3.6.1.2.1.2.2.1.2"

#: Notifications (SNMPv2-MIB snmpTrapOID.0 values) and the varbinds they carry.
SNMP_TRAP_OID = "1.3.6.1.6.3.1.1.4.1.0"
LINK_DOWN = "1.3.6.1.6.3.1.1.5.3"
LINK_UP = "1.3.6.1.6.3.1.1.5.4"
IF_INDEX = "1.3.6.1.2.1.2.2.1.1"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8"


class Column(Enum):
    """An IF-MIB column read per interface: its OID and whether it is a 32-bit counter."""

    hc_in_octets = ("1.3.6.1.2.1.31.1.1.1.6", False)
    hc_out_octets = ("1.3.6.1.2.1.31.1.1.1.10", False)
    in_octets = ("1.3.6.1.2.1.2.2.1.10", True)
    out_octets = ("1.3.6.1.2.1.2.2.1.16", True)
    in_errors = ("1.3.6.1.2.1.2.2.1.14", True)
    out_errors = ("1.3.6.1.2.1.2.2.1.20", True)
    in_discards = ("1.3.6.1.2.1.2.2.1.13", True)
    out_discards = ("1.3.6.1.2.1.2.2.1.19", True)
    oper_status = ("1.3.6.1.2.1.2.2.1.8", False)
    admin_status = ("1.3.6.1.2.1.2.2.1.7", False)
    high_speed = ("1.3.6.1.2.1.31.1.1.1.15", False)
    alias = ("1.3.6.1.2.1.31.1.1.1.18", False)

    def __init__(self, oid: str, counter32: bool) -> None:
        self.oid = oid
        self.counter32 = counter32


#: Polled every time for every interface; the 64-bit octet counters come first so a device
#: that lacks them is noticed on the first poll and asked for the 32-bit ones instead.
BASE_COLUMNS: tuple[Column, ...] = (
    Column.hc_in_octets,
    Column.hc_out_octets,
    Column.oper_status,
    Column.admin_status,
    Column.high_speed,
    Column.in_errors,
    Column.out_errors,
    Column.in_discards,
    Column.out_discards,
    Column.alias,
)
#: The 32-bit stand-ins for the 64-bit octet counters.
FALLBACK_OF: dict[Column, Column] = {
    Column.hc_in_octets: Column.in_octets,
    Column.hc_out_octets: Column.out_octets,
}
