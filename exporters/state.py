"""What the exporter keeps of the inventory: targets, labels and plan series, nothing else.

The exporter polls from a compact table: one :class:`~collectors.targets.SnmpTarget` per
device, the :class:`~exporters.labels.LabelCatalog` (label values as shared strings), the
inventory series of ``/metrics`` and a few lookups. The validated model graph (pydantic
devices, interfaces, the YAML with line numbers kept for messages) is what loading costs in
memory: ~60 MiB at 50,000 interfaces, more than the table itself. :func:`load_state`
therefore loads and validates in a forked child, which builds the table, streams it to the
exporter through a pipe (pickle) and exits; the serving process never holds the models, and
the child's peak ends with it. If the child fails for any reason (bad input, a missing
secret, a lab route check that refuses), the exporter builds the state in its own process,
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
from dataclasses import dataclass, replace

from collectors.targets import SnmpCredentials, SnmpTarget, credentials_for, targets_from_inventory
from inventory.catalog import Inventory
from inventory.loader import load_inventory
from inventory.secrets import SecretStore
from playbooks.store import AuditPaths
from routeguard.routes import device_targets, require_lab_routes

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
class ExporterState:
    """Everything the serving process needs from the inventory (picklable, model-free but
    for the few systems and links the plan series name)."""

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
    migration = AuditPaths(config.state_dir).migration if config.state_dir is not None else None
    catalog = LabelCatalog(inv)
    return ExporterState(
        profile=inv.profile.name,
        targets=[
            replace(t, device=sys.intern(t.device), interfaces=tuple(map(sys.intern, t.interfaces)))
            for t in targets_from_inventory(inv, secrets)
        ],  # the names shared with the catalog's labels
        catalog=catalog,
        inventory_series=InventoryCollector(inv, migration),
        by_address={str(d.mgmt_address): sys.intern(d.name) for d in inv.devices},
        landing=tuple(
            LandingRow(d.name, inv.site(d.site).name, d.role.value, str(d.mgmt_address))
            for d in inv.devices
        ),
        trap_credentials=creds,
    )


def load_here(config: ExporterConfig) -> ExporterState:
    """Load, check the lab routes and build the state in this process."""
    inv = load_inventory(config.inventory)
    require_lab_routes(inv, device_targets(inv.devices), config.state_dir)
    return build_state(config, inv, SecretStore(config.secrets_file))


def load_state(config: ExporterConfig) -> ExporterState:
    """:func:`load_here` in a forked child (see the module docstring); falls back to this
    process when the child does not deliver, which re-raises the child's error here."""
    t0 = time.perf_counter()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError as exc:  # no process to spare: do it here
        os.close(read_end)
        os.close(write_end)
        log.info("cannot load the inventory in a child process (%s); loading it here", exc)
        return load_here(config)
    if pid == 0:  # the child: build, stream, exit without running the parent's exit hooks
        os.close(read_end)
        code = 1
        try:
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(load_here(config), out, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    state: ExporterState | None = None
    with os.fdopen(read_end, "rb") as stream:
        try:
            loaded = pickle.load(stream)  # streamed: no copy of the whole pickle in memory
        except (EOFError, pickle.UnpicklingError):
            loaded = None  # the child failed before or while writing
        if isinstance(loaded, ExporterState):
            state = loaded
    _, status = os.waitpid(pid, 0)
    if state is None or os.waitstatus_to_exitcode(status) != 0:
        # Bad input fails in the child too: its error is raised here, one line for the user.
        here = load_here(config)
        log.info("loading the inventory in a child process failed; it was loaded here")
        return here
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    log.info(
        "inventory %s loaded in a child process in %.1f s (its peak %.0f MiB): %d targets",
        config.inventory, time.perf_counter() - t0, child_peak, len(state.targets),
    )  # fmt: skip
    return state
