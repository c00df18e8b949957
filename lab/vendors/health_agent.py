"""snmpd ``pass_persist`` agent: an emulated VRP/Comware device's health MIBs from its state.

Run by snmpd, one process per registered subtree (see
:func:`lab.vendors.health_snmpd.snmpd_config_lines`)::

    pass_persist .1.3.6.1.4.1.2011.5.25.31 /usr/bin/python3 health_agent.py STATE ROOT

It answers ENTITY-MIB's entPhysicalTable and HUAWEI-ENTITY-EXTENT-MIB (huawei_vrp) or
HH3C-ENTITY-EXT-MIB and HH3C-TRANSCEIVER-INFO-MIB (hp_comware) from the JSON state file that
:mod:`lab.vendors.health_state` writes, re-read whenever the file changes, so a fault set
while snmpd runs is in the very next answer. snmpd itself keeps SNMPv3, IF-MIB and the rest.

Standard library only: snmpd may start it with the system's Python, outside any venv. The
OIDs repeat collectors/vendor_oids.py on purpose (this file imports nothing of egovnet);
tests/integration/test_vendor_health_snmpd.py checks both ends agree.

The protocol (snmpd.conf(5), "pass_persist"): ``PING`` -> ``PONG``; ``get``/``getnext`` and an
OID -> the OID, its type and value on three lines, or ``NONE``; ``set`` -> ``not-writable``.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

Oid = tuple[int, ...]
Row = tuple[Oid, str, str]  # oid, pass_persist type, value text
Entity = tuple[int, int, str, str]  # entPhysicalIndex, class, name, descr
Board = dict[str, int]

ENT = (1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1)
HW_STATE = (1, 3, 6, 1, 4, 1, 2011, 5, 25, 31, 1, 1, 1, 1)
HW_OPTICAL = (1, 3, 6, 1, 4, 1, 2011, 5, 25, 31, 1, 1, 3, 1)
HW_FAN = (1, 3, 6, 1, 4, 1, 2011, 5, 25, 31, 1, 1, 10, 1)
HW_PWR = (1, 3, 6, 1, 4, 1, 2011, 5, 25, 31, 1, 1, 18, 1)
HH3C_STATE = (1, 3, 6, 1, 4, 1, 25506, 2, 6, 1, 1, 1, 1)
HH3C_XCVR = (1, 3, 6, 1, 4, 1, 25506, 2, 70, 1, 1, 1)
CHASSIS, BOARD, FAN_BASE, PSU_BASE, PORT_BASE = 1, 2, 10, 40, 100
CLASS_CHASSIS, CLASS_PSU, CLASS_FAN, CLASS_MODULE, CLASS_PORT = 3, 6, 7, 9, 10


def parse_oid(text: str) -> Oid:
    return tuple(int(part) for part in text.strip().strip(".").split(".") if part)


def centi(dbm: float) -> int:
    return round(dbm * 100)


def tenth_microwatts(dbm: float) -> int:
    return round(10000 * math.pow(10.0, dbm / 10.0))


def _entities(state: dict[str, Any]) -> Iterator[Entity]:
    """(entPhysicalIndex, class, name, descr) of the chassis, board, fans, PSUs and ports."""
    huawei = state["platform"] == "huawei_vrp"
    yield CHASSIS, CLASS_CHASSIS, state.get("model", "chassis"), "chassis"
    if huawei:
        yield BOARD, CLASS_MODULE, "MPU Board 0", "Main Processing Unit"
    else:
        yield BOARD, CLASS_MODULE, "Board 1", "MODULE LEVEL1"
    for i, _ in enumerate(state["fans_ok"]):
        name = f"FAN 0/{i + 1}" if huawei else f"Fan {i + 1}"
        yield FAN_BASE + i, CLASS_FAN, name, "Fan"
    for i, _ in enumerate(state["power_supplies_ok"]):
        name = f"PWR 0/{i + 1}" if huawei else f"Power {i + 1}"
        yield PSU_BASE + i, CLASS_PSU, name, "Power supply"
    for i, port in enumerate(state["ports"]):
        yield PORT_BASE + i, CLASS_PORT, port["name"], port["name"]


def rows(state: dict[str, Any]) -> list[Row]:
    """Every object the device answers, in OID order."""
    out: list[Row] = []
    entities = list(_entities(state))
    for index, klass, name, descr in entities:
        out += [
            ((*ENT, 2, index), "string", descr),
            ((*ENT, 5, index), "integer", str(klass)),
            ((*ENT, 7, index), "string", name),
        ]
    board: Board = {
        "cpu": state["cpu_percent"],
        "mem": state["memory_percent"],
        "temp": state["temperature_celsius"],
    }
    if state["platform"] == "huawei_vrp":
        out += _huawei(state, entities, board)
    else:
        out += _comware(state, entities, board)
    return sorted(out)


def _huawei(
    state: dict[str, Any], entities: list[tuple[int, int, str, str]], board: Any
) -> list[Row]:
    out: list[Row] = []
    for index, *_ in entities:
        on_board = index == BOARD
        out += [
            ((*HW_STATE, 5, index), "integer", str(board["cpu"] if on_board else 0)),
            ((*HW_STATE, 7, index), "integer", str(board["mem"] if on_board else 0)),
            ((*HW_STATE, 11, index), "integer", str(board["temp"] if on_board else 0)),
        ]
    for i, ok in enumerate(state["fans_ok"]):
        row = (0, i + 1)
        out += [
            ((*HW_FAN, 1, *row), "integer", "0"),
            ((*HW_FAN, 2, *row), "integer", str(i + 1)),
            ((*HW_FAN, 6, *row), "integer", "1"),  # present
            ((*HW_FAN, 7, *row), "integer", "1" if ok else "2"),  # normal / abnormal
        ]
    for i, ok in enumerate(state["power_supplies_ok"]):
        row = (0, i + 1)
        out += [
            ((*HW_PWR, 1, *row), "integer", "0"),
            ((*HW_PWR, 2, *row), "integer", str(i + 1)),
            ((*HW_PWR, 6, *row), "integer", "1" if ok else "2"),  # supply / notSupply
        ]
    for i, port in enumerate(state["ports"]):
        optic = port.get("optic")
        if optic:
            index = PORT_BASE + i
            out += [
                ((*HW_OPTICAL, 8, index), "integer", str(centi(optic["rx_dbm"]))),
                ((*HW_OPTICAL, 9, index), "integer", str(centi(optic["tx_dbm"]))),
                ((*HW_OPTICAL, 13, index), "integer", str(centi(optic["rx_low_dbm"]))),
                ((*HW_OPTICAL, 15, index), "integer", str(centi(optic["tx_low_dbm"]))),
            ]
    return out


def _comware(
    state: dict[str, Any], entities: list[tuple[int, int, str, str]], board: Any
) -> list[Row]:
    out: list[Row] = []
    fans, psus = state["fans_ok"], state["power_supplies_ok"]
    for index, klass, *_ in entities:
        status = 2  # normal
        if klass == CLASS_FAN and not fans[index - FAN_BASE]:
            status = 41  # fanError
        if klass == CLASS_PSU and not psus[index - PSU_BASE]:
            status = 51  # psuError
        on_board = index == BOARD
        out += [
            ((*HH3C_STATE, 6, index), "integer", str(board["cpu"] if on_board else 0)),
            ((*HH3C_STATE, 8, index), "integer", str(board["mem"] if on_board else 0)),
            ((*HH3C_STATE, 12, index), "integer", str(board["temp"] if on_board else 0)),
            ((*HH3C_STATE, 19, index), "integer", str(status)),
        ]
    for port in state["ports"]:
        optic = port.get("optic")
        if optic and port.get("if_index"):
            index = int(port["if_index"])
            out += [
                ((*HH3C_XCVR, 9, index), "integer", str(centi(optic["tx_dbm"]))),
                ((*HH3C_XCVR, 12, index), "integer", str(centi(optic["rx_dbm"]))),
                ((*HH3C_XCVR, 31, index), "integer", str(tenth_microwatts(optic["tx_low_dbm"]))),
                ((*HH3C_XCVR, 35, index), "integer", str(tenth_microwatts(optic["rx_low_dbm"]))),
            ]
    return out


class Agent:
    """The rows under ``root`` of the state file, reloaded when the file changes."""

    def __init__(self, state_file: str, root: Oid) -> None:
        self.state_file = state_file
        self.root = root
        self._stamp: tuple[int, int, int] | None = None
        self._oids: list[Oid] = []
        self._rows: list[Row] = []

    def _refresh(self) -> None:
        try:
            info = os.stat(self.state_file)
        except OSError:
            return  # keep answering what we had (none at first)
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)  # a rename is a new inode
        if stamp == self._stamp:
            return
        try:
            with open(self.state_file, encoding="utf-8") as handle:
                state = json.load(handle)
            found = [r for r in rows(state) if r[0][: len(self.root)] == self.root]
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return  # a state file being replaced, or a bad one: the last good answer stands
        self._stamp, self._rows = stamp, found
        self._oids = [r[0] for r in found]

    def get(self, oid: Oid) -> Row | None:
        self._refresh()
        at = bisect.bisect_left(self._oids, oid)
        return self._rows[at] if at < len(self._oids) and self._oids[at] == oid else None

    def getnext(self, oid: Oid) -> Row | None:
        self._refresh()
        at = bisect.bisect_right(self._oids, oid)
        return self._rows[at] if at < len(self._oids) else None


def serve(agent: Agent, stdin: TextIO, stdout: TextIO) -> None:
    while True:
        command = stdin.readline()
        if not command:
            return
        command = command.strip().lower()
        if command == "ping":
            stdout.write("PONG\n")
        elif command in {"get", "getnext"}:
            try:
                oid = parse_oid(stdin.readline())
            except ValueError:
                oid = ()
            row = (agent.get(oid) if command == "get" else agent.getnext(oid)) if oid else None
            if row is None:
                stdout.write("NONE\n")
            else:
                stdout.write(".{}\n{}\n{}\n".format(".".join(map(str, row[0])), row[1], row[2]))
        elif command == "set":
            stdin.readline()
            stdin.readline()
            stdout.write("not-writable\n")
        elif command == "":
            continue
        else:
            stdout.write("NONE\n")
        stdout.flush()


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        sys.stderr.write("usage: health_agent.py STATE_FILE ROOT_OID\n")
        return 2
    serve(Agent(argv[1], parse_oid(argv[2])), sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
