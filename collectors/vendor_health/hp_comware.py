"""H3C Comware: HH3C-ENTITY-EXT-MIB boards, fans and power supplies; HH3C-TRANSCEIVER-INFO-MIB.

Boards are the entities Zabbix's "HP Comware HH3C by SNMP" template watches (entPhysicalDescr
``Module level1`` or a fabric module; temperature sensors too, for the temperature). Fans and
power supplies are the entities of class fan(7) and powerSupply(6), failed in the error
states that template alerts on. Optics are indexed by ifIndex; their low alarm thresholds are
in tenths of a microwatt, turned into dBm here.
"""

from __future__ import annotations

import re

from ..vendor_oids import (
    CLASS_FAN,
    CLASS_POWER_SUPPLY,
    ENT_PHYSICAL_CLASS,
    ENT_PHYSICAL_DESCR,
    ENT_PHYSICAL_NAME,
    HH3C_CPU_USAGE,
    HH3C_ERROR_STATUS,
    HH3C_MEM_USAGE,
    HH3C_RX_LOW_ALARM,
    HH3C_RX_POWER,
    HH3C_TEMPERATURE,
    HH3C_TX_LOW_ALARM,
    HH3C_TX_POWER,
)
from .common import (
    entity_class,
    entity_descr,
    entity_name,
    hundredths,
    integer,
    tenth_microwatts_to_dbm,
)
from .readings import BoardHealth, HealthParts, InterfaceOf, OpticalReading, PartState, Tables

PLATFORM = "hp_comware"
#: Zabbix's module discovery filter on entPhysicalDescr; temperature sensors for temperature.
BOARD = re.compile(r"(Fabric|FABRIC) (.+) (Module|MODULE)|^(MODULE|Module) (LEVEL|level)1$")
SENSOR = re.compile(r"(T|t)emperature.*(s|S)ensor")
#: hh3cEntityExtErrorStatus values Zabbix treats as failed: fanError(41), hardwareFaulty(91);
#: psuError(51), rpsError(61), hardwareFaulty(91).
FAN_FAILED = frozenset({41, 91})
POWER_FAILED = frozenset({51, 61, 91})

COLUMNS: tuple[str, ...] = (
    ENT_PHYSICAL_DESCR.oid,
    ENT_PHYSICAL_CLASS.oid,
    ENT_PHYSICAL_NAME.oid,
    HH3C_CPU_USAGE.oid,
    HH3C_MEM_USAGE.oid,
    HH3C_TEMPERATURE.oid,
    HH3C_ERROR_STATUS.oid,
    HH3C_TX_POWER.oid,
    HH3C_RX_POWER.oid,
    HH3C_TX_LOW_ALARM.oid,
    HH3C_RX_LOW_ALARM.oid,
)


def parse(tables: Tables, interface_of: InterfaceOf) -> HealthParts:
    boards, fans, power = [], [], []
    for index in tables.get(ENT_PHYSICAL_CLASS.oid, {}):
        name, descr = entity_name(tables, index), entity_descr(tables, index)
        kind = entity_class(tables, index)
        status = integer(tables, HH3C_ERROR_STATUS.oid, index)
        if kind == CLASS_FAN and status is not None:
            fans.append(PartState(name, status not in FAN_FAILED, status))
        elif kind == CLASS_POWER_SUPPLY and status is not None:
            power.append(PartState(name, status not in POWER_FAILED, status))
        board, sensor = bool(BOARD.search(descr)), bool(SENSOR.search(descr))
        if board or sensor:
            temp = integer(tables, HH3C_TEMPERATURE.oid, index)
            # Zabbix's known issue: entities without a sensor answer 0 (no reading, not 0 °C)
            celsius = float(temp) if temp else None
            cpu = integer(tables, HH3C_CPU_USAGE.oid, index) if board else None
            mem = integer(tables, HH3C_MEM_USAGE.oid, index) if board else None
            boards.append(BoardHealth(name, hundredths(cpu), hundredths(mem), celsius))
    optics = []
    rows = {**tables.get(HH3C_RX_POWER.oid, {}), **tables.get(HH3C_TX_POWER.oid, {})}
    for index in rows:
        interface = interface_of(int(index)) if index.isdigit() else None
        if interface is None:
            continue
        optics.append(
            OpticalReading(
                interface,
                rx_dbm=hundredths(integer(tables, HH3C_RX_POWER.oid, index)),
                tx_dbm=hundredths(integer(tables, HH3C_TX_POWER.oid, index)),
                rx_low_dbm=tenth_microwatts_to_dbm(integer(tables, HH3C_RX_LOW_ALARM.oid, index)),
                tx_low_dbm=tenth_microwatts_to_dbm(integer(tables, HH3C_TX_LOW_ALARM.oid, index)),
            )
        )
    return HealthParts(tuple(boards), tuple(fans), tuple(power), tuple(optics))
