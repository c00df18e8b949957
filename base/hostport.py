"""``HOST:PORT`` as people type it: ``127.0.0.1:9090``, ``[::1]:9090``, ``noc-probe:5201``.

One grammar for every address option and file field; each caller words its own error (naming
its option or field) from the :class:`ValueError` this raises. A host begins with a letter or
digit, so a value can never pass as an option of the program it is handed to.
"""

from __future__ import annotations

import re
import socket

_HOST_PORT = re.compile(
    r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[A-Za-z0-9][A-Za-z0-9.\-]*))?(?::(?P<port>\d{1,5}))?$"
)


def parse_host_port(
    text: str,
    *,
    default_host: str | None = None,
    default_port: int | None = None,
    any_port: bool = False,
) -> tuple[str, int]:
    """(host, port) of ``text``; an IPv6 host loses its brackets.

    ``default_host`` allows ``:PORT`` (a listener on every address), ``default_port`` allows a
    bare ``HOST``, ``any_port`` allows port 0 (a listener on a free port).
    """
    found = _HOST_PORT.match(text)
    if found is None:
        raise ValueError(f"expected HOST:PORT, got {text!r}")
    host = found["v6"] or found["host"] or default_host
    port = int(found["port"]) if found["port"] is not None else default_port
    lowest = 0 if any_port else 1
    if host is None or port is None or not lowest <= port < 65536:
        raise ValueError(f"expected HOST:PORT, got {text!r}")
    return host, port


def free_tcp_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now (the kernel's pick; free until someone binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])
