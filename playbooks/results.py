"""One result format for every check on every asset: the auditors' row, with its evidence.

A :class:`CheckResult` is one (system, asset, control) row with the columns auditors get
(docs/auditor.md). Its evidence is a list of :class:`EvidenceItem` (a command and its output,
or a file with its SHA-256 and the lines that decided the result); each item carries its own
SHA-256. ``evidence_sha256`` is the SHA-256 of :func:`render_evidence` - the exact text the
exports print in the evidence column - so anyone can re-hash the cell and compare. A result
whose hash does not match its evidence is refused on load.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from .assets import SystemRef
from .controls import AssetType, Bilingual, Control, Method, RiskLevel

Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]

#: Longest evidence content kept per item (the item hash still covers the full output).
MAX_EVIDENCE_CHARS = 6000
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ResultStatus(StrEnum):
    passed = "pass"
    failed = "fail"
    manual = "manual"
    not_applicable = "not_applicable"


class EvidenceKind(StrEnum):
    command = "command"  # source: the command line; sha256: of its full output
    file = "file"  # source: the path; sha256: of the whole file; content: deciding lines
    config = "config"  # a device configuration file, same as file
    inventory = "inventory"  # source: the inventory directory; content: the records used


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def clean_text(text: str) -> str:
    """Drop control characters (spreadsheets and XML refuse them); keep tabs and newlines."""
    return _CONTROL_CHARS.sub("", text.replace("\r\n", "\n"))


class EvidenceItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: EvidenceKind
    source: str
    content: str
    sha256: Sha256Hex
    truncated: bool = False

    @classmethod
    def of_command(cls, command: str, output: str) -> EvidenceItem:
        """A command and its output; the hash covers the whole (cleaned) output."""
        text = clean_text(output)
        return cls._clipped(EvidenceKind.command, command, text, sha256_text(text))

    @classmethod
    def of_file(
        cls, path: str, digest: str, excerpt: str, kind: EvidenceKind = EvidenceKind.file
    ) -> EvidenceItem:
        """A file by its hash, with the excerpt (the deciding lines) shown to the reader."""
        return cls._clipped(kind, path, clean_text(excerpt), digest)

    @classmethod
    def _clipped(cls, kind: EvidenceKind, source: str, text: str, digest: str) -> EvidenceItem:
        truncated = len(text) > MAX_EVIDENCE_CHARS
        if truncated:
            text = text[:MAX_EVIDENCE_CHARS]
        return cls(kind=kind, source=source, content=text, sha256=digest, truncated=truncated)

    def render(self) -> str:
        more = "\n[... truncated]" if self.truncated else ""
        body = self.content.rstrip("\n")
        if self.kind is EvidenceKind.command:
            head = f"$ {self.source}  (sha256 {self.sha256})"
        else:
            head = f"{self.kind.value} {self.source}  (sha256 {self.sha256})"
        return f"{head}\n{body}{more}" if body else head


def render_evidence(items: Sequence[EvidenceItem]) -> str:
    """The evidence as one text: what the exports print and what ``evidence_sha256`` hashes."""
    return "\n\n".join(item.render() for item in items)


class CheckResult(BaseModel):
    """One row for auditors: a control checked on one asset of one system."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    system_id: str
    asset_id: str
    asset_type: AssetType
    host: str
    level: int = Field(ge=1, le=5)
    control_point: Bilingual
    clause: str
    test_unit_id: str
    requirement: Bilingual
    check_id: str
    method: Method
    result: ResultStatus
    finding: str = ""
    evidence: list[EvidenceItem]
    evidence_sha256: Sha256Hex
    collected_at: AwareDatetime
    risk_level: RiskLevel
    remediation: Bilingual
    owner: str

    @property
    def evidence_text(self) -> str:
        return render_evidence(self.evidence)

    @model_validator(mode="after")
    def _hash_matches(self) -> Self:
        actual = sha256_text(self.evidence_text)
        if actual != self.evidence_sha256:
            raise ValueError(
                f"evidence_sha256 {self.evidence_sha256[:12]}... does not match the evidence "
                f"({actual[:12]}...) of {self.asset_id}/{self.check_id}"
            )
        return self


def make_results(
    *,
    control: Control,
    systems: Iterable[SystemRef],
    asset_id: str,
    host: str,
    result: ResultStatus,
    finding: str,
    evidence: Iterable[EvidenceItem],
    collected_at: datetime,
    remediation_hint: str | None = None,
) -> list[CheckResult]:
    """The rows of what a check found on an asset: one per system the asset serves whose
    level requires the control, at that level; hashes the evidence."""
    items = list(evidence)
    digest = sha256_text(render_evidence(items))
    remediation = control.remediation
    if remediation_hint:
        remediation = Bilingual(
            zh=f"{remediation.zh}（{remediation_hint}）",
            en=f"{remediation.en} ({remediation_hint})",
        )
    return [
        CheckResult(
            system_id=system.id,
            asset_id=asset_id,
            asset_type=control.asset_type,
            host=host,
            level=system.check_level,
            control_point=control.point.name,
            clause=control.clause(system.check_level),
            test_unit_id=control.test_unit_id(system.check_level),
            requirement=control.requirement,
            check_id=control.check_id,
            method=control.method,
            result=result,
            finding=finding,
            evidence=items,
            evidence_sha256=digest,
            collected_at=collected_at,
            risk_level=control.risk,
            remediation=remediation,
            owner=system.owner,
        )
        for system in systems
        if control.applies_at(system.check_level)
    ]


def pass_rate(results: Iterable[CheckResult]) -> float | None:
    """Share of automated verdicts that pass: pass / (pass + fail); None when there are none."""
    passed = failed = 0
    for r in results:
        if r.result is ResultStatus.passed:
            passed += 1
        elif r.result is ResultStatus.failed:
            failed += 1
    total = passed + failed
    return passed / total if total else None
