"""Turn what the hardening role recorded on a server into the auditors' rows.

The role (playbooks/roles/mlps_hardening) writes ``<raw>/<host>.json`` on the controller:
the host, its address, the mode and level, and one record per check with the result, the
finding, the time and the evidence items the ``mlps_check`` module gathered. This module
validates that file, re-hashes every command output (a mismatch means the file was altered),
and joins each record with the catalogue and the systems the server hosts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from base.errors import AuditInputError
from inventory.catalog import Inventory

from .assets import SystemRef, check_level, systems_of
from .controls import AssetType, control
from .results import (
    CheckResult,
    EvidenceItem,
    EvidenceKind,
    ResultStatus,
    Sha256Hex,
    clean_text,
    make_results,
    sha256_text,
)
from .store import load_json, location_of


class RawEvidence(BaseModel):
    model_config = ConfigDict(extra="ignore")

    kind: Literal["command", "file"]
    source: str
    content: str
    sha256: Sha256Hex


class RawCheck(BaseModel):
    model_config = ConfigDict(extra="ignore")

    check_id: str
    result: Literal["pass", "fail", "manual", "not_applicable"]
    finding: str
    collected_at: AwareDatetime
    evidence: list[RawEvidence]


class RawHostAudit(BaseModel):
    model_config = ConfigDict(extra="ignore")

    host: str
    #: the run that wrote the file (``mlps_hardening_run_id``; empty when run by hand)
    run_id: str = ""
    address: str
    mode: Literal["audit", "remediate"]
    level: int
    checks: list[RawCheck]


def load_raw(path: Path) -> RawHostAudit:
    try:
        return RawHostAudit.model_validate(load_json(path))
    except ValidationError as exc:
        raise AuditInputError(f"{path}:1: {location_of(exc)}") from None


def _evidence(raw: RawEvidence, where: str) -> EvidenceItem:
    if raw.kind == "command":
        item = EvidenceItem.of_command(raw.source, raw.content)
        if item.sha256 != raw.sha256:
            raise AuditInputError(
                f"{where}: evidence of '{raw.source}' does not match its sha256 "
                f"({raw.sha256[:12]}... recorded, {sha256_text(clean_text(raw.content))[:12]}... "
                "computed)"
            )
        return item
    return EvidenceItem.of_file(raw.source, raw.sha256, raw.content, EvidenceKind.file)


def rows_for_host(
    inv: Inventory, raw: RawHostAudit, where: str, network_level: int = 2
) -> list[CheckResult]:
    """One row per (system the server hosts, check recorded at that system's level)."""
    device = inv.device_by_name.get(raw.host)
    if device is None:
        raise AuditInputError(f"{where}: host {raw.host!r} is not in the inventory")
    systems: list[SystemRef] = systems_of(inv, device, network_level)
    host_level = check_level(inv, device, network_level)
    if raw.level < host_level:
        raise AuditInputError(
            f"{where}: level: checked at level {raw.level} but {raw.host} hosts a level "
            f"{host_level} system; run the audit again"
        )
    rows: list[CheckResult] = []
    for check in raw.checks:
        try:
            ctl = control(check.check_id)
        except KeyError as exc:
            raise AuditInputError(f"{where}: checks: {exc.args[0]}") from None
        if ctl.asset_type is not AssetType.linux_server:
            raise AuditInputError(f"{where}: checks: {check.check_id} is not a server check")
        evidence = [_evidence(e, where) for e in check.evidence]
        rows += make_results(
            control=ctl,
            systems=systems,
            asset_id=raw.host,
            host=raw.address,
            result=ResultStatus(check.result),
            finding=check.finding,
            evidence=evidence,
            collected_at=check.collected_at,
        )
    return rows
