"""Huawei VRP: HUAWEI-ENTITY-EXTENT-MIB boards, fans, power supplies and optics.

Boards are the entities Zabbix's "Huawei VRP by SNMP" template watches: entPhysicalName
matching ``MPU.*`` (main processing units). Fans and power supplies have tables of their
own indexed by slot and number; optics are indexed by the port's entPhysicalIndex, named by
entPhysicalName (the port's name, as in ``display interface``).
"""

from __future__ import annotations

import re

from ..vendor_oids import (
    ENT_PHYSICAL_NAME,
    HW_CPU_USAGE,
    HW_FAN_STATE,
    HW_MEM_USAGE,
    HW_OPTICAL_RX_LOW,
    HW_OPTICAL_RX_POWER,
    HW_OPTICAL_TX_LOW,
    HW_OPTICAL_TX_POWER,
    HW_PWR_STATE,
    HW_TEMPERATURE,
)
from .common import entity_name, hundredths, integer
from .readings import BoardHealth, HealthParts, InterfaceOf, OpticalReading, PartState, Tables

PLATFORM = "huawei_vrp"
#: Zabbix's MPU discovery filter on entPhysicalName.
BOARD = re.compile(r"MPU")
#: hwEntityFanState normal(1); hwEntityPwrState supply(1). Anything else is a failure.
FAN_OK = frozenset({1})
POWER_OK = frozenset({1})

COLUMNS: tuple[str, ...] = (
    ENT_PHYSICAL_NAME.oid,
    HW_CPU_USAGE.oid,
    HW_MEM_USAGE.oid,
    HW_TEMPERATURE.oid,
    HW_FAN_STATE.oid,
    HW_PWR_STATE.oid,
    HW_OPTICAL_RX_POWER.oid,
    HW_OPTICAL_TX_POWER.oid,
    HW_OPTICAL_RX_LOW.oid,
    HW_OPTICAL_TX_LOW.oid,
)


def parse(tables: Tables, interface_of: InterfaceOf) -> HealthParts:
    del interface_of  # optics are named by ENTITY-MIB here, not by ifIndex
    names = tables.get(ENT_PHYSICAL_NAME.oid, {})
    boards = []
    for index in names:
        name = entity_name(tables, index)
        if not BOARD.search(name):
            continue
        cpu = integer(tables, HW_CPU_USAGE.oid, index)
        mem = integer(tables, HW_MEM_USAGE.oid, index)
        temp = integer(tables, HW_TEMPERATURE.oid, index)
        boards.append(
            BoardHealth(name, hundredths(cpu), hundredths(mem), None if temp is None else temp)
        )
    optics = []
    rows = {**tables.get(HW_OPTICAL_RX_POWER.oid, {}), **tables.get(HW_OPTICAL_TX_POWER.oid, {})}
    for index in rows:
        optics.append(
            OpticalReading(
                entity_name(tables, index),
                rx_dbm=hundredths(integer(tables, HW_OPTICAL_RX_POWER.oid, index)),
                tx_dbm=hundredths(integer(tables, HW_OPTICAL_TX_POWER.oid, index)),
                rx_low_dbm=hundredths(integer(tables, HW_OPTICAL_RX_LOW.oid, index)),
                tx_low_dbm=hundredths(integer(tables, HW_OPTICAL_TX_LOW.oid, index)),
            )
        )
    return HealthParts(
        boards=tuple(boards),
        fans=_parts(tables, HW_FAN_STATE.oid, FAN_OK),
        power_supplies=_parts(tables, HW_PWR_STATE.oid, POWER_OK),
        optics=tuple(optics),
    )


def _parts(tables: Tables, column: str, ok: frozenset[int]) -> tuple[PartState, ...]:
    """Rows indexed by slot.number, named ``slot/number`` as ``display fan`` counts them."""
    out = []
    for index in tables.get(column, {}):
        code = integer(tables, column, index)
        if code is not None:
            out.append(PartState(index.replace(".", "/"), code in ok, code))
    return tuple(out)
