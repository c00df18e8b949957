"""`egovnet lab` as a user meets it without a lab: help, refusals, bad input (exit 2)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from base.errors import LabUsageError
from lab.preflight import TOOLS, require_searchable, require_tools
from tests.conftest import LAB_INVENTORY, invoke_egovnet

pytestmark = pytest.mark.unit

COMMANDS = [
    ["up"],
    ["down"],
    ["status"],
    ["traffic"],
    ["exec"],
    ["fault", "link-down"],
    ["fault", "link-up"],
    ["fault", "device-down"],
    ["fault", "device-up"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_lab_command_has_help_with_an_example(command: list[str]) -> None:
    proc = invoke_egovnet("lab", *command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "Example:" in proc.stdout


def test_a_missing_package_is_named(tmp_path: Path) -> None:
    with pytest.raises(LabUsageError) as info:
        require_tools(TOOLS, path=str(tmp_path))
    message = str(info.value)
    assert "\n" not in message
    for package in ("frr", "snmpd", "lldpd", "openssh-server", "iproute2"):
        assert package in message
    assert "make setup" in message


def test_a_state_dir_the_daemons_cannot_reach_is_refused(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    with pytest.raises(LabUsageError, match="not searchable"):
        require_searchable(private / "state")


@pytest.mark.skipif(os.geteuid() != 0, reason="as a normal user, the root check answers first")
def test_a_bad_inventory_is_refused_before_anything_is_built(tmp_path: Path) -> None:
    root = tmp_path / "inv"
    shutil.copytree(LAB_INVENTORY, root)
    devices = root / "devices.yaml"
    text = devices.read_text(encoding="utf-8")
    line = text[: text.index("mgmt_address: 172.31.250.22")].count("\n") + 1
    devices.write_text(text.replace("mgmt_address: 172.31.250.22", "mgmt_address: 10.9.9.9"))
    state = Path("/tmp") / f"egovnet-unit-{tmp_path.name}"
    try:
        proc = invoke_egovnet("lab", "up", "--inventory", str(root), "--state-dir", str(state))
        assert proc.returncode == 2
        errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: ")]
        assert len(errors) == 1 and f"devices.yaml:{line}" in errors[0]
        assert "mgmt_address" in errors[0]
        assert not (state / "lab").exists()
    finally:
        shutil.rmtree(state, ignore_errors=True)
