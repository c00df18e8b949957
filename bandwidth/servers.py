"""Production iperf3 servers per circuit (``--servers FILE``).

One iperf3 server cannot tell a dual-homed site's circuits apart: the test takes whatever
path routing picks. So production tests name, per circuit, a server reachable only through
it (typically on the core side of that circuit) and, where the probe has several uplinks,
the local address to send from::

    # bandwidth-servers.yml
    circuits:
      core1-town1: {server: 10.1.3.1, port: 5201, bind: 10.1.3.2}
      core2-town1: {server: 10.1.3.5}
      town1-vil1:  {server: 10.1.4.1}

A bad file is one error naming file, line and field (exit code 2).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from base.errors import BandwidthInputError, InventoryError
from inventory.catalog import Inventory
from inventory.yamlsource import load_located


class Endpoint(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    server: str = Field(min_length=1)
    port: int = Field(5201, gt=0, lt=65536)
    bind: str | None = None

    @field_validator("bind")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None:
            ipaddress.ip_address(value)
        return value


class ServersFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    circuits: dict[str, Endpoint]


def load_servers(path: Path, inv: Inventory) -> dict[str, Endpoint]:
    """Endpoints per link id; every link must be an access circuit of the inventory."""
    if not path.is_file():
        raise BandwidthInputError(f"{path}:1: (file): no such servers file")
    try:
        located = load_located(path)
    except InventoryError as exc:
        raise BandwidthInputError(str(exc)) from exc
    try:
        parsed = ServersFile.model_validate(located.data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = located.at(tuple(err["loc"]))
        raise BandwidthInputError(f"{where}: {err['msg']}") from exc
    circuits = {c.link.id for c in inv.circuits}
    for link in parsed.circuits:
        if link not in circuits:
            where = located.at(("circuits", link))
            raise BandwidthInputError(
                f"{where}: {link!r} is not an access circuit of the inventory"
            )
    return parsed.circuits
