"""The Excel ledger: template, import of ledgers filled the way people fill them, export
and import back to the same inventory."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from base.errors import InventoryErrors
from inventory.catalog import Inventory
from inventory.ledger.cells import read_bandwidth
from inventory.loader import load_inventory
from tests.conftest import DISTRICT_INVENTORY, LAB_INVENTORY, invoke_egovnet

pytestmark = pytest.mark.unit

SAME_FIELDS = (
    "profile",
    "policy",
    "sites",
    "devices",
    "links",
    "systems",
    "snmp_profiles",
    "credential_profiles",
)


def assert_same_inventory(left: Inventory, right: Inventory) -> None:
    for name in SAME_FIELDS:
        assert getattr(left, name) == getattr(right, name), name


@pytest.mark.parametrize("source", [DISTRICT_INVENTORY, LAB_INVENTORY], ids=["district", "lab"])
def test_export_then_import_gives_the_same_inventory(tmp_path: Path, source: Path) -> None:
    ledger = tmp_path / "台账.xlsx"
    exported = invoke_egovnet(
        "inventory", "export", "xlsx", "-i", str(source), "--out", str(ledger)
    )
    assert exported.returncode == 0, exported.stderr
    out = tmp_path / "imported"
    imported = invoke_egovnet("inventory", "import", "xlsx", str(ledger), "--out", str(out))
    assert imported.returncode == 0, imported.stderr
    assert_same_inventory(load_inventory(source), load_inventory(out))
    validated = invoke_egovnet("inventory", "validate", str(out))
    assert validated.returncode == 0, validated.stderr


def test_template_has_chinese_headers_and_lists_for_tiers_and_platforms(tmp_path: Path) -> None:
    ledger = tmp_path / "template.xlsx"
    result = invoke_egovnet("inventory", "template", "--xlsx", str(ledger))
    assert result.returncode == 0, result.stderr
    book = load_workbook(ledger)
    assert {"站点", "设备", "接口", "线路", "信息系统", "参数"} <= set(book.sheetnames)
    sites = [c.value for c in book["站点"][1]]
    assert sites[:4] == ["站点编号", "站点", "层级", "上级站点"]
    devices = [c.value for c in book["设备"][1]]
    assert {"设备名称", "管理地址", "平台"} <= set(devices)
    links = [c.value for c in book["线路"][1]]
    assert {"线路编号", "运营商", "承诺带宽"} <= set(links)
    tier_lists = [dv.formula1 for dv in book["站点"].data_validations.dataValidation]
    assert any("镇街" in f and "村居" in f for f in tier_lists)
    platform_lists = [dv.formula1 for dv in book["设备"].data_validations.dataValidation]
    assert any("huawei_vrp" in f and "hp_comware" in f for f in platform_lists)
    settings = {row[0].value: row[1].value for row in book["参数"].iter_rows(min_row=2)}
    assert settings["policy.tiers.village.target_mbps"] == 50  # the plan's 2025 figure


def _messy_ledger(path: Path, *, bad: bool = False) -> None:
    """A ledger typed by hand: a title row, merged site cells, trailing spaces, full-width
    punctuation, numbers stored as text, bandwidth with units, blank rows."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "站点"
    ws.append(["武江区电子政务外网站点台账"])  # a title row above the header
    ws.append(["站点编号 ", "站点", "层级", "上级站点", "重要单位", "备注"])
    ws.append(["district-core", "武江区核心机房", "区核心", None, None, None])
    ws.append([" town-longgui ", "龙归镇（镇政府）", "镇街 ", "district-core", "否", "旧线路"])
    ws.append([None, None, None, None, None, None])  # a blank row
    ws.append(["vil-longgui-01", "龙归镇上围村", "村居", "town-longgui", None, None])
    ws.append(["dept-zsj", "区政务服务数据管理局", "department", "district-core", "是", None])
    if bad:
        ws.append(["vil-x", "某村", "乡级", "town-longgui", None, None])  # row 8: unknown tier
        ws.append(["vil-y", "某某村", "村居", "town-nowhere", None, None])  # row 9: no parent

    dev = book.create_sheet("设备")
    dev.append(["设备名称", "站点", "角色", "平台", "管理地址", "SNMP配置", "型号"])
    dev.append(["wj-core1", "district-core", "核心", "huawei_vrp", "172.16.0.1 ", "noc", 6881])
    dev.append(["wj-core2", None, "核心", "huawei_vrp", "172.16.0.2", "noc", None])
    dev.merge_cells("B2:B3")  # both cores at the district core
    dev.append(["wj-longgui", "town-longgui", "汇聚", "hp_comware", "172．16．0．11", "noc", None])
    dev.append(["wj-vil01", "vil-longgui-01", "cpe", "cisco_ios", "172.16.0.21", "noc", None])
    dev.append(["wj-zsj", "dept-zsj", "接入", "huawei_vrp", "172.16.0.31", "noc", None])
    if bad:
        dev.append(["wj-bad", "dept-zsj", "接入", "huawei_vrp", "172.16.0.300", "noc", None])

    ifs = book.create_sheet("接口")
    ifs.append(["设备名称", "接口名称", "描述"])
    for name in ("GE1/0/1", "GE1/0/2", "GE1/0/3", "GE1/0/4", "GE1/0/5"):
        ifs.append(["wj-core1", name, None])
    for name in ("GE1/0/1", "GE1/0/2", "GE1/0/3", "GE1/0/4"):
        ifs.append(["wj-core2", name, None])
    ifs.append(["wj-longgui", "GE0/0/1", "至核心1（主）"])
    ifs.append(["wj-longgui", "GE0/0/2", None])
    ifs.append(["wj-longgui", "GE0/0/3", None])
    ifs.append(["wj-vil01", "GE0/0/1", None])
    ifs.append(["wj-zsj", "GE0/0/1", None])
    ifs.append(["wj-zsj", "GE0/0/2", None])

    links = book.create_sheet("线路")
    links.append(
        ["链路编号", "类型", "平面", "上联设备", "上联接口", "下联设备", "下联接口",
         "承诺带宽（Mbps）", "运营商", "线路编号"]
    )  # fmt: skip
    links.append(["c1-c2", "core-interconnect", "A", "wj-core1", "GE1/0/1", "wj-core2",
                  "GE1/0/1", "10G", None, None])  # fmt: skip
    links.append(["c1-c2-b", "core-interconnect", "B", "wj-core1", "GE1/0/5", "wj-core2",
                  "GE1/0/4", "10000", None, None])  # fmt: skip
    links.append(["c1-longgui", "access", "A", "wj-core1", "GE1/0/2", "wj-longgui", "GE0/0/1",
                  "100M", "中国电信 ", "SGWJ-DX-0103"])  # fmt: skip
    links.append([None] * 10)
    links.append(["c2-longgui", "access", "B", "wj-core2", "GE1/0/2", "wj-longgui", "GE0/0/2",
                  "1G", "中国联通", "SGWJ-LT-0103"])  # fmt: skip
    links.append(["longgui-vil01", "access", "A", "wj-longgui", "GE0/0/3", "wj-vil01", "GE0/0/1",
                  "50Mbps" if not bad else "fast", "中国移动", 1301])  # fmt: skip
    links.append(["c1-zsj", "access", "A", "wj-core1", "GE1/0/3", "wj-zsj", "GE0/0/1",
                  1000, "中国电信", None])  # fmt: skip
    links.append(["c2-zsj", "access", "B", "wj-core2", "GE1/0/3", "wj-zsj", "GE0/0/2",
                  "1000兆", "中国联通", None])  # fmt: skip

    snmp = book.create_sheet("SNMP配置")
    snmp.append(["名称", "版本", "用户", "认证协议", "认证密钥变量", "加密协议", "加密密钥变量",
                 "端口"])  # fmt: skip
    snmp.append(["noc", "v3", "noc", "SHA-256", "EGOVNET_SNMP_AUTH_KEY", "AES",
                 "EGOVNET_SNMP_PRIV_KEY", "161"])  # fmt: skip

    settings = book.create_sheet("参数")
    settings.append(["参数", "值"])
    for tier, values in {
        "city": {},
        "district_core": {},
        "cloud": {},
        "department": {"baseline_mbps": 100, "target_mbps": "1000"},
        "town": {"baseline_mbps": 50, "target_mbps": 100, "dual_homed": "true"},
        "village": {"baseline_mbps": 10, "target_mbps": 50},
    }.items():
        settings.append([f"policy.tiers.{tier}.dual_homed", "false"])
        for key, value in values.items():
            settings.append([f"policy.tiers.{tier}.{key}", value])
    settings.append(["policy.management.ntp_servers", "10.200.0.250，10.200.0.251"])
    book.save(path)


