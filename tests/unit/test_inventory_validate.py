"""`egovnet inventory validate` on good and broken inventories, as an engineer runs it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import DISTRICT_INVENTORY, LAB_INVENTORY, invoke_egovnet

pytestmark = pytest.mark.unit


def broken_copy(tmp_path: Path, file: str, old: str, new: str) -> tuple[Path, int]:
    """Copy the lab inventory, replace ``old`` by ``new`` in ``file``; return dir and line."""
    root = tmp_path / "inv"
    shutil.copytree(LAB_INVENTORY, root)
    target = root / file
    text = target.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture text {old!r} must occur once in {file}"
    line = text[: text.index(old)].count("\n") + 1
    target.write_text(text.replace(old, new), encoding="utf-8")
    return root, line


def error_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("error: ")]


@pytest.mark.parametrize("inventory", [DISTRICT_INVENTORY, LAB_INVENTORY])
def test_shipped_inventories_are_valid(inventory: Path) -> None:
    result = invoke_egovnet("inventory", "validate", str(inventory))
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_wrong_type_names_file_line_and_field(tmp_path: Path) -> None:
    root, line = broken_copy(tmp_path, "links.yaml", "committed_mbps: 30,", "committed_mbps: fast,")
    result = invoke_egovnet("inventory", "validate", str(root))
    assert result.returncode == 2
    (err,) = error_lines(result.stderr)
    assert f"links.yaml:{line}: links[12].committed_mbps:" in err
    assert "'fast'" in err


def test_unknown_site_reference(tmp_path: Path) -> None:
    root, line = broken_copy(
        tmp_path, "devices.yaml", "site: town-jiangwan\n", "site: town-nowhere\n"
    )
    result = invoke_egovnet("inventory", "validate", str(root))
    assert result.returncode == 2
    (err,) = error_lines(result.stderr)
    assert f"devices.yaml:{line}: devices[5].site: unknown site 'town-nowhere'" in err


def test_duplicate_management_address(tmp_path: Path) -> None:
    root, line = broken_copy(
        tmp_path, "devices.yaml", "mgmt_address: 172.31.250.12\n", "mgmt_address: 172.31.250.11\n"
    )
    result = invoke_egovnet("inventory", "validate", str(root))
    assert result.returncode == 2
    (err,) = error_lines(result.stderr)
    assert f"devices.yaml:{line}: devices[5].mgmt_address: duplicate address 172.31.250.11" in err
    assert "town1.mgmt_address" in err


def test_bad_yaml_reports_its_line(tmp_path: Path) -> None:
    root, line = broken_copy(
        tmp_path,
        "sites.yaml",
        "{id: town-longgui, name: 龙归镇,",
        "{id: town-longgui, name: [龙归镇,",
    )
    result = invoke_egovnet("inventory", "validate", str(root))
    assert result.returncode == 2
    (err,) = error_lines(result.stderr)
    assert err.startswith("error: ")
    assert "sites.yaml:" in err and "bad YAML" in err
    reported = int(err.split("sites.yaml:")[1].split(":")[0])
    assert abs(reported - line) <= 1


def test_link_to_missing_interface_and_device(tmp_path: Path) -> None:
    root, line = broken_copy(
        tmp_path,
        "links.yaml",
        "b: {device: vil3, interface: eth1,",
        "b: {device: vil3, interface: eth9,",
    )
    result = invoke_egovnet("inventory", "validate", str(root))
    assert result.returncode == 2
    (err,) = error_lines(result.stderr)
    assert f"links.yaml:{line}: links[12].b.interface: device 'vil3' has no interface 'eth9'" in err


def test_every_error_is_reported_not_only_the_first(tmp_path: Path) -> None:
    root, _ = broken_copy(tmp_path, "devices.yaml", "site: town-jiangwan\n", "site: nowhere\n")
    links = root / "links.yaml"
    links.write_text(
        links.read_text(encoding="utf-8").replace("device: dept2,", "device: dept9,"),
        encoding="utf-8",
    )
    result = invoke_egovnet("inventory", "validate", str(root))
    assert result.returncode == 2
    errors = error_lines(result.stderr)
    assert len(errors) == 2
    assert any("unknown site 'nowhere'" in e for e in errors)
    assert any("links[15].b.device: unknown device 'dept9'" in e for e in errors)
    assert "2 error(s)" in result.stderr


def test_tier_without_policy(tmp_path: Path) -> None:
    root, _ = broken_copy(
        tmp_path, "policy.yaml", "    village: {baseline_mbps: 10, target_mbps: 50}\n", ""
    )
    result = invoke_egovnet("inventory", "validate", str(root))
    assert result.returncode == 2
    (err,) = error_lines(result.stderr)
    assert "sites.yaml:" in err and "tier 'village' has no entry in policy.tiers" in err


def test_important_site_needs_two_uplinks(tmp_path: Path) -> None:
    root, line = broken_copy(
        tmp_path,
        "sites.yaml",
        "{id: dept-wjj, name: 区卫生健康局, tier: department,",
        "{id: dept-wjj, name: 区卫生健康局, tier: department, important: true,",
    )
    result = invoke_egovnet("inventory", "validate", str(root))
    assert result.returncode == 2
    (err,) = error_lines(result.stderr)
    assert (
        f"sites.yaml:{line}: sites[9].important: important site 区卫生健康局 must be dual-homed"
        in err
    )


def test_duplicate_device_name_points_at_first(tmp_path: Path) -> None:
    root, line = broken_copy(tmp_path, "devices.yaml", "  - name: vil2\n", "  - name: vil1\n")
    result = invoke_egovnet("inventory", "validate", str(root))
    assert result.returncode == 2
    errors = error_lines(result.stderr)
    assert any(
        f"devices.yaml:{line}: devices[7].name: duplicate device 'vil1' (first at" in e
        for e in errors
    )


def test_unknown_field_is_an_error(tmp_path: Path) -> None:
    root, line = broken_copy(
        tmp_path, "devices.yaml", "    model: MSR2600\n", "    modle: MSR2600\n"
    )
    result = invoke_egovnet("inventory", "validate", str(root))
    assert result.returncode == 2
    (err,) = error_lines(result.stderr)
    assert f"devices.yaml:{line}: devices[7].modle: unknown field" in err


def test_validate_changes_nothing(tmp_path: Path) -> None:
    root, _ = broken_copy(tmp_path, "devices.yaml", "site: town-jiangwan\n", "site: nowhere\n")
    before = {p: p.read_bytes() for p in root.iterdir()}
    invoke_egovnet("inventory", "validate", str(root))
    assert {p: p.read_bytes() for p in root.iterdir()} == before


def test_missing_directory_is_bad_input(tmp_path: Path) -> None:
    result = invoke_egovnet("inventory", "validate", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "no such inventory directory" in result.stderr
