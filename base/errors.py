"""The one exception root of egovnet.

This module is a leaf in ``base/``, the ground floor: it imports nothing of the project, so every
domain package may raise its errors without depending on the CLI glue around it::

    EgovnetError
    ├── LocatedError (ValueError)         bad input located to file, line and field
    │   ├── InventoryError                bad source of truth
    │   └── ExporterConfigError           a bad exporter or web config file
    ├── InventoryErrors (ValueError)      several inventory errors, all reported at once
    ├── SecretMissingError (LookupError)  a referenced secret is in neither env nor file
    ├── LabError (RuntimeError)           the emulated network could not be built or changed
    │   └── LabUsageError (ValueError)    not root, a missing package, a bad lab option or name
    │       └── LabNotUpError             a lab inventory's traffic would route off this machine
    ├── CollectorError (RuntimeError)     SNMP polling failed for a device
    ├── AutomationError (RuntimeError)    rendering or pushing configuration failed
    │   └── AutomationInputError (ValueError) a bad config option, filter or device name
    ├── TopologyError (ValueError)        a topology question about unknown links/devices
    ├── DiscoveryError (RuntimeError)     LLDP neighbours could not be read or understood
    ├── DiagramError (RuntimeError)       graphviz could not render a topology diagram
    ├── AuditError (RuntimeError)         playbook results or exports could not be produced
    │   └── AuditInputError (ValueError)  a bad result/config file or option: file, line, field
    ├── MonitorError (RuntimeError)       the Prometheus/Alertmanager stack failed to start
    │   └── MonitorConfigError (ValueError) a bad monitoring option (duration, override, address)
    ├── BandwidthError (RuntimeError)     an iperf3 measurement could not be made or read
    │   └── BandwidthInputError (ValueError) an unknown site/tier or a bad test option
    ├── LanguageError (ValueError)        a language egovnet does not speak (--lang)
    ├── NetBoxError (RuntimeError)        NetBox unreachable, or it refused a read or write
    │   └── NetBoxInputError (ValueError) no URL or token, or NetBox data that maps to nothing

Every error renders as one line (``str(err)``); the CLI prints it and exits with
``err.exit_code`` (2 for bad input, 1 for failed work).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


class EgovnetError(Exception):
    """Root of every error egovnet raises on purpose."""

    exit_code: int = 1


@dataclass(frozen=True)
class SourceLocation:
    """Where a value came from: a file, a 1-based line and a dotted field path."""

    file: str
    line: int
    field: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}"


class LocatedError(EgovnetError, ValueError):
    """Bad input located to file, line and field: ``file:line: field: message``."""

    exit_code = 2

    def __init__(self, location: SourceLocation, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}")


class InventoryError(LocatedError):
    """One problem in the source of truth, located to file, line and field."""


class InventoryErrors(EgovnetError, ValueError):
    """All problems found in one load: the CLI prints one line each."""

    exit_code = 2

    def __init__(self, errors: list[InventoryError]) -> None:
        self.errors = errors
        first = str(errors[0]) if errors else "no errors"
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)

    def to_json(self) -> dict[str, object]:
        """What ``--json`` prints for a broken inventory, the same from every command."""
        return {
            "valid": False,
            "count": len(self.errors),
            # a location may say more (a ledger's sheet and column): every field of it
            "errors": [{**asdict(e.location), "message": e.message} for e in self.errors],
        }


class SecretMissingError(EgovnetError, LookupError):
    exit_code = 2


class LabError(EgovnetError, RuntimeError):
    pass


class LabUsageError(LabError, ValueError):
    """The lab cannot be asked for this here: not root, a package missing, an unknown name."""

    exit_code = 2


class LabNotUpError(LabUsageError):
    """A command would send to a lab inventory's devices, but their addresses do not route
    into the lab (routeguard): it is not up, so the packets would leave this machine."""


class CollectorError(EgovnetError, RuntimeError):
    pass


class AutomationError(EgovnetError, RuntimeError):
    pass


class AutomationInputError(AutomationError, ValueError):
    """A bad ``egovnet config`` request: unknown device, bad filter or duration."""

    exit_code = 2


class TopologyError(EgovnetError, ValueError):
    exit_code = 2


class DiscoveryError(EgovnetError, RuntimeError):
    """A device's LLDP neighbours could not be read, or its output was not understood."""


class DiagramError(EgovnetError, RuntimeError):
    """Graphviz is missing or failed to render a diagram."""


class AuditError(EgovnetError, RuntimeError):
    pass


class AuditInputError(AuditError, ValueError):
    """Bad audit input (a result file, a device config, an option), located where possible."""

    exit_code = 2


class MonitorError(EgovnetError, RuntimeError):
    pass


class MonitorConfigError(MonitorError, ValueError):
    exit_code = 2


class BandwidthError(EgovnetError, RuntimeError):
    pass


class BandwidthInputError(BandwidthError, ValueError):
    exit_code = 2


class ExporterConfigError(LocatedError):
    """A bad ``egovnet exporter`` config or web config file, located to file, line and field."""


class LanguageError(EgovnetError, ValueError):
    """A language egovnet does not speak (``--lang``): zh and en only."""

    exit_code = 2


class NetBoxError(EgovnetError, RuntimeError):
    """NetBox could not be reached or refused a read or a write (inventory.netbox)."""


class NetBoxInputError(NetBoxError, ValueError):
    """A bad NetBox request: no URL or token, or NetBox data that maps to no inventory."""

    exit_code = 2
