"""``policy.routing`` timers in the Huawei VRP, H3C Comware and Cisco IOS configs.

The district inventory leaves the timers unset, so its goldens do not show them; these
tests edit a copy of its ``policy.yaml`` the way an operator would and check each vendor's
own commands, argument order and units, under the right interface or OSPF process.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from ciscoconfparse2 import CiscoConfParse

from automation.intent import build_intent, network_devices
from automation.platforms import platform_spec
from automation.render import Renderer
from inventory.catalog import Inventory
from inventory.loader import load_inventory
from inventory.models import Platform

pytestmark = pytest.mark.unit

DISTRICT = Path(__file__).resolve().parents[2] / "inventory" / "district"
RENDERER = Renderer()
VENDORS = (Platform.huawei_vrp, Platform.hp_comware, Platform.cisco_ios)
OSPF_PROCESS = {
    Platform.huawei_vrp: r"^ospf 1( |$)",
    Platform.hp_comware: r"^ospf 1( |$)",
    Platform.cisco_ios: r"^router ospf 1$",
}
#: any line that sets one of the policy's timers, on any of the three platforms
TIMER_LINE = re.compile(
    r"^\s*(ospf timer |ip ospf (hello|dead|retransmit)-interval|spf-schedule-interval"
    r"|lsa-(arrival|originate|generation)-interval|timers (throttle|lsa) )"
)

#: every timer set, with values that tell the arguments apart
ALL_SET: dict[str, Any] = {
    "ospf_hello_seconds": 2,
    "ospf_dead_seconds": 8,
    "ospf_retransmit_seconds": 3,
    "spf_throttle_ms": [20, 100, 1500],
    "lsa_throttle_ms": 200,
    "lsa_min_arrival_ms": 150,
}
#: (interface lines, OSPF process lines) each platform renders from ALL_SET
ALL_SET_LINES: dict[Platform, tuple[list[str], list[str]]] = {
    Platform.huawei_vrp: (
        ["ospf timer hello 2", "ospf timer dead 8", "ospf timer retransmit 3"],
        [
            # MAX START HOLD
            "spf-schedule-interval intelligent-timer 1500 20 100",
            "lsa-arrival-interval 150",
            "lsa-originate-interval intelligent-timer 200 0 200",
        ],
    ),
    Platform.hp_comware: (
        ["ospf timer hello 2", "ospf timer dead 8", "ospf timer retransmit 3"],
        [
            # MAXIMUM in seconds (1500 ms rounded up), MINIMUM and INCREMENTAL in ms
            "spf-schedule-interval 2 20 100",
            "lsa-arrival-interval 150",
            "lsa-generation-interval 1 10 200",
        ],
    ),
    Platform.cisco_ios: (
        ["ip ospf hello-interval 2", "ip ospf dead-interval 8", "ip ospf retransmit-interval 3"],
        [
            # START HOLD MAX
            "timers throttle spf 20 100 1500",
            "timers throttle lsa all 0 200 200",
            "timers lsa arrival 150",
        ],
    ),
}

#: values outside some vendor's documented range: each platform gets the nearest it takes
OUT_OF_RANGE: dict[str, Any] = {
    "ospf_retransmit_seconds": 4000,
    "spf_throttle_ms": [0, 50, 1000],
    "lsa_throttle_ms": 0,
    "lsa_min_arrival_ms": 20000,
}
OUT_OF_RANGE_LINES: dict[Platform, tuple[list[str], list[str]]] = {
    Platform.huawei_vrp: (
        ["ospf timer retransmit 3600"],
        [
            "spf-schedule-interval intelligent-timer 1000 1 50",
            "lsa-arrival-interval 10000",
            "lsa-originate-interval intelligent-timer 1 0 1",
        ],
    ),
    Platform.hp_comware: (
        ["ospf timer retransmit 3600"],
        [
            "spf-schedule-interval 1 10 50",
            "lsa-arrival-interval 20000",
            "lsa-generation-interval 1 10 10",
        ],
    ),
    Platform.cisco_ios: (
        ["ip ospf retransmit-interval 4000"],
        [
            "timers throttle spf 1 50 1000",
            "timers throttle lsa all 0 1 1",
            "timers lsa arrival 20000",
        ],
    ),
}


@pytest.fixture(scope="module")
def district_with(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[dict[str, Any]], Inventory]:
    """The district inventory with ``policy.routing`` replaced, loaded from a copy."""
    cache: dict[str, Inventory] = {}

    def load(routing: dict[str, Any]) -> Inventory:
        key = repr(sorted(routing.items()))
        if key not in cache:
            root = tmp_path_factory.mktemp("district") / "district"
            shutil.copytree(DISTRICT, root)
            policy_file = root / "policy.yaml"
            data = yaml.safe_load(policy_file.read_text(encoding="utf-8"))
            data["policy"]["routing"] = routing
            policy_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
            cache[key] = load_inventory(root)
        return cache[key]

    return load


def rendered(inv: Inventory, platform: Platform) -> dict[str, str]:
    """Every district device that runs ``platform`` in the field, rendered for it."""
    devices = [d for d in network_devices(inv) if d.platform is platform]
    assert devices, platform
    return {d.name: RENDERER.render(build_intent(inv, d, platform)).text for d in devices}


def parse(text: str, platform: Platform) -> CiscoConfParse:
    comments = platform_spec(platform).confparse_comments
    assert comments is not None
    return CiscoConfParse(text.splitlines(), syntax="ios", comment_delimiters=list(comments))


def children(parsed: CiscoConfParse, pattern: str) -> list[str]:
    (parent,) = parsed.find_objects(pattern)
    return [c.text.strip() for c in parent.children]


def check_timers(inv: Inventory, platform: Platform, expected: tuple[list[str], list[str]]) -> None:
    iface_lines, process_lines = expected
    for name, text in rendered(inv, platform).items():
        parsed = parse(text, platform)
        where = f"{name} ({platform.value})"
        links = {(lk.a if lk.a.device == name else lk.b).interface for lk in inv.links_of(name)}
        assert links, where
        for iface in parsed.find_objects(r"^interface "):
            lines = [c.text.strip() for c in iface.children]
            if iface.text.split(None, 1)[1] in links:
                for line in iface_lines:
                    assert lines.count(line) == 1, f"{where} {iface.text}: {line}"
            else:  # loopback, LAN, unused ports: no OSPF adjacency, no hello timers
                assert not any(TIMER_LINE.match(ln) for ln in lines), f"{where} {iface.text}"
        in_process = children(parsed, OSPF_PROCESS[platform])
        for line in process_lines:
            assert in_process.count(line) == 1, f"{where}: {line}"
        # nothing timer-related anywhere else (top level, areas)
        everywhere = [ln for ln in text.splitlines() if TIMER_LINE.match(ln)]
        assert len(everywhere) == len(links) * len(iface_lines) + len(process_lines), where


@pytest.mark.parametrize("platform", VENDORS, ids=lambda p: p.value)
def test_every_timer_renders_in_the_vendors_syntax(
    district_with: Callable[[dict[str, Any]], Inventory], platform: Platform
) -> None:
    check_timers(district_with(ALL_SET), platform, ALL_SET_LINES[platform])


@pytest.mark.parametrize("platform", VENDORS, ids=lambda p: p.value)
def test_values_outside_a_vendors_range_render_as_the_nearest_it_accepts(
    district_with: Callable[[dict[str, Any]], Inventory], platform: Platform
) -> None:
    iface_lines, process_lines = OUT_OF_RANGE_LINES[platform]
    inv = district_with(OUT_OF_RANGE)
    for name, text in rendered(inv, platform).items():
        parsed = parse(text, platform)
        in_process = children(parsed, OSPF_PROCESS[platform])
        assert all(line in in_process for line in process_lines), name
        for link in inv.links_of(name):
            end = link.a if link.a.device == name else link.b
            in_iface = children(parsed, rf"^interface {re.escape(end.interface)}$")
            assert all(line in in_iface for line in iface_lines), f"{name} {end.interface}"


@pytest.mark.parametrize("platform", VENDORS, ids=lambda p: p.value)
def test_unset_timers_keep_the_platform_defaults(
    district_with: Callable[[dict[str, Any]], Inventory], platform: Platform
) -> None:
    unset = rendered(district_with({}), platform)
    assert all(not TIMER_LINE.match(ln) for t in unset.values() for ln in t.splitlines())
    # setting the timers only adds their lines: nothing else in the config moves
    with_timers = rendered(district_with(ALL_SET), platform)
    for name, text in with_timers.items():
        kept = "".join(ln + "\n" for ln in text.splitlines() if not TIMER_LINE.match(ln))
        assert kept == unset[name], name


def test_bfd_stays_as_the_policy_sets_it(
    district_with: Callable[[dict[str, Any]], Inventory],
) -> None:
    inv = district_with({"bfd_interval_ms": 50, "bfd_multiplier": 4, **ALL_SET})
    bfd = {
        Platform.huawei_vrp: "ospf bfd min-tx-interval 50 min-rx-interval 50 detect-multiplier 4",
        Platform.hp_comware: "bfd detect-multiplier 4",
        Platform.cisco_ios: "bfd interval 50 min_rx 50 multiplier 4",
    }
    for platform, line in bfd.items():
        for name, text in rendered(inv, platform).items():
            assert f"\n {line}\n" in text, f"{name} ({platform.value})"
