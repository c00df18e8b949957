"""`egovnet inventory netbox push|pull` against a real NetBox 4.7 (tests/netbox/harness.py).

One NetBox for the module, empty at the start; the tests run in file order and build on each
other: dry run, push, pull back, push again, a hand-made object, a hand-made change.

The first run builds the harness caches (see its docstring); later runs start in ~20 s.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pynetbox
import pytest

from inventory.loader import load_inventory
from inventory.netbox.compare import inventory_diff
from tests.conftest import DISTRICT_INVENTORY, run_egovnet
from tests.netbox.harness import NetBox, start_netbox

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def netbox() -> Iterator[NetBox]:
    started = time.monotonic()
    nb = start_netbox()
    print(f"\nNetBox fixture ready in {time.monotonic() - started:.1f} s", file=sys.stderr)
    try:
        yield nb
    finally:
        nb.stop()


@pytest.fixture(scope="module")
def outputs() -> list[str]:
    """Every stdout and stderr the tests saw, checked for the token at the end."""
    return []


@pytest.fixture
def cli(netbox: NetBox, outputs: list[str], tmp_path: Path) -> Any:
    env = {
        **os.environ,
        "EGOVNET_NETBOX_URL": netbox.url,
        "EGOVNET_NETBOX_TOKEN": netbox.token,
        "EGOVNET_STATE_DIR": str(tmp_path / "state"),
        "EGOVNET_SECRETS_FILE": str(tmp_path / "no-secrets.env"),
    }

    def run(*args: str) -> tuple[int, str, str]:
        done = run_egovnet("inventory", "netbox", *args, env=env, timeout=900)
        outputs.extend([done.stdout, done.stderr])
        assert netbox.token not in done.stdout + done.stderr
        return done.returncode, done.stdout, done.stderr

    return run


@pytest.fixture
def api(netbox: NetBox) -> Any:
    return pynetbox.api(netbox.url, token=netbox.token)


def push_json(cli: Any, *args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = cli("push", "--inventory", str(DISTRICT_INVENTORY), "--json", *args)
    assert out, err
    return code, json.loads(out)


def test_dry_run_lists_the_district_and_writes_nothing(cli: Any, api: Any) -> None:
    code, report = push_json(cli)
    assert code == 0
    assert report["applied"] is False and report["written"] == 0
    district = load_inventory(DISTRICT_INVENTORY)
    creates = [c for c in report["changes"] if c["action"] == "create"]
    assert sum(c["kind"] == "site" for c in creates) == len(district.sites)
    assert sum(c["kind"] == "device" for c in creates) == len(district.devices)
    assert sum(c["kind"] == "cable" for c in creates) == len(district.links)
    assert api.dcim.sites.count() == 0
    assert api.dcim.devices.count() == 0
    assert api.extras.custom_fields.count() == 0


def test_push_then_pull_gives_the_same_inventory(cli: Any, api: Any, tmp_path: Path) -> None:
    code, report = push_json(cli, "--apply")
    assert code == 0, report
    district = load_inventory(DISTRICT_INVENTORY)
    assert report["written"] == sum(report["counts"][a] for a in ("create", "update"))
    assert api.dcim.devices.count() == len(district.devices)
    assert api.dcim.cables.count() == len(district.links)
    circuit = api.circuits.circuits.get(cid="SGWJ-DX-0101")
    assert circuit.provider.name == "中国电信" and circuit.commit_rate == 100_000
    assert [t.slug for t in api.dcim.devices.get(name="wj-core1").tags] == ["egovnet"]

    out = tmp_path / "pulled"
    code, _, stderr = cli("pull", "--inventory", str(DISTRICT_INVENTORY), "--out", str(out))
    assert code == 0, stderr
    valid = run_egovnet("inventory", "validate", str(out))
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert inventory_diff(district, load_inventory(out)) == []


def test_second_push_is_a_no_op(cli: Any) -> None:
    code, report = push_json(cli, "--apply")
    assert code == 0
    assert report["written"] == 0
    assert report["changes"] == []
    assert report["counts"]["unchanged"] > 0


def test_an_inventory_change_is_pushed_as_an_update(cli: Any, api: Any, tmp_path: Path) -> None:
    changed = tmp_path / "district"
    shutil.copytree(DISTRICT_INVENTORY, changed)
    links = changed / "links.yaml"
    text = links.read_text(encoding="utf-8")
    old = "circuit_id: SGWJ-DX-0101"
    assert text.count(old) == 1
    links.write_text(
        text.replace("committed_mbps: 100, carrier: 中国电信, " + old,
                     "committed_mbps: 200, carrier: 中国电信, " + old),
        encoding="utf-8",
    )  # fmt: skip
    code, out, err = cli("push", "--inventory", str(changed))
    assert code == 0, out + err
    assert "would update circuit SGWJ-DX-0101" in out
    assert api.circuits.circuits.get(cid="SGWJ-DX-0101").commit_rate == 100_000
    code, out, err = cli("push", "--inventory", str(changed), "--apply")
    assert code == 0, out + err
    assert api.circuits.circuits.get(cid="SGWJ-DX-0101").commit_rate == 200_000
    # and back, so the following tests see the sample district again
    code, out, err = cli("push", "--inventory", str(DISTRICT_INVENTORY), "--apply")
    assert code == 0, out + err
    assert api.circuits.circuits.get(cid="SGWJ-DX-0101").commit_rate == 100_000


def test_objects_made_by_hand_are_left_alone(cli: Any, api: Any, tmp_path: Path) -> None:
    site = api.dcim.sites.create(name="手工站点", slug="hand-made", description="by hand")
    tenant = api.tenancy.tenants.create(name="手工系统", slug="SYS-HAND")
    code, report = push_json(cli, "--apply")
    assert code == 0 and report["written"] == 0
    again = api.dcim.sites.get(slug="hand-made")
    assert (again.id, again.name, again.description) == (site.id, "手工站点", "by hand")
    assert not again.tags
    assert api.tenancy.tenants.get(tenant.id).name == "手工系统"
    # the inventory now wants a site under the hand-made one's slug: listed, not taken over
    grown = tmp_path / "district"
    shutil.copytree(DISTRICT_INVENTORY, grown)
    with (grown / "sites.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  - {id: hand-made, name: 另一个站点, tier: village, parent: town-xilian}\n")
    code, out, err = cli("push", "--inventory", str(grown), "--apply")
    assert code == 1, out + err
    assert "conflict site hand-made: exists in NetBox, not created by egovnet" in out
    assert "name: NetBox '手工站点', inventory '另一个站点'" in out
    again = api.dcim.sites.get(slug="hand-made")
    assert (again.name, again.description, list(again.tags)) == ("手工站点", "by hand", [])


def test_a_hand_made_change_is_a_conflict_and_not_overwritten(cli: Any, api: Any) -> None:
    site = api.dcim.sites.get(slug="town-xilian")
    site.name = "西联镇(手工改名)"
    site.save()
    code, out, err = cli("push", "--inventory", str(DISTRICT_INVENTORY))
    assert code == 1, out + err
    assert "conflict site town-xilian: changed in NetBox since egovnet wrote it" in out
    assert "name: NetBox '西联镇(手工改名)', inventory '西联镇'" in out
    code, report = push_json(cli, "--apply")
    assert code == 1
    conflicts = [c for c in report["changes"] if c["action"] == "conflict"]
    assert [(c["kind"], c["key"]) for c in conflicts] == [("site", "town-xilian")]
    assert api.dcim.sites.get(slug="town-xilian").name == "西联镇(手工改名)"


def test_no_token_is_a_clear_error(netbox: NetBox, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "EGOVNET_NETBOX_TOKEN"}
    env["EGOVNET_SECRETS_FILE"] = str(tmp_path / "none.env")
    done = run_egovnet("inventory", "netbox", "push", "--url", netbox.url, env=env)
    assert done.returncode == 2
    assert "EGOVNET_NETBOX_TOKEN" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_the_token_from_the_secrets_file_works_and_is_never_printed(
    netbox: NetBox, tmp_path: Path, outputs: list[str]
) -> None:
    secrets = tmp_path / "secrets.env"
    secrets.write_text(f"EGOVNET_NETBOX_TOKEN={netbox.token}\n")
    env = {k: v for k, v in os.environ.items() if k != "EGOVNET_NETBOX_TOKEN"}
    env |= {"EGOVNET_SECRETS_FILE": str(secrets), "EGOVNET_NETBOX_URL": netbox.url}
    done = run_egovnet("inventory", "netbox", "push", "-i", str(DISTRICT_INVENTORY), env=env)
    outputs.extend([done.stdout, done.stderr])
    assert done.returncode == 1  # the conflict of the previous test is still there
    assert all(netbox.token not in text for text in outputs)
    assert netbox.token.split(".")[-1] not in "".join(outputs)
