"""`egovnet --lang zh`: every table's title and headings, the status words in its rows, the
summary lines and the errors in Chinese; in English as before; CJK columns aligned.

Each table command runs in-process on the sample district (or the lab profile, or a recorded
state), with rich's ``Table`` watched: every title and column heading a command prints under
``--lang zh`` is checked for English words of the catalogue, so a heading added as a raw
English string fails here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.table import Table

from automation.runner import Status
from bandwidth.assess import Verdict, assess
from bandwidth.store import BandwidthStore
from collectors.readings import DeviceReading, InterfaceReading
from egovnet import messages
from egovnet.messages import CATALOGUE, DOMAIN
from egovnet.templates import Template
from inventory.loader import load_inventory
from inventory.netbox.plan import Action
from tests.conftest import DISTRICT_INVENTORY, LAB_INVENTORY, REPO, invoke_egovnet
from tests.unit.inventory_copies import InventoryCopy
from tests.unit.test_monitor_bandwidth import report as iperf_report
from topology.discovery.drift import LinkState
from topology.findings import Severity
from topology.whatif import Impact

pytestmark = pytest.mark.unit

WIDE = {"COLUMNS": "200", "PATH": ""}
SLICE = REPO / "tests" / "fixtures" / "topology" / "lldp-slice"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
FIELD = re.compile(r"\{(\w+)\}")

#: Names that stay as they are in Chinese text: products, protocols, units.
KEPT = {"snmp", "ospf", "full", "lldp", "iperf3", "mbps", "mib", "netbox", "prometheus",
        "alertmanager", "yaml", "json", "sysname"}  # fmt: skip


def english_words() -> set[str]:
    """Every word of the catalogue's English texts, the ``{fields}`` and markup left out."""
    words: set[str] = set()
    for key, (_zh, en) in CATALOGUE.items():
        if key.startswith(DOMAIN):
            continue
        fixed = re.sub(r"\[/?[a-z ]*\]", " ", FIELD.sub(" ", en))
        words |= {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9]+", fixed)}
    return words - KEPT


ENGLISH = english_words()


class Headings:
    """The titles and column headings of every table made while a command runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[str] = []
        init, add_column = Table.__init__, Table.add_column
        seen = self.seen

        def watched_init(table: Table, *args: Any, **kwargs: Any) -> None:
            init(table, *args, **kwargs)
            if table.title:
                seen.append(str(table.title))

        def watched_add_column(table: Table, header: Any = "", *args: Any, **kw: Any) -> None:
            seen.append(str(header))
            add_column(table, header, *args, **kw)

        monkeypatch.setattr(Table, "__init__", watched_init)
        monkeypatch.setattr(Table, "add_column", watched_add_column)

    def english(self, *values: str) -> set[str]:
        """English catalogue words in the headings; ``values`` (paths, names) left out."""
        found: set[str] = set()
        for seen in self.seen:
            shown = seen
            for value in values:
                shown = shown.replace(value, " ")
            found |= {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9]+", shown)}
        return found & ENGLISH


@pytest.fixture
def headings(monkeypatch: pytest.MonkeyPatch) -> Headings:
    return Headings(monkeypatch)


def zh(*args: str, code: int = 0) -> str:
    done = invoke_egovnet("--lang", "zh", *args, env=WIDE)
    assert done.returncode == code, done.stdout + done.stderr
    return done.stdout


def en(*args: str, code: int = 0) -> str:
    done = invoke_egovnet("--lang", "en", *args, env=WIDE)
    assert done.returncode == code, done.stdout + done.stderr
    return done.stdout


# --- the catalogue ------------------------------------------------------------------------


def test_no_key_in_one_language_only() -> None:
    """A key with only its English (or only its Chinese) is a missing translation."""
    for key, pair in CATALOGUE.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        chinese, english = pair
        assert chinese.strip(), f"{key}: no Chinese"
        assert english.strip(), f"{key}: no English"
        assert CJK.search(chinese), f"{key}: the Chinese {chinese!r} is not Chinese"
        assert set(FIELD.findall(chinese)) == set(FIELD.findall(english)), key


def test_every_key_the_code_asks_for_is_catalogued() -> None:
    """``text("k")``, ``heading("c")`` (``col.c``) and ``word("kind", "code")`` as written."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "egovnet").rglob("*.py"))
    asked = set(re.findall(r"""\btext\(\s*["']([\w.\- ]+)["']""", source))
    asked |= {f"col.{c}" for c in re.findall(r"""\bheading\(\s*["'](\w+)["']""", source)}
    asked |= {
        f"{kind}.{code}"
        for kind, code in re.findall(r"""\bword\(\s*["'](\w+)["'],\s*["']([\w\- ]+)["']""", source)
    }
    # keys handed on as strings (``run.report("config.title.push", ...)``)
    prefixes = {key.split(".")[0] for key in CATALOGUE}
    asked |= {
        key
        for key, prefix in re.findall(r"""["']((\w+)\.[\w.\-]+)["']""", source)
        if prefix in prefixes
    }
    assert len(asked) > 50
    assert sorted(k for k in asked if k not in CATALOGUE) == []


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("severity", list(Severity)),
        ("linkstate", list(LinkState)),
        ("status", list(Status)),
        ("verdict", list(Verdict)),
        ("impact", [Impact.down, Impact.cut_off]),
        ("netbox", list(Action)),
    ],
)
def test_status_words_cover_their_codes(kind: str, codes: list[object]) -> None:
    for code in codes:
        assert f"{kind}.{getattr(code, 'value', code)}" in CATALOGUE, code