def test_a_hand_filled_ledger_imports(tmp_path: Path) -> None:
    ledger = tmp_path / "武江区台账.xlsx"
    _messy_ledger(ledger)
    out = tmp_path / "wujiang"
    result = invoke_egovnet("inventory", "import", "xlsx", str(ledger), "--out", str(out))
    assert result.returncode == 0, result.stderr
    inv = load_inventory(out)
    assert [s.id for s in inv.sites] == ["district-core", "town-longgui", "vil-longgui-01",
                                         "dept-zsj"]  # fmt: skip
    town = inv.site("town-longgui")
    assert town.name == "龙归镇（镇政府）"  # names are data: kept as typed
    assert town.tier.value == "town" and not town.important
    assert inv.site("dept-zsj").important
    core2 = inv.device("wj-core2")
    assert core2.site == "district-core"  # from the merged cell
    assert str(inv.device("wj-longgui").mgmt_address) == "172.16.0.11"  # full-width dots
    assert inv.device("wj-core1").model == "6881"
    rates = {lk.id: lk.committed_mbps for lk in inv.links}
    assert rates == {
        "c1-c2": 10000,
        "c1-c2-b": 10000,
        "c1-longgui": 100,
        "c2-longgui": 1000,
        "longgui-vil01": 50,
        "c1-zsj": 1000,
        "c2-zsj": 1000,
    }
    assert inv.link("c1-longgui").carrier == "中国电信"
    assert inv.link("longgui-vil01").circuit_id == "1301"
    assert inv.device("wj-longgui").interfaces[0].description == "至核心1（主）"
    assert [str(a) for a in inv.policy.management.ntp_servers] == ["10.200.0.250", "10.200.0.251"]
    assert inv.snmp_profile_by_name["noc"].port == 161
    assert inv.tier_policy(town.tier).dual_homed


