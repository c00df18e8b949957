"""Which circuits to test, and testing them one after the other."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from base.errors import BandwidthInputError, EgovnetError
from inventory.catalog import Circuit, Inventory
from inventory.models import Tier

from .assess import DEFAULT_TOLERANCE, BandwidthResult, assess, failed
from .iperf import IperfSpec
from .runners import ThroughputRunner


def select_circuits(
    inv: Inventory,
    site: str | None = None,
    tier: str | None = None,
    everything: bool = False,
    link: str | None = None,
) -> list[Circuit]:
    """One circuit, the circuits of a site (id or Chinese name) or of a tier, or all of them."""
    chosen = [bool(site), bool(tier), everything, bool(link)]
    if sum(chosen) != 1:
        raise BandwidthInputError("name exactly one of: a SITE, --link LINK, --tier TIER or --all")
    if link:
        found_link = [c for c in inv.circuits if c.link.id == link]
        if not found_link:
            raise BandwidthInputError(f"--link: {link!r} is not an access circuit of the inventory")
        return found_link
    if site:
        found = inv.site_by_id.get(site) or next((s for s in inv.sites if s.name == site), None)
        if found is None:
            raise BandwidthInputError(f"SITE: unknown site {site!r} (an id or a Chinese name)")
        circuits = [c for c in inv.circuits if c.site.id == found.id]
        if not circuits:
            raise BandwidthInputError(f"SITE: {found.name} ({found.id}) has no access circuit")
        return circuits
    if tier:
        try:
            wanted = Tier(tier)
        except ValueError:
            known = ", ".join(t.value for t in Tier)
            raise BandwidthInputError(f"--tier: unknown tier {tier!r} (known: {known})") from None
        circuits = [c for c in inv.circuits if c.site.tier is wanted]
        if not circuits:
            raise BandwidthInputError(f"--tier: no access circuit serves a {tier} site")
        return circuits
    return list(inv.circuits)


def run_tests(
    circuits: Sequence[Circuit],
    runner: ThroughputRunner,
    spec: IperfSpec,
    *,
    runner_name: str,
    tolerance: float = DEFAULT_TOLERANCE,
    on_result: Callable[[BandwidthResult], None] | None = None,
) -> list[BandwidthResult]:
    """Measure each circuit in turn (never two at once: they may share an uplink)."""
    direction = "down" if spec.reverse else "up"
    results: list[BandwidthResult] = []
    for circuit in circuits:
        try:
            report = runner.measure(circuit, spec)
            result = assess(
                circuit, report, direction=direction, runner=runner_name, tolerance=tolerance
            )
        except EgovnetError as exc:  # one circuit's failure (iperf3, the lab) is a failed row
            if isinstance(exc, ValueError):  # bad input stays an error of the whole command
                raise
            result = failed(circuit, str(exc), direction=direction, runner=runner_name)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