def test_error_templates_are_well_formed() -> None:
    """Each English template parses: no field twice, no two fields side by side."""
    for key, (chinese, english) in CATALOGUE.items():
        if key.startswith(DOMAIN):
            template = Template.parse(english)
            assert template.fields or template.prefix, key
            assert chinese.strip(), key
    with pytest.raises(ValueError, match="followed by another field"):
        Template.parse("unknown {name}{hint}")


def test_matching_takes_one_pass_whatever_the_message() -> None:
    """A hostile name thousands of characters long, full of the templates' own words, is
    matched (or not) in one pass per literal: a backtracking matcher takes minutes here."""
    messages.choose(messages.Lang.zh)
    try:
        hostile = "duplicate " + "a b (first at " * 250 + "x)"
        assert messages.translate(hostile).startswith("重复的 a b")
        spaced = "x (got " * 500 + "y"
        assert messages.translate("unknown site " + spaced) == "未知站点 " + spaced
        huge = "unknown site " + "z" * 100_000
        assert messages.translate(huge) == huge  # past LONGEST_TRANSLATED: as it is
    finally:
        messages.choose(messages.Lang.en)


# --- every table command under zh -----------------------------------------------------------


def test_inventory_show_headings(headings: Headings) -> None:
    out = zh("inventory", "show", "-i", str(DISTRICT_INVENTORY))
    assert "各层级站点对照规划" in out and "接入线路" in out
    assert not headings.english()


def test_topology_check(headings: Headings) -> None:
    out = zh("topology", "check", "-i", str(DISTRICT_INVENTORY))
    assert "拓扑检查：" in out and "受影响站点" in out
    assert re.search(r"必须规则(全部通过|未通过)：\d+ 必须，\d+ 应当，\d+ 提示", out)
    assert "│ 提示 " in out  # the severity in the rows
    assert not headings.english(str(DISTRICT_INVENTORY), "district")
    english = en("topology", "check", "-i", str(DISTRICT_INVENTORY))
    assert "Topology check: " in english and re.search(r"must-rules (pass|FAIL): \d+ must", english)


