"""Rendering: one template set per platform, golden files, structure of vendor configs.

Golden files live in tests/golden/automation/<inventory>/<platform>/<device>.cfg; after a
deliberate template change, regenerate them with ``EGOVNET_UPDATE_GOLDENS=1 pytest ...``
and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from ciscoconfparse2 import CiscoConfParse

from automation.intent import build_intent, network_devices
from automation.platforms import PLATFORMS, platform_spec
from automation.render import TEMPLATE_FILES, Renderer
from base.errors import AutomationError
from inventory.catalog import Inventory
from inventory.models import Device, LinkKind, Platform
from inventory.secrets import SecretStore

pytestmark = pytest.mark.unit

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "automation"
VENDOR_PLATFORMS = [p for p in PLATFORMS if platform_spec(p).confparse_comments is not None]
RENDERER = Renderer()


def representatives(inv: Inventory) -> list[Device]:
    """One device per (production platform, role): what the goldens pin down."""
    seen: dict[tuple[str, str], Device] = {}
    for dev in network_devices(inv):
        seen.setdefault((dev.platform.value, dev.role.value), dev)
    return list(seen.values())


def check_golden(path: Path, text: str) -> None:
    if os.environ.get("EGOVNET_UPDATE_GOLDENS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with EGOVNET_UPDATE_GOLDENS=1"
    assert text == path.read_text(encoding="utf-8"), f"{path} differs from the render"


def test_every_platform_has_the_same_template_files() -> None:
    for platform in PLATFORMS:
        names = sorted(p.name for p in platform_spec(platform).template_dir.glob("*.j2"))
        assert names == sorted(TEMPLATE_FILES), platform


def test_servers_have_no_platform_entry() -> None:
    with pytest.raises(AutomationError, match="not configured by automation"):
        platform_spec(Platform.linux)


def test_district_goldens_on_production_platforms(district_inventory: Inventory) -> None:
    devices = representatives(district_inventory)
    assert len(devices) >= 9
    for dev in devices:
        rendered = RENDERER.render(build_intent(district_inventory, dev, dev.platform))
        check_golden(GOLDEN / "district" / dev.platform.value / f"{dev.name}.cfg", rendered.text)


def test_district_goldens_on_frr(district_inventory: Inventory) -> None:
    for dev in representatives(district_inventory):
        rendered = RENDERER.render(build_intent(district_inventory, dev, Platform.frr))
        check_golden(GOLDEN / "district" / "frr" / f"{dev.name}.cfg", rendered.text)


def test_lab_goldens_on_frr(frr_lab_inventory: Inventory) -> None:
    for dev in network_devices(frr_lab_inventory):
        rendered = RENDERER.render(build_intent(frr_lab_inventory, dev))
        assert rendered.platform is Platform.frr
        check_golden(GOLDEN / "lab" / "frr" / f"{dev.name}.cfg", rendered.text)


# --- structure of the vendor configs (every district device) ----------------------------

#: per platform: what must (and must not) appear, as regular expressions over lines
MUST = {
    Platform.huawei_vrp: [
        r"^undo telnet server enable$",
        r"^stelnet server enable$",
        r"^snmp-agent sys-info version v3$",
        r"^header login information ",
    ],
    Platform.hp_comware: [
        r"^undo telnet server enable$",
        r"^ssh server enable$",
        r"^undo ssh server compatible-ssh1x$",
        r"^snmp-agent sys-info version v3$",
        r"^header login ",
    ],
    Platform.cisco_ios: [
        r"^ip ssh version 2$",
        r"^snmp-server group \S+ v3 priv$",
        r"^banner login ",
    ],
}
MUST_NOT = [
    r"^snmp-agent community",
    r"^snmp-server community",
    r"^telnet server enable",
    r"transport input .*telnet",
    r"^snmp-agent sys-info version .*v2c",
    r"^snmp-agent sys-info version .*v1",
]


def _parse(text: str, platform: Platform) -> CiscoConfParse:
    comments = platform_spec(platform).confparse_comments
    assert comments is not None
    return CiscoConfParse(text.splitlines(), syntax="ios", comment_delimiters=list(comments))


@pytest.mark.parametrize("platform", VENDOR_PLATFORMS, ids=lambda p: p.value)
def test_vendor_configs_are_structurally_sound(
    district_inventory: Inventory, platform: Platform
) -> None:
    inv = district_inventory
    devices = [d for d in network_devices(inv) if d.platform is platform]
    assert devices
    policy = inv.policy.management
    for dev in devices:
        text = RENDERER.render(build_intent(inv, dev, dev.platform)).text
        parsed = _parse(text, platform)
        lines = [ln.strip() for ln in text.splitlines()]
        where = f"{dev.name} ({platform.value})"
        # every interface the inventory names is configured, with its link address
        configured = {o.text.split(None, 1)[1] for o in parsed.find_objects(r"^interface ")}
        assert {i.name for i in dev.interfaces} <= configured, where
        for link in inv.links_of(dev.name):
            end = link.a if link.a.device == dev.name else link.b
            iface = parsed.find_objects(rf"^interface {re.escape(end.interface)}$")[0]
            children = [c.text.strip() for c in iface.children]
            assert end.address is not None
            mask = f"ip address {end.address.ip} {end.address.netmask}"
            assert mask in children, where
            assert any(c.startswith("description [") and link.plane.value in c for c in children), (
                where
            )
            if link.kind is LinkKind.access:
                kbps = str(link.committed_mbps * 1000)
                bps = str(link.committed_mbps * 1_000_000)
                assert any(kbps in c or bps in c for c in children) or any(
                    f"SHAPE-{link.committed_mbps}M" in c for c in children
                ), f"{where} {end.interface}: not shaped to {link.committed_mbps} Mbps"
        for pattern in MUST[platform]:
            assert any(re.search(pattern, ln) for ln in lines), f"{where}: {pattern}"
        for pattern in MUST_NOT:
            assert not any(re.search(pattern, ln) for ln in lines), f"{where}: {pattern}"
        for server in policy.syslog_servers:
            assert any(
                str(server) in ln and ("log" in ln or "info-center" in ln) for ln in lines
            ), where
        for server in policy.ntp_servers:
            assert any(str(server) in ln and "ntp" in ln for ln in lines), where
        timeouts = [
            int(m.group(1))
            for ln in lines
            for m in [re.search(r"(?:idle|exec)-timeout (\d+) 0", ln)]
            if m
        ]
        assert timeouts and max(timeouts) <= 10, where
        assert any(
            re.search(r"(?:retry-time|max-fail|login-attempt) [1-5]\b", ln) for ln in lines
        ), f"{where}: no login failure lockout <= 5"


def test_frr_config_is_vtysh_native(lab_inventory: Inventory) -> None:
    core1 = RENDERER.render(build_intent(lab_inventory, lab_inventory.device("core1"))).text
    assert "hostname core1\n" in core1
    assert " ip ospf bfd profile egovnet\n" in core1
    assert " ip ospf cost 100\n" in core1 and " ip ospf cost 10\n" in core1
    # QoS and host services are recorded as comments: vtysh has no such commands
    assert all(ln.startswith("!") for ln in core1.splitlines() if "qos" in ln.lower())


def test_secrets_render_as_markers_never_values(
    district_inventory: Inventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EGOVNET_SNMP_AUTH_KEY", "auth-Secret-123")
    monkeypatch.setenv("EGOVNET_SNMP_PRIV_KEY", "priv-Secret-456")
    for dev in representatives(district_inventory):
        text = RENDERER.render(build_intent(district_inventory, dev, dev.platform)).text
        assert "Secret-" not in text
        assert "<<secret:EGOVNET_SNMP_AUTH_KEY>>" in text
    from automation.secretref import resolve

    resolved = resolve(text, SecretStore(None))
    assert "auth-Secret-123" in resolved and "<<secret:" not in resolved


def test_a_broken_template_is_one_error_naming_the_file(
    lab_inventory: Inventory, tmp_path: Path
) -> None:
    for name in TEMPLATE_FILES:
        (tmp_path / "frr").mkdir(exist_ok=True)
        (tmp_path / "frr" / name).write_text("{{ d.no_such_field }}\n", encoding="utf-8")
    renderer = Renderer(template_root=tmp_path)
    with pytest.raises(AutomationError, match=r"config\.j2:1: rendering core1 failed"):
        renderer.render(build_intent(lab_inventory, lab_inventory.device("core1")))
