"""The route guard with the lab up: the lab's addresses route into its bridge, so the guarded
commands work (one cheap poll through the real CLI proves the guard lets it through)."""

from __future__ import annotations

import json
import os

import pytest

from lab.names import MGMT_BRIDGE
from routeguard.routes import device_targets, first_escape, route_get
from tests.conftest import run_egovnet
from tests.lab.conftest import SessionLab

pytestmark = pytest.mark.lab


def test_every_lab_address_routes_into_the_bridge(lab: SessionLab) -> None:
    assert route_get("172.31.250.1").dev == MGMT_BRIDGE
    assert first_escape(device_targets(lab.inventory.devices)) is None


def test_poll_passes_the_guard_when_the_lab_is_up(lab: SessionLab) -> None:
    done = run_egovnet(
        "poll", "--profile", "lab", "core1", "--json", "--state-dir", str(lab.state_dir),
        env={**os.environ, **lab.env}, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    (reading,) = json.loads(done.stdout)
    assert reading["ok"] and reading["sys_name"] == "core1", reading