def test_topology_whatif(headings: Headings) -> None:
    out = zh("topology", "whatif", "--fail", "wj-core1", "--fail", "wj-core2", "-i",
             str(DISTRICT_INVENTORY))  # fmt: skip
    assert "模拟故障：设备 wj-core1，设备 wj-core2" in out
    assert "个站点失去到政务云的通路" in out
    assert "│ 镇街 " in out  # tiers by name
    ranking = zh("topology", "whatif", "--all-single", "--top", "3", "-i", str(DISTRICT_INVENTORY))
    assert "单点故障按断开站点数排序" in ranking and "断开的站点数" in ranking
    assert not headings.english()


def test_topology_discover_drift(headings: Headings) -> None:
    args = (
        "topology",
        "discover",
        "-i",
        str(SLICE / "inventory"),
        "--from-dir",
        str(SLICE / "lldp"),
    )
    done = invoke_egovnet("--lang", "zh", *args, env=WIDE)
    assert done.returncode == 1, done.stderr
    assert "LLDP 未能确认的规划链路" in done.stdout and "意外邻居" in done.stdout
    assert "│ 接错 " in done.stdout
    assert re.search(r"存在偏差：已发现 \d+/\d+ 条链路；\d+ 缺失，2 接错，1 意外邻居", done.stdout)
    assert "无法读取 wj-vil-xilian-03" in done.stderr
    assert not headings.english()


def test_config_render(headings: Headings, tmp_path: Path) -> None:
    out = zh("config", "render", "--profile", "lab", "--state-dir", str(tmp_path))
    assert "已生成的配置" in out and "│ 设备 " in out.replace("┃", "│")
    assert "│ 已生成 " in out and re.search(r"已生成 11\b", out)
    assert not headings.english()
    assert "rendered 11" in en("config", "render", "--profile", "lab", "--state-dir", str(tmp_path))


def test_bandwidth_show(headings: Headings, tmp_path: Path) -> None:
    inv = load_inventory(LAB_INVENTORY)
    village = next(c for c in inv.circuits if c.link.id == "core1-town2")
    BandwidthStore(tmp_path).record(
        [assess(village, iperf_report(47.0), direction="up", runner="test")]
    )
    out = zh("bandwidth", "show", "--state-dir", str(tmp_path))
    assert "各线路最近一次带宽测试" in out
    assert "│ 江湾镇 │ 镇街 " in out and "│ 上行 " in out and "差 53 Mbps" in out
    assert not headings.english()
    assert "shortfall 53 Mbps" in en("bandwidth", "show", "--state-dir", str(tmp_path))


def test_monitor_status(headings: Headings, tmp_path: Path) -> None:
    state = tmp_path / "monitor"
    state.mkdir()
    record = {
        **{"pid": 2**22 + 1, "start_ticks": 1, "argv": ["prometheus"], "name": "prometheus"},
        **{"address": "127.0.0.1:1", "ready_path": "/-/ready", "log": str(state / "p.log")},
        "started_at": "2026-12-01T08:00:00Z",
    }
    (state / "stack.json").write_text(json.dumps({"components": {"prometheus": record}}))
    done = invoke_egovnet("--lang", "zh", "monitor", "status", "--state-dir", str(tmp_path),
                          env=WIDE)  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "组件" in done.stdout and "告警（0 条触发中）" in done.stdout
    assert "│ 否 " in done.stdout
    assert f"问题： prometheus（进程号 {2**22 + 1}）未运行；见 " in done.stdout
    assert not headings.english()
    english = en("monitor", "status", "--state-dir", str(tmp_path), code=1)
    assert "Alerts (0 firing)" in english and "│ no " in english
    assert f"problem: prometheus (pid {2**22 + 1}) is not running; see " in english


def test_audit_controls_and_migration(headings: Headings) -> None:
    out = zh("audit", "controls", "--level", "3")
    assert "等保第 3 级控制项" in out and "控制点" in out and "│ 网络设备 " in out
    migration = zh("audit", "migration", "--profile", "lab")
    assert "按部门" in migration and "按批次" in migration and "│ 已割接 " in migration
    assert re.search(r"上云率 \d+%（\d+/\d+ 个系统，不含保留系统）——基线", migration)
    assert "│ 第 1 批 " in migration and "受阻 SYS-HIS: 尚无等保测评记录" in migration
    assert not headings.english()
    english = en("audit", "migration", "--profile", "lab")
    assert "By department" in english and "│ wave 1 " in english and "│ cutover " in english


