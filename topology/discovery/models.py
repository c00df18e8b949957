"""What a device says about its LLDP neighbours, in one typed shape for every source."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Neighbor(BaseModel):
    """One LLDP neighbour seen on one local interface."""

    model_config = ConfigDict(frozen=True)

    local_interface: str
    remote_system: str | None = None  # LLDP system name
    remote_port: str | None = None  # the remote interface name (port ID or description)
    remote_chassis_id: str | None = None
    remote_mgmt_address: str | None = None


class DeviceNeighbors(BaseModel):
    """The neighbour table read from one device, or why it could not be read."""

    model_config = ConfigDict(frozen=True)

    device: str
    source: str
    neighbors: list[Neighbor] = []
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None
