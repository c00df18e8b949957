"""H3C Comware: ``display lldp neighbor-information verbose`` through ntc-templates."""

from __future__ import annotations

from ..models import Neighbor
from ._textfsm import Fields, parse_neighbors

COMMAND = "display lldp neighbor-information verbose"
FIELDS = Fields(port_id="NEIGHBOR_INTERFACE", port_description="NEIGHBOR_INTERFACE_DESCRIPTION")


def parse(output: str) -> list[Neighbor]:
    return parse_neighbors("hp_comware", COMMAND, FIELDS, output)
