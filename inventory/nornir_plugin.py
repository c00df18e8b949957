"""A Nornir inventory plugin over the source of truth.

Registered by entry point, so::

    InitNornir(inventory={"plugin": "EgovnetInventory", "options": {"path": "inventory/lab"}})

yields one host per network device (servers are left to Ansible) with hostname = management
address, platform = the platform the device runs under the profile, and groups by tier, role,
platform and site. Passwords are resolved from the environment or secrets file when present
and otherwise left empty, so rendering works without secrets and connecting fails clearly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nornir.core.inventory import (
    ConnectionOptions,
    Defaults,
    Group,
    Groups,
    Host,
    Hosts,
    Inventory,
    ParentGroups,
)

from .ansible_export import group_name
from .loader import load_inventory, profile_path
from .models import Role
from .secrets import SecretStore


class EgovnetInventory:
    def __init__(
        self,
        path: str | None = None,
        profile: str | None = None,
        secrets_file: str | None = None,
        include_servers: bool = False,
    ) -> None:
        if path is not None:
            self.path: Path | None = Path(path)
        elif profile is not None:
            self.path = profile_path(profile)
        else:
            self.path = None
        self.secrets = SecretStore(Path(secrets_file) if secrets_file else None)
        self.include_servers = include_servers

    def load(self) -> Inventory:
        inv = load_inventory(self.path)
        groups = Groups()
        hosts = Hosts()

        def group(name: str) -> Group:
            if name not in groups:
                groups[name] = Group(name=name)
            return groups[name]

        for dev in inv.devices:
            if dev.role is Role.server and not self.include_servers:
                continue
            site = inv.site(dev.site)
            platform = inv.platform(dev).value
            username = password = None
            if dev.credential_profile:
                cred = inv.credential_profile_by_name[dev.credential_profile]
                username = cred.username
                if self.secrets.has(cred.password_env):
                    password = self.secrets.get(cred.password_env).reveal()
            data: dict[str, Any] = {
                "site": site.id,
                "site_name": site.name,
                "tier": site.tier.value,
                "role": dev.role.value,
                "production_platform": dev.platform.value,
                "loopback": str(dev.loopback) if dev.loopback else None,
                "snmp_profile": dev.snmp_profile,
            }
            hosts[dev.name] = Host(
                name=dev.name,
                hostname=str(dev.mgmt_address),
                username=username,
                password=password,
                platform=platform,
                groups=ParentGroups(
                    [
                        group(group_name("tier", site.tier.value)),
                        group(group_name("role", dev.role.value)),
                        group(group_name("platform", platform)),
                        group(group_name("site", site.id)),
                    ]
                ),
                data=data,
                connection_options={"egovnet": ConnectionOptions(extras={})},
            )
        return Inventory(hosts=hosts, groups=groups, defaults=Defaults())


def nornir_hosts(path: Path) -> dict[str, dict[str, Any]]:
    """The hosts Nornir sees through this plugin for the inventory at ``path``: hostname,
    platform, groups and data per host (``egovnet inventory export-nornir``)."""
    from nornir import InitNornir

    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": 1}},
        inventory={"plugin": "EgovnetInventory", "options": {"path": str(path)}},
        logging={"enabled": False},
    )
    return {
        name: {
            "hostname": host.hostname,
            "platform": host.platform,
            "groups": [g.name for g in host.groups],
            "data": dict(host.data),
        }
        for name, host in nr.inventory.hosts.items()
    }
