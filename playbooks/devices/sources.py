"""Where a device's collected configuration files are, in a configs directory.

Two layouts are accepted, per device (the backup layout of the automation issue is either):

* ``<dir>/<device>/running-config`` plus the platform's other files beside it
  (``snmpd.conf``, ``sshd_config``, ``listeners``... for FRR), or
* ``<dir>/<device>.cfg`` (or ``.conf``, ``.txt``) holding the running configuration.

Files are read as UTF-8 (Chinese banners and descriptions are data); a file that is not valid
UTF-8 is bad input.
"""

from __future__ import annotations

from pathlib import Path

from base.errors import AuditInputError

from .configtree import ConfigFile

SINGLE_FILE_SUFFIXES = (".cfg", ".conf", ".txt")


def _read(path: Path, name: str) -> ConfigFile:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise AuditInputError(f"{path}:1: not UTF-8 text ({exc.reason})") from None
    return ConfigFile(name=name, path=str(path), text=text)


def find_device_files(
    config_dir: Path, device: str, names: tuple[str, ...]
) -> dict[str, ConfigFile] | None:
    """The files of ``device`` by logical name (first of ``names`` = running config), or None
    when nothing was collected for it."""
    folder = config_dir / device
    if folder.is_dir():
        found = {n: _read(folder / n, n) for n in names if (folder / n).is_file()}
        if names[0] not in found:
            raise AuditInputError(f"{folder}:1: {names[0]} is missing for device {device}")
        return found
    for suffix in SINGLE_FILE_SUFFIXES:
        single = config_dir / f"{device}{suffix}"
        if single.is_file():
            return {names[0]: _read(single, names[0])}
    return None
