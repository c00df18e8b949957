"""Cisco IOS: ``show lldp neighbors detail`` through ntc-templates."""

from __future__ import annotations

from ..models import Neighbor
from ._textfsm import Fields, parse_neighbors

COMMAND = "show lldp neighbors detail"
FIELDS = Fields(port_id="NEIGHBOR_PORT_ID", port_description="NEIGHBOR_INTERFACE")


def parse(output: str) -> list[Neighbor]:
    return parse_neighbors("cisco_ios", COMMAND, FIELDS, output)
