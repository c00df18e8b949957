"""等保 checks on running configurations captured from real H3C Comware 7 devices.

The configs are netutils' test data (tests/fixtures/captures/netutils/, with its LICENSE and
SOURCE), read through the single-file layout of ``find_device_files``. They were never
hardened for a 等保 assessment, so most checks fail; what a user relies on is that each
verdict names the real lines that make it, and that no secret reaches the evidence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory.catalog import Inventory
from inventory.models import Platform
from playbooks.devices import CONFIG_AUDITS, check_config
from playbooks.devices.sources import find_device_files
from playbooks.results import CheckResult

pytestmark = pytest.mark.unit

NETUTILS = Path(__file__).resolve().parents[1] / "fixtures" / "captures" / "netutils"


def _rows(inv: Inventory, name: str) -> dict[str, CheckResult]:
    files = find_device_files(NETUTILS, name, CONFIG_AUDITS[Platform.hp_comware].files)
    assert files is not None
    rows = check_config(inv, inv.device("vil1"), files, platform=Platform.hp_comware)
    return {r.check_id: r for r in rows}


def test_full_comware_backup_verdicts_and_their_lines(lab_inventory: Inventory) -> None:
    rows = _rows(lab_inventory, "hp_comware_full_backup")
    assert {k: r.result.value for k, r in rows.items()} == {
        "NET-DEFAULT-ACCOUNTS": "pass",  # NTC-Admin and NTC-User, hashed passwords
        "NET-LOCKOUT": "fail",  # no password-control
        "NET-IDLE-TIMEOUT": "fail",  # idle-timeout 15 0 and 60 0
        "NET-SSH-ONLY": "fail",  # telnet server enable
        "NET-BANNER": "fail",  # a motd, but not the district's banner
        "NET-SNMPV3": "fail",  # a v2c community, no v3 group
        "NET-NTP": "fail",  # NTP servers other than the extranet's
        "NET-SYSLOG": "fail",  # log hosts other than the extranet's
        "NET-VTY-ACL": "pass",  # ssh server acl 1234
    }
    assert "running-config:22: telnet server enable" in rows["NET-SSH-ONLY"].evidence_text
    assert "idle-timeout 15 0" in rows["NET-IDLE-TIMEOUT"].evidence_text
    # Comware names the VPN instance before the address: the log hosts are still found
    syslog = rows["NET-SYSLOG"].evidence_text
    assert "no info-center loghost" not in syslog
    assert "info-center loghost vpn-instance internal 192.0.2.132" in syslog


def test_basic_comware_backup_has_nothing_of_the_hardening(lab_inventory: Inventory) -> None:
    rows = _rows(lab_inventory, "hp_comware_basic_backup")
    failed = {k for k, r in rows.items() if r.result.value == "fail"}
    assert failed == set(rows) - {"NET-DEFAULT-ACCOUNTS"}
    assert "snmp-agent community read ******" in rows["NET-SNMPV3"].evidence_text


@pytest.mark.parametrize("name", ["hp_comware_full_backup", "hp_comware_basic_backup"])
def test_captured_secrets_stay_out_of_the_evidence(lab_inventory: Inventory, name: str) -> None:
    for row in _rows(lab_inventory, name).values():
        for secret in ("Test-Community", "read RO", "read ro", "$x$x$"):
            assert secret not in row.evidence_text, (row.check_id, secret)
