"""The source-of-truth models: sites, devices, links (circuits), systems and policies.

Everything downstream (topology, automation, collectors, exporters, lab, playbooks) reads
these typed models; nothing downstream reads the YAML. Conventions:

* A link's ``a`` end is the upstream side (core, city), its ``b`` end the downstream side;
  the *site* a circuit serves is the site of its ``b`` device.
* Rates are committed carrier rates in Mbps; ports are usually faster.
* Secrets are referenced by environment-variable name (``*_env``), never held.
* Numbers and flags are strict: ``true``, ``"50"`` or ``20.0`` is no integer rate, ``"yes"``
  no flag (YAML's own ``yes``/``true`` are booleans already).
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
)

Slug = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=63)]
EnvName = Annotated[str, Field(pattern=r"^[A-Z_][A-Z0-9_]*$")]
MAX_MBPS = 1_000_000  # 1 Tbit/s: a larger rate is a typo
Ratio = Annotated[StrictFloat, Field(ge=0, le=1, allow_inf_nan=False)]


class Strict(BaseModel):
    """Base for every inventory model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Tier(StrEnum):
    city = "city"
    district_core = "district_core"
    cloud = "cloud"
    department = "department"
    town = "town"
    village = "village"


class Role(StrEnum):
    core = "core"
    aggregation = "aggregation"
    access = "access"
    cpe = "cpe"
    firewall = "firewall"
    server = "server"


class Platform(StrEnum):
    huawei_vrp = "huawei_vrp"
    hp_comware = "hp_comware"
    cisco_ios = "cisco_ios"
    frr = "frr"
    linux = "linux"  # servers: hardened by Ansible, not configured by automation/


#: Platforms the lab can run as an emulated device (lab/vendors/; a unit test keeps the two
#: in step): the only ones a profile's ``keep_platform`` may name.
EMULATED_PLATFORMS = (Platform.huawei_vrp, Platform.hp_comware)


class Plane(StrEnum):
    A = "A"
    B = "B"


class LinkKind(StrEnum):
    core_interconnect = "core-interconnect"
    uplink = "uplink"  # district core to the city
    backbone = "backbone"  # core to the government cloud zone
    access = "access"  # core (or town) to a department, town or village site


class MigrationStrategy(StrEnum):
    rehost = "rehost"
    relocate = "relocate"
    replatform = "replatform"
    refactor = "refactor"
    repurchase = "repurchase"
    retain = "retain"
    retire = "retire"


class MigrationStatus(StrEnum):
    not_started = "not_started"
    assessing = "assessing"
    planned = "planned"
    migrating = "migrating"
    cutover = "cutover"
    validated = "validated"
    decommissioned = "decommissioned"
    retained = "retained"


#: Statuses at which a system counts as running on the government cloud (上云).
MIGRATED_STATUSES = frozenset(
    {MigrationStatus.cutover, MigrationStatus.validated, MigrationStatus.decommissioned}
)


