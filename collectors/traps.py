"""linkDown/linkUp notifications, received with pysnmp, into a book of link states.

The receiver accepts SNMPv2c traps and informs for the communities of the inventory's v2c
profiles, and SNMPv3 informs for the users of its v3 profiles (an unconfirmed v3 trap is
authenticated with the *sender's* engine ID, which the inventory does not record, so v3
devices should send informs: ``trapsess -Ci -v3 ...`` in net-snmp).

The sender is identified by its source address (the caller maps it to a device); each
notification is decoded into a :class:`~collectors.linkstate.LinkEvent` and handed on.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any

from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import ntfrcv

from base.errors import CollectorError

from .linkstate import LinkEvent, decode_link_event
from .snmpv3 import AUTH, DEFAULT_AUTH, DEFAULT_PRIV, PRIV
from .targets import SnmpCredentials

log = logging.getLogger("egovnet.collectors.traps")


class TrapReceiver:
    """A pysnmp notification receiver on one UDP address, calling ``on_event`` per trap."""

    def __init__(
        self,
        listen: tuple[str, int],
        credentials: Iterable[SnmpCredentials],
        on_event: Callable[[LinkEvent], None],
    ) -> None:
        self.listen = listen
        self._credentials = list(credentials)
        self._on_event = on_event
        self._engine: Any = None
        self._transport: Any = None

    @property
    def address(self) -> tuple[str, int]:
        """The bound address (the port is known once started, also for port 0)."""
        return self.listen

    def start(self) -> None:
        """Bind and register; call from inside the running event loop."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.bind(self.listen)
        except OSError as exc:
            sock.close()
            raise CollectorError(
                f"cannot listen for traps on {self.listen[0]}:{self.listen[1]}: {exc.strerror}"
            ) from exc
        sock.setblocking(False)
        self.listen = sock.getsockname()[:2]
        snmp_engine = engine.SnmpEngine()
        self._transport = udp.UdpTransport().open_server_mode(sock=sock)
        config.add_transport(snmp_engine, udp.DOMAIN_NAME, self._transport)
        communities = 0
        users: set[str] = set()
        for index, creds in enumerate(self._credentials):
            if creds.version == "v2c" and creds.community is not None:
                config.add_v1_system(snmp_engine, f"c{index}", creds.community.reveal())
                communities += 1
            elif creds.version == "v3" and creds.user:
                if creds.user in users:
                    log.warning("v3 user %s is in two profiles; traps use the first", creds.user)
                    continue
                users.add(creds.user)
                config.add_v3_user(
                    snmp_engine,
                    creds.user,
                    getattr(config, AUTH[creds.auth_protocol or DEFAULT_AUTH].pysnmp)
                    if creds.auth_key
                    else config.USM_AUTH_NONE,
                    creds.auth_key.reveal() if creds.auth_key else None,
                    getattr(config, PRIV[creds.priv_protocol or DEFAULT_PRIV].pysnmp)
                    if creds.priv_key
                    else config.USM_PRIV_NONE,
                    creds.priv_key.reveal() if creds.priv_key else None,
                )
        ntfrcv.NotificationReceiver(snmp_engine, self._received)
        self._engine = snmp_engine
        log.info(
            "listening for traps on %s:%s (%d communities, %d v3 users)",
            *self.listen,
            communities,
            len(users),
        )

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close_dispatcher()
            self._engine = None

    def _received(  # noqa: PLR0917 - pysnmp's callback signature
        self,
        snmp_engine: Any,
        state_reference: Any,
        context_engine_id: Any,
        context_name: Any,
        var_binds: Any,
        cb_ctx: Any,
    ) -> None:
        context = snmp_engine.observer.get_execution_context("rfc3412.receiveMessage:request")
        source = str(context["transportAddress"][0])
        binds = [(str(oid), value) for oid, value in var_binds]
        try:
            event = decode_link_event(source, binds, time.time())
        except (ValueError, TypeError) as exc:
            log.warning("undecodable notification from %s: %s", source, exc)
            return
        self._on_event(event)
