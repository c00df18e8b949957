"""What the inventory's codes are called in Chinese and in English, for people.

The codes (``town``, ``access``, ``cutover``) are what files, labels and JSON carry; these
names are what tables, exports and messages show. One place, so the CLI, the audit exports and
the alert texts (exporters/rules/alerts.yml, checked against this map by
tests/unit/test_alerts_rules_zh.py) call a tier the same thing.
"""

from __future__ import annotations

from enum import StrEnum

from base.lang import Lang

from .models import LinkKind, MigrationStatus, Role, Tier

# (Chinese, English) per code.
TIER_NAMES: dict[Tier, tuple[str, str]] = {
    Tier.city: ("市级", "city"),
    Tier.district_core: ("区级核心", "district core"),
    Tier.cloud: ("政务云", "government cloud"),
    Tier.department: ("区直单位", "district department"),
    Tier.town: ("镇街", "town / subdistrict"),
    Tier.village: ("村居", "village / community"),
}

LINK_KIND_NAMES: dict[LinkKind, tuple[str, str]] = {
    LinkKind.core_interconnect: ("核心互联", "core interconnect"),
    LinkKind.uplink: ("市级上联", "city uplink"),
    LinkKind.backbone: ("政务云骨干", "cloud backbone"),
    LinkKind.access: ("接入", "access"),
}

ROLE_NAMES: dict[Role, tuple[str, str]] = {
    Role.core: ("核心设备", "core device"),
    Role.aggregation: ("汇聚设备", "aggregation device"),
    Role.access: ("接入设备", "access device"),
    Role.cpe: ("用户端设备", "CPE"),
    Role.firewall: ("防火墙", "firewall"),
    Role.server: ("服务器", "server"),
}

MIGRATION_STATUS_NAMES: dict[MigrationStatus, tuple[str, str]] = {
    MigrationStatus.not_started: ("未启动", "not started"),
    MigrationStatus.assessing: ("评估中", "assessing"),
    MigrationStatus.planned: ("已规划", "planned"),
    MigrationStatus.migrating: ("迁移中", "migrating"),
    MigrationStatus.cutover: ("已割接", "cutover"),
    MigrationStatus.validated: ("已验证", "validated"),
    MigrationStatus.decommissioned: ("已下线", "decommissioned"),
    MigrationStatus.retained: ("保留", "retained"),
}

NAMES: dict[type[StrEnum], dict[str, tuple[str, str]]] = {
    Tier: {code.value: names for code, names in TIER_NAMES.items()},
    LinkKind: {code.value: names for code, names in LINK_KIND_NAMES.items()},
    Role: {code.value: names for code, names in ROLE_NAMES.items()},
    MigrationStatus: {code.value: names for code, names in MIGRATION_STATUS_NAMES.items()},
}


def name_of(kind: type[StrEnum], code: str, lang: Lang) -> str:
    """The name of ``code`` (a value of ``kind``) in ``lang``; an unknown code as it is."""
    names = NAMES[kind].get(code)
    if names is None:
        return code
    return names[0] if lang is Lang.zh else names[1]
