"""file_sd target groups: one per network device, named as the exporter knows it.

Prometheus reads these JSON files and notices changes without a restart, so re-running
`egovnet monitor up` (or `monitor config`) after an inventory change is enough. Each group's
labels are the device labels of docs/metrics.md: they land on ``up`` and on every series of
the target, so even a failed scrape says which site went dark.
"""

from __future__ import annotations

import json

from pydantic import BaseModel

from inventory.catalog import Inventory
from inventory.models import Role


class TargetGroup(BaseModel):
    targets: list[str]
    labels: dict[str, str]


def device_target_groups(inv: Inventory) -> list[TargetGroup]:
    """Every device the exporter polls (servers are hosts, audited by Ansible, not polled)."""
    groups: list[TargetGroup] = []
    for device in inv.devices:
        if device.role is Role.server:
            continue
        site = inv.site(device.site)
        groups.append(
            TargetGroup(
                targets=[device.name],
                labels={
                    "device": device.name,
                    "site": site.id,
                    "site_name": site.name,
                    "tier": site.tier.value,
                    "role": device.role.value,
                },
            )
        )
    return groups


def render_file_sd(groups: list[TargetGroup]) -> str:
    return json.dumps([g.model_dump() for g in groups], ensure_ascii=False, indent=2) + "\n"
