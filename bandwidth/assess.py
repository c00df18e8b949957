"""Achieved throughput against the circuit's committed rate and the tier's plan target.

TCP through a shaped circuit delivers a little under the line rate (headers, shaping
bursts), so a circuit *delivers* a rate when it achieves at least ``tolerance`` (0.9) of it:
a 50 Mbps village circuit measuring 46 Mbps meets the 50 Mbps village target; a 50 Mbps
town circuit measuring 47 Mbps falls 53 Mbps short of the 100 Mbps town target.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel

from inventory.catalog import Circuit

from .iperf import IperfReport

DEFAULT_TOLERANCE = 0.9


class Verdict(StrEnum):
    meets_target = "meets target"
    shortfall = "shortfall"
    no_target = "no target"
    failed = "failed"


class BandwidthResult(BaseModel):
    """One measurement of one circuit, as stored, exported and printed."""

    link: str
    site: str
    site_name: str
    tier: str
    plane: str
    direction: str  # up: from the site; down: towards the site
    committed_mbps: int
    target_mbps: int | None
    achieved_mbps: float | None
    retransmits: int | None
    seconds: float | None
    delivers_committed: bool | None
    meets_target: bool | None
    shortfall_mbps: float | None
    verdict: Verdict
    error: str | None = None
    measured_at: datetime
    runner: str

    @property
    def committed_ratio(self) -> float | None:
        if self.achieved_mbps is None:
            return None
        return self.achieved_mbps / self.committed_mbps


def _base(circuit: Circuit, direction: str, runner: str) -> dict[str, object]:
    return {
        "link": circuit.link.id,
        "site": circuit.site.id,
        "site_name": circuit.site.name,
        "tier": circuit.site.tier.value,
        "plane": circuit.link.plane.value,
        "direction": direction,
        "committed_mbps": circuit.link.committed_mbps,
        "target_mbps": circuit.target_mbps,
        "measured_at": datetime.now(UTC),
        "runner": runner,
    }


def assess(
    circuit: Circuit,
    report: IperfReport,
    *,
    direction: str,
    runner: str,
    tolerance: float = DEFAULT_TOLERANCE,
) -> BandwidthResult:
    achieved = report.received_mbps
    delivers = achieved >= circuit.link.committed_mbps * tolerance
    target = circuit.target_mbps
    if target is None:
        meets, shortfall, verdict = None, None, Verdict.no_target
    elif achieved >= target * tolerance:
        meets, shortfall, verdict = True, 0.0, Verdict.meets_target
    else:
        meets, shortfall, verdict = False, round(target - achieved, 1), Verdict.shortfall
    return BandwidthResult.model_validate(
        {
            **_base(circuit, direction, runner),
            "achieved_mbps": round(achieved, 2),
            "retransmits": report.retransmits,
            "seconds": round(report.seconds, 2),
            "delivers_committed": delivers,
            "meets_target": meets,
            "shortfall_mbps": shortfall,
            "verdict": verdict,
        }
    )


def failed(circuit: Circuit, error: str, *, direction: str, runner: str) -> BandwidthResult:
    return BandwidthResult.model_validate(
        {
            **_base(circuit, direction, runner),
            "achieved_mbps": None,
            "retransmits": None,
            "seconds": None,
            "delivers_committed": None,
            "meets_target": None,
            "shortfall_mbps": None,
            "verdict": Verdict.failed,
            "error": error,
        }
    )
