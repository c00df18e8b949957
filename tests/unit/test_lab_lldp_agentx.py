"""The lab serves LLDP-MIB over SNMP: snmpd is an AgentX master and lldpd its subagent
(the live check is tests/lab/test_inventory_discover_lab.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory.catalog import Inventory
from lab import lldp, snmpd
from lab.credentials import SnmpV3User
from lab.plan import plan_lab

pytestmark = pytest.mark.unit

USER = SnmpV3User("noc", "SHA-256", "authkey-123456", "AES", "privkey-123456")
SOCKET = Path("/s/devices/core1/agentx.socket")


def test_snmpd_is_an_agentx_master_on_a_private_socket(lab_inventory: Inventory) -> None:
    node = plan_lab(lab_inventory).node("core1")
    text = snmpd.render(
        node,
        location="x",
        user=USER,
        trap_sink=None,
        iquery_key="k" * 12,
        access_file=Path("/s/a.conf"),
        agentx_socket=SOCKET,
    )
    lines = text.splitlines()
    assert "master agentx" in lines
    assert f"agentXSocket unix:{SOCKET}" in lines
    assert "agentXPerms 0600 0700" in lines  # only root (lldpd's privileged half) connects


def test_lldpd_registers_as_the_subagent(lab_inventory: Inventory) -> None:
    node = plan_lab(lab_inventory).node("core1")
    argv = lldp.argv(node, Path("/s/lldpd.conf"), Path("/s/lldpd.socket"), agentx=SOCKET)
    at = argv.index("-X")
    assert argv[at - 1] == "-x" and argv[at + 1] == f"unix:{SOCKET}"
    assert "-x" not in lldp.argv(node, Path("/s/lldpd.conf"), Path("/s/lldpd.socket"))