def test_audit_run(headings: Headings, tmp_path: Path) -> None:
    configs = tmp_path / "configs"
    configs.mkdir()
    fixture = REPO / "tests" / "fixtures" / "playbooks" / "hp_comware" / "noncompliant"
    (configs / "wj-town-xilian.cfg").write_text(
        (fixture / "running-config").read_text(encoding="utf-8"), encoding="utf-8"
    )
    args = (
        "audit",
        "run",
        "--no-servers",
        "--configs",
        str(configs),
        "-i",
        str(DISTRICT_INVENTORY),
    )
    out = zh(*args, "--state-dir", str(tmp_path / "state"))
    assert "等保检查（核查）" in out and "│ wj-town-xilian │ 网络设备 " in out
    assert "不符合" in out and "跳过 " in out
    assert not headings.english()
    english = en(*args, "--state-dir", str(tmp_path / "state"))
    assert "等保 checks (audit)" in english and "│ network_device " in english


def test_poll_tables(headings: Headings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Poll needs devices to answer SNMP; its tables are printed here from a reading."""
    from egovnet.commands import poll

    shown = Console(width=200, record=True, color_system=None)
    monkeypatch.setattr(poll, "console", shown)

    port = InterfaceReading("GigabitEthernet0/0/1", 1, 10, 20, False, 0, 0, 0, 0, True, False,
                            1000, "至江湾镇")  # fmt: skip
    reading = DeviceReading("wj-core1", True, 0.0, 0.012, 90061.0, "WJ-CORE1", interfaces=(port,))
    messages.choose(messages.Lang.zh)
    try:
        poll._print([reading])
    finally:
        messages.choose(messages.Lang.en)
    out = shown.export_text()
    assert "SNMP 轮询：设备" in out and "SNMP 轮询：接口" in out and "（32 位计数器）" in out
    assert not headings.english()


def test_lab_status_table(headings: Headings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A running lab needs root and the lab tier; its status table is printed here from a
    status record as ``lab.status`` returns it."""
    import lab
    from lab.status import LabStatus, NodeStatus

    node = NodeStatus("town1", "eg-town1", "device", "frr", True, 6, 6, 1, 2, None, ["link-down"])
    st = LabStatus("/tmp/x", "up", "lab", 12.5, 300 * 2**20, None, nodes=[node])
    monkeypatch.setattr(lab, "status", lambda _state_dir: st)
    out = zh("lab", "status", code=1)
    assert "实验环境 lab：运行中，启动用时 12.5 秒，300 MiB" in out
    assert "OSPF 邻接 Full" in out and "│ 无应答 " in out
    assert not headings.english("lab")
    assert "lab lab: up, up in 12.5s, 300 MiB" in en("lab", "status", code=1)


def test_lab_and_monitor_messages_without_a_stack(tmp_path: Path) -> None:
    assert f"没有运行中的实验环境（状态目录 {tmp_path}）" in zh(
        "lab", "status", "--state-dir", str(tmp_path), code=1
    )
    assert "中没有记录监控栈；用 `egovnet monitor up` 启动" in zh(
        "monitor", "status", "--state-dir", str(tmp_path), code=1
    )


def test_json_keys_stay_english() -> None:
    args = ("topology", "check", "-i", str(DISTRICT_INVENTORY), "--json")
    assert json.loads(zh(*args)) == json.loads(en(*args))


# --- errors --------------------------------------------------------------------------------


def test_a_located_error_in_chinese_keeps_file_line_and_field(tmp_path: Path) -> None:
    copy = InventoryCopy(tmp_path)
    line = copy.replace("devices.yaml", "site: town-longgui", "site: town-nowhere")
    done = invoke_egovnet("--lang", "zh", "inventory", "validate", str(copy.root), env=WIDE)
    assert done.returncode == 2
    first = done.stderr.splitlines()[0]
    assert re.fullmatch(
        rf"错误：{re.escape(str(copy.root))}/devices\.yaml:{line}: devices\[\d+\]\.site: "
        r"未知站点 'town-nowhere'",
        first,
    ), first
    english = invoke_egovnet("--lang", "en", "inventory", "validate", str(copy.root), env=WIDE)
    assert english.returncode == 2
    assert english.stderr.splitlines()[0].endswith(".site: unknown site 'town-nowhere'")


def test_schema_errors_in_chinese(tmp_path: Path) -> None:
    copy = InventoryCopy(tmp_path)
    copy.replace("devices.yaml", "site: town-longgui", "sight: town-longgui")
    done = invoke_egovnet("--lang", "zh", "inventory", "validate", str(copy.root), env=WIDE)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert any(re.search(r"\.site: 缺少必填字段$", x) for x in lines), lines
    assert any(re.search(r"\.sight: 未知字段$", x) for x in lines), lines
    assert re.fullmatch(r"共 \d+ 个错误", lines[-1])


def test_other_errors_in_chinese_with_their_exit_codes() -> None:
    done = invoke_egovnet("--lang", "zh", "topology", "whatif", "--fail", "wj-core9", "-i",
                          str(DISTRICT_INVENTORY), env=WIDE)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("错误：未知链路或设备 'wj-core9'（是否想写 ")
    done = invoke_egovnet("--lang", "zh", "topology", "whatif", env=WIDE)
    assert done.returncode == 2
    assert done.stderr.strip() == "错误：请说明什么故障：--fail 链路|设备（可重复）或 --all-single"
    done = invoke_egovnet("--lang", "zh", "bandwidth", "test", "no-such-site", "-p", "lab",
                          env=WIDE)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip() == "错误：SITE：未知站点 'no-such-site'（站点 id 或中文名）"


def test_an_untranslated_message_falls_back_to_english() -> None:
    messages.choose(messages.Lang.zh)
    try:
        assert messages.translate("something nobody catalogued") == "something nobody catalogued"
        assert (
            messages.translate("Input should be a valid integer (got 'x')")
            == "应为整数（实际为 'x'）"
        )
    finally:
        messages.choose(messages.Lang.en)


# --- CJK width ------------------------------------------------------------------------------


def columns(text: str) -> int:
    """Terminal columns of ``text``: East Asian wide and fullwidth characters take two."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def test_rich_counts_cjk_as_two_columns() -> None:
    from rich.cells import cell_len

    inv = load_inventory(DISTRICT_INVENTORY)
    texts = [zh_text for zh_text, _ in CATALOGUE.values()]
    texts += [s.name for s in inv.sites] + [system.name for system in inv.systems]
    for text in texts:
        assert cell_len(text) == columns(text), text


def test_a_chinese_table_lines_up() -> None:
    """Every line of a table with Chinese cells is as wide as the others, counted as a
    terminal counts: the borders stand in one column."""
    out = zh("inventory", "show", "-i", str(DISTRICT_INVENTORY))
    body = [line for line in out.splitlines() if line[:1] in "┏┃┡│└"]
    assert len(body) > 10
    tables: list[list[str]] = [[]]
    for line in body:
        tables[-1].append(line)
        if line.startswith("└"):
            tables.append([])
    for table in filter(None, tables):
        assert len({columns(line) for line in table}) == 1, table
        assert any(CJK.search(line) for line in table)
    console = Console(width=60, record=True, color_system=None)
    table = Table(title="对齐")
    table.add_column("站点")
    table.add_column("n", justify="right")
    for name, n in (("江湾镇", "1"), ("龙归镇上围村", "22"), ("x", "333")):
        table.add_row(name, n)
    console.print(table)
    lines = [x for x in console.export_text().splitlines() if x[:1] in "┏┃┡│└"]
    assert len({columns(x) for x in lines}) == 1, lines
