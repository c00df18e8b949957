"""The ledger's sheets and columns: one sheet per inventory section, one column per field.

Each column names the inventory field it fills as a dotted path inside the section's item
(``a.device``, ``mlps.level``) and the kind of cell it holds, which decides how a typed
value is read (:mod:`.cells`). The ``参数`` sheet carries the profile and policy as key/value
rows (``policy.tiers.town.target_mbps``), so a ledger holds a whole inventory.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from inventory.models import (
    Criticality,
    LinkKind,
    MigrationStatus,
    MigrationStrategy,
    Plane,
    Platform,
    Role,
    Tier,
)


class Kind(StrEnum):
    text = "text"  # free text (Chinese names): only trimmed
    code = "code"  # identifiers, addresses: full-width folded to ASCII, trimmed
    integer = "integer"
    number = "number"
    bandwidth = "bandwidth"  # Mbps; "100M", "1G", "50Mbps" accepted
    boolean = "boolean"
    date = "date"
    items = "items"  # a list, comma separated
    choice = "choice"


#: Chinese labels people write for the tiers; the inventory value is accepted as well.
TIER_LABELS: dict[str, str] = {
    Tier.city: "市级",
    Tier.district_core: "区核心",
    Tier.cloud: "政务云",
    Tier.department: "区直单位",
    Tier.town: "镇街",
    Tier.village: "村居",
}
ROLE_LABELS: dict[str, str] = {
    Role.core: "核心",
    Role.aggregation: "汇聚",
    Role.access: "接入",
    Role.cpe: "用户端",
    Role.firewall: "防火墙",
    Role.server: "服务器",
}


@dataclass(frozen=True)
class Column:
    header: str
    path: str
    kind: Kind = Kind.code
    required: bool = False
    #: inventory values allowed (choice columns), with the label the ledger writes
    choices: tuple[tuple[str, str], ...] = ()
    note: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.path.split("."))

    def label(self, value: str) -> str:
        return dict(self.choices).get(value, value)


@dataclass(frozen=True)
class Sheet:
    title: str
    section: str
    columns: tuple[Column, ...]


def choices_of(
    values: type[StrEnum], labels: dict[str, str] | None = None
) -> tuple[tuple[str, str], ...]:
    labels = labels or {}
    return tuple((v.value, labels.get(v.value, v.value)) for v in values)


SITES = Sheet(
    "站点",
    "sites",
    (
        Column("站点编号", "id", required=True, note="英文短名, 如 town-longgui"),
        Column("站点", "name", Kind.text, required=True, note="中文名称"),
        Column("层级", "tier", Kind.choice, required=True, choices=choices_of(Tier, TIER_LABELS)),
        Column("上级站点", "parent", note="上级站点的站点编号"),
        Column("重要单位", "important", Kind.boolean, note="是: 必须双归"),
        Column("地址", "address", Kind.text),
        Column("局域网网段", "lan_prefix", note="如 10.210.1.0/24"),
    ),
)
DEVICES = Sheet(
    "设备",
    "devices",
    (
        Column("设备名称", "name", required=True),
        Column("站点", "site", required=True, note="站点编号"),
        Column("角色", "role", Kind.choice, required=True, choices=choices_of(Role, ROLE_LABELS)),
        Column("平台", "platform", Kind.choice, required=True, choices=choices_of(Platform)),
        Column("管理地址", "mgmt_address", required=True),
        Column("环回地址", "loopback"),
        Column("局域网地址", "lan_address", note="服务器: 如 10.200.0.101/24"),
        Column("型号", "model", Kind.text),
        Column("SNMP配置", "snmp_profile", required=True, note="SNMP配置表的名称"),
        Column("旧SNMP配置", "legacy_snmp_profile"),
        Column("登录配置", "credential_profile"),
    ),
)
INTERFACES = Sheet(
    "接口",
    "interfaces",
    (
        Column("设备名称", "device", required=True),
        Column("接口名称", "name", required=True),
        Column("描述", "description", Kind.text),
    ),
)
LINKS = Sheet(
    "线路",
    "links",
    (
        Column("链路编号", "id", required=True),
        Column("类型", "kind", Kind.choice, required=True, choices=choices_of(LinkKind)),
        Column("平面", "plane", Kind.choice, required=True, choices=choices_of(Plane)),
        Column("上联设备", "a.device", required=True),
        Column("上联接口", "a.interface", required=True),
        Column("上联地址", "a.address"),
        Column("下联设备", "b.device", required=True),
        Column("下联接口", "b.interface", required=True),
        Column("下联地址", "b.address"),
        Column("承诺带宽", "committed_mbps", Kind.bandwidth, required=True, note="Mbps, 或 1G"),
        Column("端口速率", "port_mbps", Kind.bandwidth),
        Column("运营商", "carrier", Kind.text),
        Column("线路编号", "circuit_id"),
    ),
)
SYSTEMS = Sheet(
    "信息系统",
    "systems",
    (
        Column("系统编号", "id", required=True),
        Column("系统名称", "name", Kind.text, required=True),
        Column("主管部门", "department", required=True, note="站点编号"),
        Column("负责人", "owner", Kind.text, required=True),
        Column("联系方式", "contact", Kind.text),
        Column("重要程度", "criticality", Kind.choice, choices=choices_of(Criticality)),
        Column("数据分类", "data_class", Kind.text),
        Column("等保级别", "mlps.level", Kind.integer, required=True),
        Column("备案编号", "mlps.filing_number", Kind.text),
        Column("上次测评", "mlps.last_assessment", Kind.date),
        Column("下次测评", "mlps.next_due", Kind.date),
        Column(
            "迁移策略",
            "migration.strategy",
            Kind.choice,
            required=True,
            choices=choices_of(MigrationStrategy),
        ),
        Column(
            "迁移状态",
            "migration.status",
            Kind.choice,
            required=True,
            choices=choices_of(MigrationStatus),
        ),
        Column("迁移批次", "migration.wave", Kind.integer),
        Column("依赖系统", "migration.depends_on", Kind.items),
        Column("云租户", "migration.target.tenant", Kind.text),
        Column("网络区域", "migration.target.zone", Kind.text),
        Column("计划割接", "migration.planned_cutover", Kind.date),
        Column("实际割接", "migration.actual_cutover", Kind.date),
        Column("云上地址", "endpoints.cloud_url"),
        Column("本地地址", "endpoints.onprem_url"),
        Column("主机", "hosts", Kind.items, note="设备名称, 逗号分隔"),
    ),
)
SNMP_PROFILES = Sheet(
    "SNMP配置",
    "snmp_profiles",
    (
        Column("名称", "name", required=True),
        Column(
            "版本", "version", Kind.choice, required=True, choices=(("v2c", "v2c"), ("v3", "v3"))
        ),
        Column("用户", "user"),
        Column("认证协议", "auth_protocol"),
        Column("认证密钥变量", "auth_key_env", note="环境变量名, 不填密钥本身"),
        Column("加密协议", "priv_protocol"),
        Column("加密密钥变量", "priv_key_env"),
        Column("团体名变量", "community_env"),
        Column("端口", "port", Kind.integer),
        Column("超时秒数", "timeout_seconds", Kind.number),
        Column("重试次数", "retries", Kind.integer),
    ),
)
CREDENTIAL_PROFILES = Sheet(
    "登录配置",
    "credential_profiles",
    (
        Column("名称", "name", required=True),
        Column("用户名", "username", required=True),
        Column("密码变量", "password_env", required=True, note="环境变量名, 不填密码本身"),
        Column("特权密码变量", "enable_secret_env"),
    ),
)
#: The table sheets, in the order the ledger shows them.
TABLES: tuple[Sheet, ...] = (
    SITES,
    DEVICES,
    INTERFACES,
    LINKS,
    SYSTEMS,
    SNMP_PROFILES,
    CREDENTIAL_PROFILES,
)
SETTINGS_TITLE = "参数"
SETTINGS_HEADERS = ("参数", "值", "说明")
