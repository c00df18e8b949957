"""The controls catalogue, and the hardening role that implements its Linux controls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from playbooks.controls import CONTROLS, AssetType, Lang, Method, control, controls_for

pytestmark = pytest.mark.unit

ROLE = Path(__file__).resolve().parents[2] / "playbooks" / "roles" / "mlps_hardening"
UNIT = re.compile(r"^L[23]-(CES|CNS)1-\d{2}$")


def test_every_control_is_complete_and_bilingual() -> None:
    ids = [c.check_id for c in CONTROLS]
    assert len(ids) == len(set(ids))
    for c in CONTROLS:
        assert c.items and set(c.items) <= {2, 3}
        for level in c.items:
            assert UNIT.match(c.test_unit_id(level)), c.check_id
            assert c.clause(level).startswith("GB/T 22239-2019 ")
        for text in (c.requirement, c.remediation):
            assert re.search(r"[\u4e00-\u9fff]", text.get(Lang.zh)), c.check_id
            assert re.search(r"[A-Za-z]{3}", text.get(Lang.en)), c.check_id


def test_level_three_adds_controls_and_uses_its_own_numbering() -> None:
    for asset in AssetType:
        at2 = {c.check_id for c in controls_for(asset, 2)}
        at3 = {c.check_id for c in controls_for(asset, 3)}
        assert at2 < at3
    assert control("LNX-PWQUALITY").test_unit_id(2) == "L2-CES1-01"
    assert control("LNX-AUDITD").test_unit_id(3) == "L3-CES1-12"
    assert control("LNX-LISTEN-PORTS").test_unit_id(3) == "L3-CES1-18"
    assert control("LNX-MFA").method is Method.manual
    assert control("LNX-AUDITD").clause(2) == "GB/T 22239-2019 7.1.4.3"
    assert control("LNX-AUDITD").clause(3) == "GB/T 22239-2019 8.1.4.3"
    with pytest.raises(KeyError, match="NOPE"):
        control("NOPE")


def _imports() -> list[dict]:
    return [
        t
        for t in yaml.safe_load((ROLE / "tasks" / "main.yml").read_text())
        if "ansible.builtin.import_tasks" in t and "controls/" in t["ansible.builtin.import_tasks"]
    ]


def test_the_role_has_one_tagged_block_per_linux_control() -> None:
    linux = {c.check_id: c for c in CONTROLS if c.asset_type is AssetType.linux_server}
    seen = set()
    for task in _imports():
        file = ROLE / "tasks" / task["ansible.builtin.import_tasks"]
        check_id = file.stem.replace("_", "-").upper()
        assert check_id in linux, file
        seen.add(check_id)
        c = linux[check_id]
        wanted = {check_id, *(c.test_unit_id(level) for level in c.items)}
        assert wanted <= set(task["tags"]), (check_id, task["tags"])
        assert any(t.startswith("mlps_hardening_") for t in task["tags"])
        if 2 not in c.items:
            assert task.get("when") == "mlps_hardening_l3 | bool", check_id
        blocks = yaml.safe_load(file.read_text())
        assert len(blocks) == 1 and "block" in blocks[0], f"{file}: one block per control"
        text = file.read_text()
        assert re.search(rf"check: {check_id}\n", text), file
    assert seen == set(linux)


def test_the_module_implements_exactly_the_linux_controls() -> None:
    source = (ROLE / "library" / "mlps_check.py").read_text()
    block = source[source.index("CHECKS: dict") :]
    block = block[: block.index("}")]
    implemented = set(re.findall(r'"(LNX-[A-Z0-9-]+)"', block))
    assert implemented == {c.check_id for c in CONTROLS if c.asset_type is AssetType.linux_server}
