"""A lab that is up, read back from its state directory (for status, faults, traffic, exec)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from base.errors import LabUsageError
from inventory.catalog import Inventory
from inventory.loader import load_inventory

from .credentials import LabCredentials, lab_credentials
from .paths import LabPaths
from .plan import LabPlan, Node, PlannedLink, plan_lab
from .state import LabState, load_state


@dataclass
class RunningLab:
    state: LabState
    inventory: Inventory
    plan: LabPlan
    paths: LabPaths
    _creds: LabCredentials | None = field(default=None, repr=False)

    @property
    def credentials(self) -> LabCredentials:
        if self._creds is None:
            secrets = Path(self.state.secrets_file or self.paths.state_dir / "secrets.env")
            self._creds = lab_credentials(
                self.inventory, secrets, self.paths.client_key, generate=False
            )
        return self._creds

    def node(self, name: str) -> Node:
        try:
            return self.plan.node(name)
        except KeyError:
            known = ", ".join(n.name for n in self.plan.nodes)
            raise LabUsageError(f"no lab device {name!r} (known: {known})") from None

    def link(self, link_id: str) -> PlannedLink:
        try:
            return self.plan.link(link_id)
        except KeyError:
            raise LabUsageError(
                f"no lab link {link_id!r}: see `egovnet inventory show` for link ids"
            ) from None


def open_lab(state_dir: Path, *, require_up: bool = True) -> RunningLab:
    """The lab recorded in ``state_dir``; LabUsageError (exit 2) when there is none."""
    state_dir = state_dir.resolve()
    state = load_state(state_dir)
    if state is None or (require_up and state.status == "down"):
        raise LabUsageError(f"no lab is up in state dir {state_dir}: run `egovnet lab up`")
    inventory = load_inventory(Path(state.inventory_root))
    return RunningLab(state, inventory, plan_lab(inventory), LabPaths(state_dir))