def test_bad_rows_are_all_named_by_sheet_row_and_column_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    ledger = tmp_path / "台账.xlsx"
    _messy_ledger(ledger, bad=True)
    out = tmp_path / "wujiang"
    result = invoke_egovnet("inventory", "import", "xlsx", str(ledger), "--out", str(out))
    assert result.returncode == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    text = "\n".join(lines)
    assert f"{ledger}:站点!C8: 层级: unknown value '乡级'" in text
    assert f"{ledger}:站点!D9: 上级站点: unknown site 'town-nowhere'" in text
    assert f"{ledger}:设备!E7: 管理地址:" in text and "172.16.0.300" in text
    assert f"{ledger}:线路!H7: 承诺带宽（Mbps）: not a bandwidth" in text
    assert len(lines) == 4, text
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [ledger]  # no staging left behind


def test_bad_cells_come_back_as_json_records(tmp_path: Path) -> None:
    ledger = tmp_path / "台账.xlsx"
    _messy_ledger(ledger, bad=True)
    result = invoke_egovnet(
        "inventory", "import", "xlsx", str(ledger), "--out", str(tmp_path / "o"), "--json"
    )
    assert result.returncode == 2
    assert '"line": 8' in result.stdout and "层级" in result.stdout


def test_an_existing_inventory_is_never_overwritten(tmp_path: Path) -> None:
    ledger = tmp_path / "台账.xlsx"
    _messy_ledger(ledger)
    out = tmp_path / "inv"
    out.mkdir()
    (out / "sites.yaml").write_text("sites: []\n", encoding="utf-8")
    result = invoke_egovnet("inventory", "import", "xlsx", str(ledger), "--out", str(out))
    assert result.returncode == 2
    assert "not an empty directory" in result.stderr
    assert (out / "sites.yaml").read_text(encoding="utf-8") == "sites: []\n"


def test_a_file_that_is_not_a_workbook_is_bad_input(tmp_path: Path) -> None:
    ledger = tmp_path / "台账.xlsx"
    ledger.write_text("站点,层级\n", encoding="utf-8")
    result = invoke_egovnet(
        "inventory", "import", "xlsx", str(ledger), "--out", str(tmp_path / "o")
    )
    assert result.returncode == 2
    assert f"{ledger}:1: (file): not an Excel .xlsx workbook" in result.stderr


@pytest.mark.parametrize(
    ("typed", "mbps"),
    [("100", 100), ("100M", 100), ("1G", 1000), ("50Mbps", 50), ("1.5 Gbps", 1500),
     ("100兆", 100), ("1千兆", 1000), ("512k", None), ("fast", None), ("0M", None)],
)  # fmt: skip
def test_bandwidth_cells(typed: str, mbps: int | None) -> None:
    if mbps is None:
        with pytest.raises(ValueError):
            read_bandwidth(typed)
    else:
        assert read_bandwidth(typed) == mbps


def test_export_of_a_bad_inventory_fails_as_validate_does(tmp_path: Path) -> None:
    inv = tmp_path / "inv"
    inv.mkdir()
    (inv / "sites.yaml").write_text("sites: [{id: x, name: X, tier: nowhere}]\n", "utf-8")
    result = invoke_egovnet(
        "inventory", "export", "xlsx", "-i", str(inv), "--out", str(tmp_path / "l.xlsx")
    )
    assert result.returncode == 2
    assert not (tmp_path / "l.xlsx").exists()
    with pytest.raises(InventoryErrors):
        load_inventory(inv)
