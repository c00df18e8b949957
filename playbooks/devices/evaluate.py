"""Judge a device's facts against the controls and the management policy: one row per check.

The rules are the same for every platform; only the parsing differs (see the platform
modules). Thresholds come from the inventory's ``policy.management`` (syslog and NTP servers,
banner, idle timeout, failures before lockout).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from inventory.catalog import Inventory
from inventory.models import Device, LinkKind, ManagementPolicy, Role

from ..assets import SystemRef
from ..controls import AssetType, Control, controls_for
from ..results import (
    CheckResult,
    EvidenceItem,
    EvidenceKind,
    ResultStatus,
    make_results,
    sha256_text,
)
from .configtree import ConfigFile, Line, excerpt
from .facts import ConfigAuditSpec, DeviceFacts, Fact, lines_of

DEFAULT_ACCOUNT_NAMES = frozenset(
    {
        "admin",
        "administrator",
        "cisco",
        "huawei",
        "h3c",
        "root",
        "guest",
        "test",
        "user",
        "super",
        "manager",
    }
)


@dataclass(frozen=True)
class Verdict:
    result: ResultStatus
    finding: str
    facts: tuple[Fact[Any], ...]


def _ok(condition: bool) -> ResultStatus:
    return ResultStatus.passed if condition else ResultStatus.failed


def _default_accounts(f: DeviceFacts, _: ManagementPolicy) -> Verdict:
    users = f.users.value
    defaults = sorted(u.name for u in users if u.name.lower() in DEFAULT_ACCOUNT_NAMES)
    weak = sorted(u.name for u in users if u.storage in ("plain", "reversible"))
    problems = []
    if defaults:
        problems.append(f"default account(s): {', '.join(defaults)}")
    if weak:
        problems.append(f"reversible or plain password(s): {', '.join(weak)}")
    names = ", ".join(u.name for u in users) or "none"
    return Verdict(_ok(not problems), "; ".join(problems) or f"local users: {names}", (f.users,))


def _lockout(f: DeviceFacts, policy: ManagementPolicy) -> Verdict:
    limit = policy.login_failures_before_lock
    attempts = f.login_attempts.value
    if attempts is None:
        return Verdict(
            ResultStatus.failed, "no login-failure lockout configured", (f.login_attempts,)
        )
    return Verdict(
        _ok(1 <= attempts <= limit),
        f"locks after {attempts} failed logins (policy: at most {limit})",
        (f.login_attempts,),
    )


def _idle_timeout(f: DeviceFacts, policy: ManagementPolicy) -> Verdict:
    limit = policy.idle_timeout_minutes * 60
    seconds = f.idle_timeout_seconds.value
    if seconds is None:
        return Verdict(ResultStatus.failed, "no idle timeout configured", (f.idle_timeout_seconds,))
    if seconds == 0:
        return Verdict(ResultStatus.failed, "idle timeout disabled (0)", (f.idle_timeout_seconds,))
    return Verdict(
        _ok(seconds <= limit),
        f"longest idle timeout {seconds} s (policy: at most {limit} s)",
        (f.idle_timeout_seconds,),
    )


def _ssh_only(f: DeviceFacts, _: ManagementPolicy) -> Verdict:
    protocols = f.vty_protocols.value
    problems = []
    if not f.ssh_server.value:
        problems.append("SSH server not enabled")
    if f.telnet_server.value is None:
        problems.append(f"telnet exposure unknown ({f.telnet_server.note})")
    elif f.telnet_server.value:
        problems.append("telnet server enabled")
    if "telnet" in protocols:
        problems.append("vty lines accept telnet")
    if not protocols:
        problems.append("no vty line accepts ssh")
    shown = ",".join(sorted(protocols)) or "none"
    return Verdict(
        _ok(not problems),
        "; ".join(problems) or f"SSH only (vty: {shown})",
        (f.ssh_server, f.telnet_server, f.vty_protocols),
    )


def _snmpv3(f: DeviceFacts, _: ManagementPolicy) -> Verdict:
    problems = []
    if f.snmp_communities.value:
        problems.append(f"{f.snmp_communities.value} community string(s) configured")
    versions = f.snmp_versions.value
    if versions is not None and versions - {"v3"}:
        problems.append(f"agent accepts {', '.join(sorted(versions))}")
    principals = f.snmp_v3.value
    weak = sorted(p.name for p in principals if p.level != "priv")
    if weak:
        problems.append(f"v3 without privacy: {', '.join(weak)}")
    if not any(p.level == "priv" for p in principals):
        problems.append("no SNMPv3 authPriv user or group")
    names = ", ".join(p.name for p in principals) or "none"
    return Verdict(
        _ok(not problems),
        "; ".join(problems) or f"SNMPv3 authPriv only ({names})",
        (f.snmp_communities, f.snmp_versions, f.snmp_v3),
    )


def _servers(label: str, fact: Fact[frozenset[str]], wanted: list[str]) -> Verdict:
    configured = fact.value
    if not wanted:
        return Verdict(
            _ok(bool(configured)),
            f"{label}: {', '.join(sorted(configured)) or 'none'} (policy names none)",
            (fact,),
        )
    missing = [w for w in wanted if w not in configured]
    shown = ", ".join(sorted(configured)) or "none"
    finding = f"{label} configured: {shown}"
    if missing:
        finding += f"; missing policy server(s): {', '.join(missing)}"
    return Verdict(_ok(not missing), finding, (fact,))


def _syslog(f: DeviceFacts, policy: ManagementPolicy) -> Verdict:
    return _servers("syslog hosts", f.syslog_hosts, [str(a) for a in policy.syslog_servers])


def _ntp(f: DeviceFacts, policy: ManagementPolicy) -> Verdict:
    return _servers("NTP servers", f.ntp_servers, [str(a) for a in policy.ntp_servers])


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _banner(f: DeviceFacts, policy: ManagementPolicy) -> Verdict:
    text = f.banner.value
    if not text:
        return Verdict(ResultStatus.failed, "no login banner", (f.banner,))
    if _normal(policy.banner) not in _normal(text):
        return Verdict(ResultStatus.failed, "banner differs from the policy banner", (f.banner,))
    return Verdict(ResultStatus.passed, "policy banner shown before login", (f.banner,))


def _vty_acl(f: DeviceFacts, _: ManagementPolicy) -> Verdict:
    return Verdict(
        _ok(f.vty_acl.value),
        "ACL applied on every vty line" if f.vty_acl.value else "vty lines without an ACL",
        (f.vty_acl,),
    )


CONFIG_RULES: dict[str, Callable[[DeviceFacts, ManagementPolicy], Verdict]] = {
    "NET-DEFAULT-ACCOUNTS": _default_accounts,
    "NET-LOCKOUT": _lockout,
    "NET-IDLE-TIMEOUT": _idle_timeout,
    "NET-SSH-ONLY": _ssh_only,
    "NET-SNMPV3": _snmpv3,
    "NET-SYSLOG": _syslog,
    "NET-NTP": _ntp,
    "NET-BANNER": _banner,
    "NET-VTY-ACL": _vty_acl,
}


def _config_evidence(verdict: Verdict, files: dict[str, ConfigFile]) -> list[EvidenceItem]:
    """The configuration files by hash, with the lines that decided the verdict."""
    lines = lines_of(*(fact.lines for fact in verdict.facts))
    notes = list(dict.fromkeys(fact.note for fact in verdict.facts if fact.note))
    consulted = [fact.source for fact in verdict.facts if fact.source in files]
    names = sorted({ln.file for ln in lines}) or consulted[:1] or [next(iter(files))]
    items: list[EvidenceItem] = []
    for index, name in enumerate(names):
        file = files[name]
        shown = excerpt([ln for ln in lines if ln.file == name]) or "(no matching line)"
        if index == 0 and notes:
            shown += "\n" + "\n".join(f"note: {note}" for note in notes)
        items.append(EvidenceItem.of_file(file.path, file.sha256, shown, EvidenceKind.config))
    return items


def redundancy_verdict(inv: Inventory, device: Device) -> tuple[Verdict, EvidenceItem]:
    """L3 网络架构: dual cores and interconnects at the core, dual-homing where required."""
    rules = inv.policy.redundancy
    site = inv.site(device.site)
    if device.role is Role.core:
        cores = [d.name for d in inv.devices_at(site.id) if d.role is Role.core]
        inter = [lk.id for lk in inv.links_of(device.name) if lk.kind is LinkKind.core_interconnect]
        ok = len(cores) >= rules.core_devices and len(inter) >= rules.core_interconnect_links
        finding = (
            f"{len(cores)} core device(s) at {site.id} (need {rules.core_devices}), "
            f"{len(inter)} core interconnect(s) (need {rules.core_interconnect_links})"
        )
        shown = f"site {site.id} cores: {', '.join(cores)}\ninterconnects: {', '.join(inter)}"
        verdict = Verdict(_ok(ok), finding, ())
    elif inv.must_be_dual_homed(site):
        uplinks = inv.uplinks_of_site(site.id)
        planes = sorted({lk.plane.value for lk in uplinks})
        ok = len(uplinks) >= 2
        finding = f"{site.name} must be dual-homed: {len(uplinks)} uplink(s), planes {planes}"
        shown = f"site {site.id} ({site.name}) uplinks: " + ", ".join(lk.id for lk in uplinks)
        verdict = Verdict(_ok(ok), finding, ())
    else:
        finding = f"{site.name} ({site.tier.value}) need not be dual-homed"
        shown = f"site {site.id}: tier {site.tier.value}, important={site.important}"
        verdict = Verdict(ResultStatus.not_applicable, finding, ())
    item = EvidenceItem.of_file(str(inv.root), sha256_text(shown), shown, EvidenceKind.inventory)
    return verdict, item


def check_device(
    *,
    inv: Inventory,
    device: Device,
    spec: ConfigAuditSpec,
    files: dict[str, ConfigFile],
    systems: list[SystemRef],
    level: int,
    collected_at: datetime,
) -> list[CheckResult]:
    """Every applicable network-device control for one device, once per system it serves."""
    facts = spec.parse(files)
    policy = inv.policy.management
    rows: list[CheckResult] = []
    for control in controls_for(AssetType.network_device, level):
        verdict, evidence = _judge(
            control=control, facts=facts, policy=policy, files=files, inv=inv, device=device
        )
        rows += make_results(
            control=control,
            systems=systems,
            asset_id=device.name,
            host=str(device.mgmt_address),
            result=verdict.result,
            finding=verdict.finding,
            evidence=evidence,
            collected_at=collected_at,
            remediation_hint=(
                spec.hints.get(control.check_id) if verdict.result is ResultStatus.failed else None
            ),
        )
    return rows


def _judge(
    *,
    control: Control,
    facts: DeviceFacts,
    policy: ManagementPolicy,
    files: dict[str, ConfigFile],
    inv: Inventory,
    device: Device,
) -> tuple[Verdict, list[EvidenceItem]]:
    rule = CONFIG_RULES.get(control.check_id)
    if rule is not None:
        verdict = rule(facts, policy)
        return verdict, _config_evidence(verdict, files)
    if control.check_id == "NET-REDUNDANCY":
        verdict, item = redundancy_verdict(inv, device)
        return verdict, [item]
    # A manual control: the auditor judges; the AAA lines are attached for reference.
    first = next(iter(files.values()))
    aaa = [
        Line(first.name, number, text)
        for number, text in enumerate(first.text.splitlines(), start=1)
        if re.search(r"\b(aaa|tacacs|radius|hwtacacs)\b", text)
    ]
    shown = excerpt(aaa) or "(no AAA/TACACS/RADIUS lines)"
    return (
        Verdict(ResultStatus.manual, "to be verified by the assessor", ()),
        [EvidenceItem.of_file(first.path, first.sha256, shown, EvidenceKind.config)],
    )
