"""Huawei VRP: ``display lldp neighbor`` through ntc-templates."""

from __future__ import annotations

from ..models import Neighbor
from ._textfsm import Fields, parse_neighbors

COMMAND = "display lldp neighbor"
FIELDS = Fields(port_id="NEIGHBOR_PORT_ID", port_description="NEIGHBOR_INTERFACE")


def parse(output: str) -> list[Neighbor]:
    return parse_neighbors("huawei_vrp", COMMAND, FIELDS, output)
