"""The exporter's loaded state: built from the inventory, then free of its model graph.

At 50,000 interfaces the validated inventory (pydantic devices and interfaces, the YAML kept
for messages) cost more memory than everything the exporter needs to poll. The state keeps
targets, label values and the plan series; loading happens in a forked child.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import pytest

from base.errors import InventoryErrors, SecretMissingError
from collectors.readings import DeviceReading, ErrorKind, InterfaceReading
from collectors.simulate import SimDevice, write_inventory
from exporters.config import ExporterConfig
from exporters.devices import DeviceCollector
from exporters.exposition import render_collectors
from exporters.interfaces import InterfaceCollector
from exporters.labels import LabelCatalog, render_labels
from exporters.state import ExporterState, build_state, load_here, load_state
from inventory.catalog import Inventory
from inventory.loader import load_inventory
from inventory.models import Device, Interface, Site
from inventory.secrets import SecretStore

pytestmark = pytest.mark.unit

PORTS = ("GigabitEthernet0/0/1", "GigabitEthernet0/0/2")


def simulated(tmp: Path, devices: int = 3) -> ExporterConfig:
    devs = [SimDevice(f"dev{n}", f"127.4.100.{n + 1}", PORTS, 20161) for n in range(devices)]
    write_inventory(tmp / "inventory", devs, port=20161, site_name="龙归镇")
    (tmp / "secrets.env").write_text("EGOVNET_SIM_COMMUNITY=egovtest\n")
    return ExporterConfig(inventory=tmp / "inventory", secrets_file=tmp / "secrets.env")


def answer(state: ExporterState | LabelCatalog, device: str) -> str:
    catalog = state.catalog if isinstance(state, ExporterState) else state
    reading = DeviceReading(
        device=device, ok=True, started_at=0.0, duration_seconds=0.1, uptime_seconds=1.0,
        sys_name=device,
        interfaces=(
            InterfaceReading(
                name=PORTS[0], index=1, in_octets=10**12, out_octets=5, octets_64bit=True,
                in_errors=0, out_errors=0, in_discards=0, out_discards=0, oper_up=True,
                admin_up=True, speed_mbps=1000, alias='至"上围村"',
            ),
        ),
    )  # fmt: skip
    return render_collectors(
        [
            DeviceCollector(reading, catalog, dict.fromkeys(ErrorKind, 0)),
            InterfaceCollector(reading, catalog),
        ]
    ).decode()


def reachable(root: object) -> list[object]:
    """Every object reachable from ``root`` through references (as the collector sees it)."""
    seen: dict[int, object] = {}
    todo = [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, type):
            continue
        seen[id(obj)] = obj
        todo.extend(gc.get_referents(obj))
    return list(seen.values())


def test_the_state_from_the_child_serves_what_an_in_process_load_serves(tmp_path: Path) -> None:
    config = simulated(tmp_path)
    forked, here = load_state(lambda: config), load_here(config)
    assert [t.device for t in forked.targets] == ["dev0", "dev1", "dev2"]
    assert forked.targets == here.targets
    assert forked.by_address["127.4.100.2"] == "dev1"
    assert forked.targets[1].credentials.community is not None
    assert forked.targets[1].credentials.community.reveal() == "egovtest"
    assert answer(forked, "dev1") == answer(here, "dev1")
    assert 'site_name="龙归镇"' in answer(forked, "dev1")
    assert r'alias="至\"上围村\""' in answer(forked, "dev1")


def test_the_state_keeps_no_device_site_or_interface_model(tmp_path: Path) -> None:
    config = simulated(tmp_path)
    inv = load_inventory(config.inventory)
    gone = weakref.ref(inv)
    state = build_state(config, inv, SecretStore(config.secrets_file))
    del inv
    gc.collect()
    assert gone() is None  # nothing in the state holds the inventory
    kept = [o for o in reachable(state) if isinstance(o, Device | Interface | Site | Inventory)]
    assert [type(o).__name__ for o in kept if not isinstance(o, Inventory)] == []
    # the one Inventory left is the systems-only view the 上云率 series is computed from
    assert all(not o.devices and not o.sites and not o.sources for o in kept)


def test_the_catalog_answers_the_same_once_detached(lab_inventory: Inventory) -> None:
    catalog = LabelCatalog(lab_inventory)
    assert not [o for o in reachable(catalog) if isinstance(o, Device | Inventory)]
    assert catalog.platform("core1") == lab_inventory.platform(lab_inventory.device("core1"))
    for device in ("core1", "town1", "vil3"):
        for info in catalog.interfaces_of(device):
            # the text composed from escaped pieces is what rendering the labels gives
            assert info.labels.text == render_labels(dict(info.labels))
            with_alias = catalog.with_alias(info, 'a "quoted" \\ alias')
            assert with_alias.text == render_labels(dict(with_alias))
    assert dict(catalog.interface("town1", "eth1").labels)["end"] == "b"


def test_bad_input_is_reported_as_by_an_in_process_load(tmp_path: Path) -> None:
    config = simulated(tmp_path)
    (config.inventory / "broken.yaml").write_text("devices:\n  - name: x\n    site: nowhere\n")
    with pytest.raises(InventoryErrors) as forked:
        load_state(lambda: config)
    with pytest.raises(InventoryErrors) as here:
        load_inventory(config.inventory)
    assert str(forked.value) == str(here.value)
    (config.inventory / "broken.yaml").unlink()
    (tmp_path / "secrets.env").write_text("")
    with pytest.raises(SecretMissingError, match="EGOVNET_SIM_COMMUNITY"):
        load_state(lambda: config)


def test_a_device_without_the_vendor_health_mib_is_not_walked_every_scrape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Huawei/H3C device behind a plain agent answers "no health MIB" once; until the
    recheck, scrapes export the same health_up 0 without walking the vendor columns again
    (the walk would double every scrape), and a device that has the MIB is walked each time."""
    import asyncio

    from collectors.readings import PollError
    from collectors.vendor_health.readings import HealthReading
    from exporters import app

    walks: list[str] = []
    has_mib = {"dev0": False, "dev1": True}

    async def walk(poller: object, device: str, platform: str, timeout: float | None) -> Any:
        walks.append(device)
        if has_mib[device]:
            return HealthReading(device, platform, ok=True)
        missing = PollError(ErrorKind.no_such_name, "no health MIB")
        return HealthReading(device, platform, ok=False, error=missing)

    monkeypatch.setattr(app, "poll_health", walk)
    config = simulated(tmp_path, devices=2)
    exporter = app.Exporter(load_here(config))

    async def scrape_three_times() -> list[HealthReading | None]:
        return [await exporter.poll_health(d, 1.0) for _ in range(3) for d in ("dev0", "dev1")]

    got = asyncio.run(scrape_three_times())
    assert walks == ["dev0", "dev1", "dev1", "dev1"]
    assert all(r is not None and not r.ok for r in got[0::2])  # health_up 0 every time
    monkeypatch.setattr(app, "NO_HEALTH_MIB_RECHECK_SECONDS", 0.0)
    exporter._no_health_mib.clear()
    asyncio.run(scrape_three_times())
    assert walks.count("dev0") == 4  # with no recheck delay it is asked every scrape
