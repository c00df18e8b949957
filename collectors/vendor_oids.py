"""Numeric OIDs of the vendor health MIBs egovnet polls (Huawei enterprise 2011, H3C 25506).

Debian ships no MIB files, so every object is named here once with its MIB, syntax, unit and
index, and docs/vendor-health.md prints the same table (tests/unit/test_vendor_health.py keeps
the two in step). Checked against Zabbix's "Huawei VRP by SNMP" and "HP Comware HH3C by SNMP"
templates (zabbix/zabbix, templates/net/huawei_snmp/ and templates/net/hp_hh3c_snmp/) where
those use the object, and against the MIB texts themselves (HUAWEI-ENTITY-EXTENT-MIB V3.05,
HH3C-ENTITY-EXT-MIB, HH3C-TRANSCEIVER-INFO-MIB V2.4) for the rest: power supplies on Huawei
and the optics of both vendors are in neither template.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VendorOid:
    """One polled column: where it is, what it holds, and who vouches for it."""

    name: str
    mib: str
    oid: str
    syntax: str
    unit: str
    index: str
    source: str


ENTITY = "ENTITY-MIB"
HW = "HUAWEI-ENTITY-EXTENT-MIB"
HH3C = "HH3C-ENTITY-EXT-MIB"
HH3C_XCVR = "HH3C-TRANSCEIVER-INFO-MIB"
ZABBIX_HW = "Zabbix Huawei VRP by SNMP"
ZABBIX_H3C = "Zabbix HP Comware HH3C by SNMP"

# --- ENTITY-MIB (both vendors name their boards, fans, power supplies and ports here) -------
ENT_PHYSICAL_DESCR = VendorOid(
    "entPhysicalDescr", ENTITY, "1.3.6.1.2.1.47.1.1.1.1.2", "SnmpAdminString", "-",
    "entPhysicalIndex", f"{ZABBIX_HW}; {ZABBIX_H3C}",
)  # fmt: skip
ENT_PHYSICAL_CLASS = VendorOid(
    "entPhysicalClass", ENTITY, "1.3.6.1.2.1.47.1.1.1.1.5",
    "PhysicalClass (powerSupply 6, fan 7, module 9, port 10)", "-", "entPhysicalIndex",
    f"{ZABBIX_HW}; {ZABBIX_H3C}",
)  # fmt: skip
ENT_PHYSICAL_NAME = VendorOid(
    "entPhysicalName", ENTITY, "1.3.6.1.2.1.47.1.1.1.1.7", "SnmpAdminString", "-",
    "entPhysicalIndex", f"{ZABBIX_HW}; {ZABBIX_H3C}",
)  # fmt: skip

# --- HUAWEI-ENTITY-EXTENT-MIB -------------------------------------------------------------
HW_CPU_USAGE = VendorOid(
    "hwEntityCpuUsage", HW, "1.3.6.1.4.1.2011.5.25.31.1.1.1.1.5", "Integer32 (0..100)",
    "percent", "entPhysicalIndex", ZABBIX_HW,
)  # fmt: skip
HW_MEM_USAGE = VendorOid(
    "hwEntityMemUsage", HW, "1.3.6.1.4.1.2011.5.25.31.1.1.1.1.7", "Integer32 (0..100)",
    "percent", "entPhysicalIndex", ZABBIX_HW,
)  # fmt: skip
HW_TEMPERATURE = VendorOid(
    "hwEntityTemperature", HW, "1.3.6.1.4.1.2011.5.25.31.1.1.1.1.11", "Integer32",
    "degrees Celsius", "entPhysicalIndex", ZABBIX_HW,
)  # fmt: skip
HW_FAN_STATE = VendorOid(
    "hwEntityFanState", HW, "1.3.6.1.4.1.2011.5.25.31.1.1.10.1.7",
    "INTEGER normal(1), abnormal(2)", "-", "hwEntityFanSlot.hwEntityFanSn", ZABBIX_HW,
)  # fmt: skip
HW_PWR_STATE = VendorOid(
    "hwEntityPwrState", HW, "1.3.6.1.4.1.2011.5.25.31.1.1.18.1.6",
    "INTEGER supply(1), notSupply(2), sleep(3), unknown(4)", "-",
    "hwEntityPwrSlot.hwEntityPwrSn", f"{HW} (hwPwrStatusTable; not in the Zabbix template)",
)  # fmt: skip
HW_OPTICAL_RX_POWER = VendorOid(
    "hwEntityOpticalRxPower", HW, "1.3.6.1.4.1.2011.5.25.31.1.1.3.1.8", "Integer32",
    "0.01 dBm", "entPhysicalIndex", f"{HW} (hwOpticalModuleInfoTable)",
)  # fmt: skip
HW_OPTICAL_TX_POWER = VendorOid(
    "hwEntityOpticalTxPower", HW, "1.3.6.1.4.1.2011.5.25.31.1.1.3.1.9", "Integer32",
    "0.01 dBm", "entPhysicalIndex", f"{HW} (hwOpticalModuleInfoTable)",
)  # fmt: skip
HW_OPTICAL_RX_LOW = VendorOid(
    "hwEntityOpticalRxLowThreshold", HW, "1.3.6.1.4.1.2011.5.25.31.1.1.3.1.13", "Integer32",
    "0.01 dBm", "entPhysicalIndex", f"{HW} (hwOpticalModuleInfoTable)",
)  # fmt: skip
HW_OPTICAL_TX_LOW = VendorOid(
    "hwEntityOpticalTxLowThreshold", HW, "1.3.6.1.4.1.2011.5.25.31.1.1.3.1.15", "Integer32",
    "0.01 dBm", "entPhysicalIndex", f"{HW} (hwOpticalModuleInfoTable)",
)  # fmt: skip

# --- HH3C-ENTITY-EXT-MIB and HH3C-TRANSCEIVER-INFO-MIB -------------------------------------
HH3C_CPU_USAGE = VendorOid(
    "hh3cEntityExtCpuUsage", HH3C, "1.3.6.1.4.1.25506.2.6.1.1.1.1.6", "Integer32 (0..100)",
    "percent", "entPhysicalIndex", ZABBIX_H3C,
)  # fmt: skip
HH3C_MEM_USAGE = VendorOid(
    "hh3cEntityExtMemUsage", HH3C, "1.3.6.1.4.1.25506.2.6.1.1.1.1.8", "Integer32 (0..100)",
    "percent", "entPhysicalIndex", ZABBIX_H3C,
)  # fmt: skip
HH3C_TEMPERATURE = VendorOid(
    "hh3cEntityExtTemperature", HH3C, "1.3.6.1.4.1.25506.2.6.1.1.1.1.12", "Integer32",
    "degrees Celsius", "entPhysicalIndex", ZABBIX_H3C,
)  # fmt: skip
HH3C_ERROR_STATUS = VendorOid(
    "hh3cEntityExtErrorStatus", HH3C, "1.3.6.1.4.1.25506.2.6.1.1.1.1.19",
    "INTEGER normal(2), fanError(41), psuError(51), rpsError(61), hardwareFaulty(91), ...",
    "-", "entPhysicalIndex", ZABBIX_H3C,
)  # fmt: skip
HH3C_TX_POWER = VendorOid(
    "hh3cTransceiverCurTXPower", HH3C_XCVR, "1.3.6.1.4.1.25506.2.70.1.1.1.9", "Integer32",
    "0.01 dBm", "ifIndex", f"{HH3C_XCVR} (hh3cTransceiverInfoTable)",
)  # fmt: skip
HH3C_RX_POWER = VendorOid(
    "hh3cTransceiverCurRXPower", HH3C_XCVR, "1.3.6.1.4.1.25506.2.70.1.1.1.12", "Integer32",
    "0.01 dBm", "ifIndex", f"{HH3C_XCVR} (hh3cTransceiverInfoTable)",
)  # fmt: skip
HH3C_TX_LOW_ALARM = VendorOid(
    "hh3cTransceiverPwrOutLoAlarm", HH3C_XCVR, "1.3.6.1.4.1.25506.2.70.1.1.1.31", "Integer32",
    "0.1 µW (10000 = 1 mW)", "ifIndex", f"{HH3C_XCVR} (hh3cTransceiverInfoTable)",
)  # fmt: skip
HH3C_RX_LOW_ALARM = VendorOid(
    "hh3cTransceiverRcvPwrLoAlarm", HH3C_XCVR, "1.3.6.1.4.1.25506.2.70.1.1.1.35", "Integer32",
    "0.1 µW (10000 = 1 mW)", "ifIndex", f"{HH3C_XCVR} (hh3cTransceiverInfoTable)",
)  # fmt: skip

#: Every vendor object egovnet reads, in the order docs/vendor-health.md lists them.
VENDOR_OIDS: tuple[VendorOid, ...] = (
    ENT_PHYSICAL_DESCR, ENT_PHYSICAL_CLASS, ENT_PHYSICAL_NAME,
    HW_CPU_USAGE, HW_MEM_USAGE, HW_TEMPERATURE, HW_FAN_STATE, HW_PWR_STATE,
    HW_OPTICAL_RX_POWER, HW_OPTICAL_TX_POWER, HW_OPTICAL_RX_LOW, HW_OPTICAL_TX_LOW,
    HH3C_CPU_USAGE, HH3C_MEM_USAGE, HH3C_TEMPERATURE, HH3C_ERROR_STATUS,
    HH3C_TX_POWER, HH3C_RX_POWER, HH3C_TX_LOW_ALARM, HH3C_RX_LOW_ALARM,
)  # fmt: skip

#: entPhysicalClass values the platforms' parsers select on.
CLASS_POWER_SUPPLY = 6
CLASS_FAN = 7
CLASS_MODULE = 9
#: Integer32 extremes agents answer for "no reading" (Huawei documents 2147483647 as invalid).
INVALID_READINGS = frozenset({2147483647, -2147483648})
