"""``egovnet config`` as a user runs it: output, files, exit codes, bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import invoke_egovnet

pytestmark = pytest.mark.unit


def test_render_writes_one_file_per_device_with_markers(tmp_path: Path) -> None:
    out = tmp_path / "configs"
    done = invoke_egovnet(
        "config",
        "render",
        "--profile",
        "lab",
        "--production",
        "--out",
        str(out),
        "--state-dir",
        str(tmp_path / "state"),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["summary"] == {"rendered": 11}
    files = sorted(p.name for p in out.glob("*.cfg"))
    assert len(files) == 11 and "core1.cfg" in files and "srv-cloud1.cfg" not in files
    vil1 = (out / "vil1.cfg").read_text(encoding="utf-8")
    assert "ip ssh version 2" in vil1 and "<<secret:EGOVNET_SNMP_AUTH_KEY>>" in vil1


def test_render_filter_selects_devices(tmp_path: Path) -> None:
    done = invoke_egovnet(
        "config",
        "render",
        "--profile",
        "lab",
        "--filter",
        "tier=town",
        "--state-dir",
        str(tmp_path),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert [d["device"] for d in json.loads(done.stdout)["devices"]] == ["town1", "town2"]
    assert sorted(p.name for p in (tmp_path / "automation" / "rendered").iterdir()) == [
        "town1.cfg",
        "town2.cfg",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["render", "--filter", "colour=red"], "--filter 'colour=red': expected KEY=VALUE"),
        (["render", "nosuchdevice"], "unknown device(s) nosuchdevice"),
        (["render", "srv-cloud1"], "unknown device(s) srv-cloud1"),
        (
            ["render", "--filter", "tier=townn"],
            "--filter: unknown tier 'townn' (one of: city, district_core, cloud, department, town",
        ),
        (["render", "--filter", "tier=town", "--filter", "site=gov-cloud"], "no device matches"),
        (["push", "--commit", "--confirm-within", "5x"], "--confirm-within '5x'"),
        (["push", "--confirm-within", "5m"], "--confirm-within needs --commit"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    done = invoke_egovnet("config", *args, "--profile", "lab", "--state-dir", str(tmp_path))
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert not (tmp_path / "automation").exists()  # nothing written


@pytest.mark.parametrize(
    "verb", ["render", "diff", "push", "confirm", "rollback", "backup", "drift"]
)
def test_every_verb_has_help_with_an_example(verb: str) -> None:
    done = invoke_egovnet("config", verb, "--help")
    assert done.returncode == 0
    assert "Example: egovnet config" in done.stdout


def test_an_unreachable_device_fails_alone_with_exit_1(tmp_path: Path) -> None:
    """Nothing listens for this device (loopback, SSH refused or rejected): it is reported
    failed with the reason, the command exits 1, and the change log stays empty."""
    inv = tmp_path / "inventory"
    inv.mkdir()
    lab = Path(__file__).resolve().parents[2] / "inventory" / "lab"
    for name in ("policy.yaml", "profiles.yaml"):
        (inv / name).write_text((lab / name).read_text(encoding="utf-8"), encoding="utf-8")
    (inv / "sites.yaml").write_text(
        "sites:\n  - {id: district-core, name: 武江区电子政务外网核心机房, tier: district_core}\n",
        encoding="utf-8",
    )
    (inv / "devices.yaml").write_text(
        "devices:\n  - {name: ghost, site: district-core, role: core, platform: frr,\n"
        "     mgmt_address: 127.0.0.1, snmp_profile: noc-v3, credential_profile: netops}\n",
        encoding="utf-8",
    )
    done = invoke_egovnet(
        "config",
        "diff",
        "--inventory",
        str(inv),
        "--state-dir",
        str(tmp_path / "state"),
        "--json",
        env={**os.environ, "EGOVNET_DEVICE_PASSWORD": "wrong"},
    )
    assert done.returncode == 1, done.stderr
    (device,) = json.loads(done.stdout)["devices"]
    assert device["device"] == "ghost" and device["status"] == "failed"
    assert device["error"]
    assert not (tmp_path / "state" / "automation" / "changes.jsonl").exists()
