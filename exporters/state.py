"""What the exporter keeps of the inventory: targets, labels and plan series, nothing else.

The exporter polls from a compact table: one :class:`~collectors.targets.SnmpTarget` per
device, the :class:`~exporters.labels.LabelCatalog` (label values as shared strings), the
inventory series of ``/metrics`` and a few lookups. The validated model graph (pydantic
devices, interfaces, the YAML with line numbers kept for messages) is what loading costs in
memory: ~60 MiB at 50,000 interfaces, more than the table itself. :func:`state_file`
therefore parses the config and loads and validates the inventory in a forked child, which
builds the table, pickles it into a memory file (``memfd``) and exits; the exporter reads it
back as a stream (:func:`read_state`), after ``egovnet exporter`` has exec'd its serving
process (``egovnet.exporter_serve``), which never holds the models nor imports pydantic.
The child's peak ends with it. If the child fails for any reason (bad input, a missing
secret, a lab route check that refuses), the state is built in the command's own process,
so the error it reports is exactly the one an in-process load raises.
"""

from __future__ import annotations

import logging
import os
import pickle
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # What loads and checks the inventory (pydantic, the models, the YAML reader) is
    # imported where it runs, in the child or the fallback in-process load: the serving
    # process unpickles the state without it (docs/performance.md, "Exporter memory").
    from collectors.targets import SnmpCredentials, SnmpTarget
    from inventory.catalog import Inventory
    from inventory.secrets import SecretStore

    from .config import ExporterConfig
    from .inventory_series import InventoryCollector
    from .labels import LabelCatalog

log = logging.getLogger("egovnet.exporters")


@dataclass(frozen=True)
class LandingRow:
    device: str
    site_name: str
    role: str
    address: str


@dataclass(frozen=True)
class TrapListen:
    address: tuple[str, int]


@dataclass(frozen=True)
class ServeSettings:
    """What the serving process needs of its :class:`~exporters.config.ExporterConfig`, as
    plain values (the config is a pydantic model, parsed where the state is built)."""

    max_concurrency: int
    varbinds_per_request: int
    scrape_timeout_offset_seconds: float
    state_dir: Path | None
    traps: TrapListen | None

    @classmethod
    def of(cls, config: ExporterConfig) -> ServeSettings:
        return cls(
            max_concurrency=config.max_concurrency,
            varbinds_per_request=config.varbinds_per_request,
            scrape_timeout_offset_seconds=config.scrape_timeout_offset_seconds,
            state_dir=config.state_dir,
            traps=TrapListen(config.traps.address) if config.traps is not None else None,
        )


@dataclass(frozen=True)
class ExporterState:
    """Everything the serving process needs from the inventory: picklable and model-free,
    so unpickling it imports neither pydantic nor ``inventory.models``."""

    settings: ServeSettings
    profile: str
    targets: list[SnmpTarget]
    catalog: LabelCatalog
    inventory_series: InventoryCollector
    #: management address -> device name (a /snmp target or a trap's source)
    by_address: dict[str, str]
    landing: tuple[LandingRow, ...]
    #: trap receiver credentials, the profiles most devices use first (empty without traps)
    trap_credentials: tuple[SnmpCredentials, ...]


def build_state(config: ExporterConfig, inv: Inventory, secrets: SecretStore) -> ExporterState:
    """The state of an exporter serving ``inv`` (the route guard already passed)."""
    from collectors.targets import credentials_for, targets_from_inventory

    from .inventory_series import InventoryCollector
    from .labels import LabelCatalog

    creds: tuple[SnmpCredentials, ...] = ()
    if config.traps is not None:
        # Profiles most devices use first: if two v3 profiles share a user name, the
        # receiver keeps the first (USM knows one key per user).
        uses = Counter(d.snmp_profile for d in inv.devices) + Counter(
            d.legacy_snmp_profile for d in inv.devices if d.legacy_snmp_profile
        )
        creds = tuple(
            credentials_for(inv.snmp_profile_by_name[name], secrets)
            for name, _ in sorted(uses.items(), key=lambda item: (-item[1], item[0]))
        )
    catalog = LabelCatalog(inv)
    return ExporterState(
        settings=ServeSettings.of(config),
        profile=inv.profile.name,
        targets=[
            replace(t, device=sys.intern(t.device), interfaces=tuple(map(sys.intern, t.interfaces)))
            for t in targets_from_inventory(inv, secrets)
        ],  # the names shared with the catalog's labels
        catalog=catalog,
        inventory_series=InventoryCollector(inv),
        by_address={str(d.mgmt_address): sys.intern(d.name) for d in inv.devices},
        landing=tuple(
            LandingRow(d.name, inv.site(d.site).name, d.role.value, str(d.mgmt_address))
            for d in inv.devices
        ),
        trap_credentials=creds,
    )


def load_here(config: ExporterConfig) -> ExporterState:
    """Load, check the lab routes and build the state in this process."""
    from inventory.loader import load_inventory
    from inventory.secrets import SecretStore
    from routeguard.routes import device_targets, require_lab_routes

    inv = load_inventory(config.inventory)
    require_lab_routes(inv, device_targets(inv.devices), config.state_dir)
    return build_state(config, inv, SecretStore(config.secrets_file))


def load_state(prepare: Callable[[], ExporterConfig]) -> ExporterState:
    """The state of the config ``prepare`` returns (it parses the config file), built in a
    forked child: :func:`read_state` of :func:`state_file`."""
    return read_state(state_file(prepare))


def state_file(prepare: Callable[[], ExporterConfig]) -> int:
    """:func:`load_here` of ``prepare()`` in a forked child (see the module docstring), its
    state pickled into a memory file: the descriptor, rewound and inheritable, for
    :func:`read_state` here or in the serving process ``egovnet exporter`` execs. The
    parent parses neither the config nor the inventory. When the child does not deliver,
    the state is built in this process, which re-raises the child's error here."""
    t0 = time.perf_counter()
    fd = os.memfd_create("egovnet-exporter-state", 0)  # inheritable: no MFD_CLOEXEC
    try:
        pid = os.fork()
    except OSError as exc:  # no process to spare: do it here
        log.info("cannot load the inventory in a child process (%s); loading it here", exc)
        return _pickled(fd, load_here(prepare()))
    if pid == 0:  # the child: build, write, exit without running the parent's exit hooks
        code = 1
        try:
            config = prepare()
            _pickled(fd, load_here(config))
            log.info(
                "inventory %s loaded in a child process in %.1f s (its peak %.0f MiB)",
                config.inventory, time.perf_counter() - t0,
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            )  # fmt: skip
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        # Bad input fails in the child too: its error is raised here, one line for the user.
        os.ftruncate(fd, 0)
        here = load_here(prepare())
        log.info("loading the inventory in a child process failed; it was loaded here")
        return _pickled(fd, here)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def _pickled(fd: int, state: ExporterState) -> int:
    with os.fdopen(os.dup(fd), "wb") as out:
        pickle.dump(state, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def read_state(fd: int) -> ExporterState:
    """The state :func:`state_file` left in ``fd`` (closed after reading)."""
    with os.fdopen(fd, "rb") as stream:
        state = pickle.load(stream)  # streamed: no copy of the whole pickle in memory
    if not isinstance(state, ExporterState):
        raise TypeError(f"descriptor {fd} holds no exporter state")
    log.info("exporter state read: %d targets", len(state.targets))
    return state
