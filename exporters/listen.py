"""Where the exporter listens (its own module: the serving process parses its flags with it,
without the pydantic config of :mod:`exporters.config`)."""

from __future__ import annotations

from base.hostport import parse_host_port


def listen_address(value: str) -> tuple[str, int]:
    """Where the exporter listens: ``127.0.0.1:9516``, ``:9516`` (every address) or
    ``[::1]:0`` (a free port) -> (host, port)."""
    return parse_host_port(value, default_host="0.0.0.0", any_port=True)
