"""LLDP discovery parsing on output captured from real Huawei VRP and H3C Comware devices.

The captures are ntc-templates' own test data (tests/fixtures/captures/ntc-templates/, with
its LICENSE and SOURCE): each ``.raw`` is a device's output and the ``.yml`` beside it is what
the template parses it to. egovnet's reader must return one neighbour per parsed row with the
same local port, system name, chassis and management address, and the far end's port as
:func:`remote_port` chooses it (the port ID, or the description when the ID is a MAC).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from inventory.models import Platform
from topology.discovery.interfaces import looks_like_mac
from topology.discovery.platforms import LLDP_COMMANDS

pytestmark = pytest.mark.unit

CAPTURES = Path(__file__).resolve().parents[1] / "fixtures" / "captures" / "ntc-templates"

# the port-id and port-description keys of each template, as the .yml files name them
KEYS = {
    Platform.huawei_vrp: ("neighbor_port_id", "neighbor_interface"),
    Platform.hp_comware: ("neighbor_interface", "neighbor_interface_description"),
}


def _cases() -> list[tuple[Platform, Path]]:
    out = []
    for platform in KEYS:
        folder = CAPTURES / platform.value / "_".join(LLDP_COMMANDS[platform].command.split())
        out.extend((platform, raw) for raw in sorted(folder.glob("*.raw")))
    return out


CASES = _cases()


def _expected(platform: Platform, row: dict[str, Any]) -> dict[str, str | None]:
    port_key, desc_key = KEYS[platform]

    def text(key: str) -> str | None:
        return str(row.get(key, "")).strip() or None

    port, desc = text(port_key), text(desc_key)
    return {
        "local_interface": text("local_interface"),
        "remote_system": text("neighbor_name"),
        "remote_port": desc if port and looks_like_mac(port) and desc else port or desc,
        "remote_chassis_id": text("chassis_id"),
        "remote_mgmt_address": text("mgmt_address"),
    }


def test_both_vendors_have_captures_of_the_command_egovnet_runs() -> None:
    assert {p for p, _ in CASES} == set(KEYS)
    assert sum(1 for p, _ in CASES if p is Platform.huawei_vrp) >= 5


@pytest.mark.parametrize(("platform", "raw"), CASES, ids=lambda v: getattr(v, "name", str(v)))
def test_captured_lldp_output_parses_to_the_neighbours_it_lists(
    platform: Platform, raw: Path
) -> None:
    parsed = yaml.safe_load(raw.with_suffix(".yml").read_text("utf-8"))["parsed_sample"]
    got = [n.model_dump() for n in LLDP_COMMANDS[platform].parse(raw.read_text("utf-8"))]
    assert got == [_expected(platform, row) for row in parsed]
    assert got, raw.name  # every capture lists at least one neighbour


def test_a_captured_vrp_neighbour_reads_as_a_user_sees_it() -> None:
    raw = (
        CAPTURES
        / "huawei_vrp"
        / "display_lldp_neighbor"
        / ("huawei_vrp_display_lldp_neighbor1.raw")
    )
    first = LLDP_COMMANDS[Platform.huawei_vrp].parse(raw.read_text("utf-8"))[0]
    assert first.local_interface == "XGigabitEthernet0/0/1"
    assert first.remote_system == "ROUTER2"
    assert first.remote_port == "XGigabitEthernet0/0/2"
    assert first.remote_mgmt_address == "169.254.1.2"