class Criticality(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


class Site(Strict):
    id: Slug
    name: str = Field(min_length=1, description="Chinese name, e.g. 龙归镇")
    tier: Tier
    parent: Slug | None = None
    important: StrictBool = Field(False, description="must be dual-homed (重要用户单位双归)")
    address: str | None = None
    lan_prefix: ipaddress.IPv4Network | None = Field(
        None, description="the site's user/server LAN; its first host is the site gateway"
    )


class Interface(Strict):
    name: str = Field(min_length=1, max_length=64)
    description: str | None = None


class Device(Strict):
    name: Slug
    site: Slug
    role: Role
    platform: Platform
    mgmt_address: ipaddress.IPv4Address
    loopback: ipaddress.IPv4Address | None = None
    lan_address: ipaddress.IPv4Interface | None = Field(
        None, description="a server's address on its site LAN (site.lan_prefix)"
    )
    snmp_profile: Slug
    legacy_snmp_profile: Slug | None = Field(
        None, description="a v2c profile the device still answers; the 等保 baseline removes it"
    )
    credential_profile: Slug | None = None
    model: str | None = None
    interfaces: list[Interface] = Field(default_factory=list)

    def interface(self, name: str) -> Interface | None:
        return next((i for i in self.interfaces if i.name == name), None)


class LinkEnd(Strict):
    device: Slug
    interface: str = Field(min_length=1)
    address: ipaddress.IPv4Interface | None = None


class Link(Strict):
    id: Slug
    kind: LinkKind
    plane: Plane
    a: LinkEnd
    b: LinkEnd
    committed_mbps: StrictInt = Field(gt=0, le=MAX_MBPS, description="carrier committed rate")
    port_mbps: StrictInt | None = Field(None, gt=0, le=MAX_MBPS)
    carrier: str | None = None
    circuit_id: str | None = None


class TierPolicy(Strict):
    baseline_mbps: StrictInt | None = Field(None, gt=0, le=MAX_MBPS)
    target_mbps: StrictInt | None = Field(None, gt=0, le=MAX_MBPS)
    dual_homed: StrictBool = False


class PlanPolicy(Strict):
    baseline_year: StrictInt = 2021
    target_year: StrictInt = 2025
    year_in_force: StrictInt = 2025
    migration_baseline_ratio: Ratio = 0.8
    migration_target_ratio: Ratio = 1.0
    coverage_target_ratio: Ratio = 1.0


class RedundancyPolicy(Strict):
    core_devices: StrictInt = Field(2, ge=1)
    core_interconnect_links: StrictInt = Field(2, ge=1)
    city_uplinks: StrictInt = Field(2, ge=1)
    important_dual_homed: StrictBool = True


class ManagementPolicy(Strict):
    syslog_servers: list[ipaddress.IPv4Address] = Field(default_factory=list)
    ntp_servers: list[ipaddress.IPv4Address] = Field(default_factory=list)
    banner: str = "Authorized access only."
    idle_timeout_minutes: StrictInt = Field(10, ge=1, le=10)
    login_failures_before_lock: StrictInt = Field(5, ge=1, le=5)
    lockout_minutes: StrictInt = Field(10, ge=1)


class RoutingPolicy(Strict):
    """OSPF/BFD timers of the rendered configs; unset values keep the platform's defaults.

    BFD detects a failed link (interval x multiplier); the OSPF timers decide how fast a
    repaired or rebooted path is taken again (the lab sets hello 1 s / dead 4 s and fast SPF).
    """

    bfd_interval_ms: StrictInt = Field(100, ge=10, le=60000)
    bfd_multiplier: StrictInt = Field(3, ge=2, le=255)
    ospf_hello_seconds: StrictInt | None = Field(None, ge=1, le=65535)
    ospf_dead_seconds: StrictInt | None = Field(None, ge=1, le=65535)
    ospf_retransmit_seconds: StrictInt | None = Field(None, ge=1, le=65535)
    #: SPF throttle: delay, initial hold, maximum hold (ms)
    spf_throttle_ms: tuple[StrictInt, StrictInt, StrictInt] | None = None
    lsa_throttle_ms: StrictInt | None = Field(None, ge=0)
    lsa_min_arrival_ms: StrictInt | None = Field(None, ge=0)


_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


class DigestSchedule(Strict):
    """When the daily digest goes to the bureau's group: a wall-clock time in a named zone."""

    time: StrictStr = Field("08:30", description="HH:MM, 24-hour clock")
    timezone: StrictStr = Field("Asia/Shanghai", description="an IANA zone name")

    @field_validator("time")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _CLOCK.match(value):
            raise ValueError("not a time of day HH:MM on a 24-hour clock (e.g. 08:30)")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not a known time zone (e.g. Asia/Shanghai)") from None
        return value

    @property
    def hour(self) -> int:
        return int(self.time[:2])

    @property
    def minute(self) -> int:
        return int(self.time[3:])


class Policy(Strict):
    plan: PlanPolicy = PlanPolicy()
    tiers: dict[Tier, TierPolicy]
    redundancy: RedundancyPolicy = RedundancyPolicy()
    management: ManagementPolicy = ManagementPolicy()
    routing: RoutingPolicy = RoutingPolicy()


class SnmpProfile(Strict):
    name: Slug
    version: Annotated[str, Field(pattern=r"^(v2c|v3)$")]
    user: str | None = None
    auth_protocol: Annotated[str, Field(pattern=r"^(SHA|SHA-256|SHA-512|MD5)$")] | None = None
    auth_key_env: EnvName | None = None
    priv_protocol: Annotated[str, Field(pattern=r"^(AES|AES-256|DES)$")] | None = None
    priv_key_env: EnvName | None = None
    community_env: EnvName | None = None
    port: StrictInt = Field(161, gt=0, lt=65536)
    timeout_seconds: StrictFloat = Field(2.0, gt=0, le=3600, allow_inf_nan=False)
    retries: StrictInt = Field(1, ge=0, le=10)


class CredentialProfile(Strict):
    name: Slug
    username: str = Field(min_length=1)
    password_env: EnvName
    enable_secret_env: EnvName | None = None


class Mlps(Strict):
    """等保 record of one system."""

    level: StrictInt = Field(ge=1, le=5)
    filing_number: str | None = None
    last_assessment: date | None = None
    next_due: date | None = None


class MigrationTarget(Strict):
    tenant: str
    zone: str


class Migration(Strict):
    strategy: MigrationStrategy
    status: MigrationStatus
    wave: StrictInt | None = Field(None, ge=0)
    depends_on: list[Slug] = Field(default_factory=list)
    target: MigrationTarget | None = None
    planned_cutover: date | None = None
    actual_cutover: date | None = None


class Endpoints(Strict):
    cloud_url: str | None = None
    onprem_url: str | None = None


class System(Strict):
    id: Slug
    name: str = Field(min_length=1)
    department: Slug
    owner: str
    contact: str | None = None
    criticality: Criticality = Criticality.medium
    data_class: str = "internal"
    mlps: Mlps
    migration: Migration
    endpoints: Endpoints = Endpoints()
    hosts: list[Slug] = Field(default_factory=list)


class Profile(Strict):
    """How an inventory directory is used: e.g. the lab runs every device on FRR."""

    name: Slug
    description: str | None = None
    platform_override: Platform | None = None
    keep_platform: list[Slug] = Field(
        default_factory=list,
        description=(
            "devices that keep their production platform under platform_override (the lab"
            " answers their management address with its vendor emulation)"
        ),
    )
    lab_endpoints: list[str] = Field(
        default_factory=list,
        description=(
            "URLs the lab really serves (the reality the migration playbook checks the"
            " records against; it may deliberately disagree with them)"
        ),
    )
