"""Poll devices over SNMP with gufo-snmp: one device at a time per device, many at once.

Per device and poll: sysUpTime and sysName, then the IF-MIB columns of the interfaces the
inventory names, by ifIndex. ifName -> ifIndex is walked once and cached; it is walked again
when sysUpTime shows the agent restarted (indexes may have moved), when an interface stopped
answering, or (at most once a minute) while an inventory name is missing on the device.

Isolation: every request has the profile's timeout and retries; a semaphore bounds how many
devices are polled at once; a dead device only ever holds its own slot. Polls of the same
device are serialised so counter state is updated in order.

The session factory is the seam: :func:`collectors.session.open_session` (gufo-snmp) by
default; anything that makes an :class:`~collectors.transport.SnmpSession` for a target may
stand in for it (unit tests use a recorded agent).

Errors never raise out of :meth:`Poller.poll`: a failed poll is a :class:`DeviceReading` with
``ok=False`` and a :class:`PollError` whose kind feeds ``egovnet_snmp_errors_total``. The log
gets one line when a device starts failing (or fails differently), naming the device and the
kind, never a key or community.
"""

from __future__ import annotations

import asyncio
import logging
import time
from array import array
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from gufo.snmp import NoSuchInstance, SnmpAuthError, SnmpDecodeError, SnmpError

from base.errors import CollectorError

from .counters import advance, agent_restarted
from .oids import BASE_COLUMNS, FALLBACK_OF, IF_DESCR, IF_NAME, SYS_NAME, SYS_UPTIME
from .readings import DeviceReading, ErrorKind, InterfaceReading, PollError
from .session import open_session
from .targets import SnmpTarget
from .transport import SnmpSession

log = logging.getLogger("egovnet.collectors")

T = TypeVar("T")

#: While an inventory interface is missing on the device, walk ifName again at most this often.
RESOLVE_MISSING_INTERVAL = 60.0
#: gufo-snmp asks for an SNMPv3 engine-time refresh after 150 s idle; stay well inside it.
V3_REFRESH_AFTER = 120.0
#: Log a device that keeps failing the same way again after this long.
RELOG_AFTER = 300.0

ValueMap = dict[str, object]
#: Opens a session to a target's agent; called inside the running event loop.
SessionFactory = Callable[[SnmpTarget], SnmpSession]


@dataclass(slots=True)
class _InterfacePlan:
    """The OIDs of one interface, in BASE_COLUMNS order (32-bit octets if ``hc`` is off).

    ``oids`` and ``counter32`` are shared by every interface with the same ifIndex and
    kind (:func:`_columns_of`): at 50,000 interfaces, one tuple of OID strings per interface
    was the poller's largest cost in memory (40 MiB).
    """

    name: str
    index: int
    hc: bool
    oids: tuple[str, ...]
    counter32: tuple[bool, ...]
    slot: int  # the interface's position among the target's: where its counters are


#: (ifIndex, 64-bit octets) -> the OIDs of that interface's columns; see _InterfacePlan.
_COLUMN_OIDS: dict[tuple[int, bool], tuple[str, ...]] = {}
_HC_COLUMNS = BASE_COLUMNS
_NO_HC_COLUMNS = tuple(FALLBACK_OF.get(c, c) for c in BASE_COLUMNS)
_COUNTER32 = {hc: tuple(c.counter32 for c in (_HC_COLUMNS if hc else _NO_HC_COLUMNS))
              for hc in (True, False)}  # fmt: skip
#: Column position -> its pair in an interface's flat counter array, for every position
#: that is a 32-bit counter with or without 64-bit octets (a switch keeps the error counters).
_COUNTER32_SLOT = {
    pos: n
    for n, pos in enumerate(
        pos for pos in range(len(BASE_COLUMNS)) if _COUNTER32[True][pos] or _COUNTER32[False][pos]
    )
}


_INT64 = 2**63  # a broken agent's out-of-range "counter" is passed on as read


def _columns_of(index: int, hc: bool) -> tuple[str, ...]:
    key = (index, hc)
    found = _COLUMN_OIDS.get(key)
    if found is None:
        columns = _HC_COLUMNS if hc else _NO_HC_COLUMNS
        found = _COLUMN_OIDS[key] = tuple(f"{c.oid}.{index}" for c in columns)
    return found


@dataclass(slots=True)
class _Plan:
    interfaces: list[_InterfacePlan]
    missing: tuple[str, ...]

    @property
    def oids(self) -> list[str]:
        """What one poll asks for, made per poll from the shared per-interface tuples (a list
        kept per device cost 80 bytes per interface)."""
        oids = [SYS_UPTIME, SYS_NAME]
        for p in self.interfaces:
            oids.extend(p.oids)
        return oids


@dataclass(slots=True)
class _Stats:
    requests: int = 0
    values: int = 0
    discovered: bool = False


@dataclass
class _DeviceState:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    session: SnmpSession | None = None
    used_at: float = 0.0
    index_by_name: dict[str, int] = field(default_factory=dict)
    resolved_at: float | None = None
    reindexed: set[str] = field(default_factory=set)
    no_hc: set[str] = field(default_factory=set)
    uptime_ticks: int | None = None
    uptime_at: float | None = None
    #: per interface, (last raw value or -1, offset) of each 32-bit counter, flat
    #: of the device's interfaces, in target order (``_InterfacePlan.slot``): one array per
    #: device, not objects per counter (50,000 interfaces had 500,000 of those: 33 MiB)
    counters: array[int] | None = None
    errors: dict[ErrorKind, int] = field(default_factory=lambda: dict.fromkeys(ErrorKind, 0))
    plan: _Plan | None = None
    failing: PollError | None = None
    logged_at: float = 0.0

    def drop_session(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


class Poller:
    """Polls the given targets; safe to share between concurrent scrapes in one event loop."""

    def __init__(
        self,
        targets: Iterable[SnmpTarget],
        *,
        max_concurrency: int = 64,
        varbinds_per_request: int = 30,
        resolve_missing_interval: float = RESOLVE_MISSING_INTERVAL,
        session_factory: SessionFactory = open_session,
    ) -> None:
        self._targets = {t.device: t for t in targets}
        self._states: dict[str, _DeviceState] = {}
        self._slots: asyncio.Semaphore | None = None
        self._max_concurrency = max_concurrency
        self._chunk = max(1, varbinds_per_request)
        self._resolve_missing_interval = resolve_missing_interval
        self._open_session = session_factory

    # --- public ------------------------------------------------------------------------
    @property
    def devices(self) -> list[str]:
        return list(self._targets)

    def has(self, device: str) -> bool:
        """Whether ``device`` is one of the targets (per scrape: no list of every device)."""
        return device in self._targets

    def target(self, device: str) -> SnmpTarget:
        try:
            return self._targets[device]
        except KeyError:
            raise CollectorError(f"no SNMP target named {device!r}") from None

    def error_counts(self, device: str) -> dict[ErrorKind, int]:
        """Errors by kind since the poller started (every kind present, zeros included)."""
        return dict(self._state(device).errors)

    def interface_name(self, device: str, if_index: int) -> str | None:
        """The cached ifName of ``if_index`` on ``device`` (None until the first poll)."""
        state = self._states.get(device)
        if state is None:
            return None
        return next((n for n, i in state.index_by_name.items() if i == if_index), None)

    async def poll(self, device: str, timeout: float | None = None) -> DeviceReading:
        """Poll one device; never raises for device trouble (see the module docstring)."""
        target = self.target(device)
        state = self._state(device)
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._max_concurrency)
        async with state.lock, self._slots:
            started = time.time()
            t0 = time.perf_counter()
            stats = _Stats()
            try:
                async with asyncio.timeout(timeout):
                    reading = await self._poll(target, state, stats, started, t0)
            except Exception as exc:  # every device failure becomes a reading
                error = _classify(exc, target, stats, timeout)
                state.errors[error.kind] += 1
                state.drop_session()
                self._log_failure(device, state, error)
                return DeviceReading(
                    device=device,
                    ok=False,
                    started_at=started,
                    duration_seconds=time.perf_counter() - t0,
                    error=error,
                    requests=stats.requests,
                    values=stats.values,
                )
            if state.failing is not None:
                log.info("snmp poll of %s recovered", device)
                state.failing = None
            return reading

    async def walk(
        self, device: str, columns: Sequence[str], timeout: float | None = None
    ) -> tuple[dict[str, list[tuple[str, object]]], PollError | None]:
        """Walk ``columns`` on the device's own session, serialised with its polls (vendor
        health uses it). Device trouble is the returned error, counted like a poll's."""
        target = self.target(device)
        state = self._state(device)
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._max_concurrency)
        async with state.lock, self._slots:
            stats = _Stats()
            walked: dict[str, list[tuple[str, object]]] = {}
            try:
                async with asyncio.timeout(timeout):
                    session = await self._session(target, state, stats)
                    for column in columns:
                        walk = partial(session.walk, column)
                        walked[column] = await self._retrying(target, walk, stats)
            except Exception as exc:  # every device failure becomes the error
                error = _classify(exc, target, stats, timeout)
                state.errors[error.kind] += 1
                state.drop_session()
                return {}, error
            return walked, None

    async def poll_many(
        self,
        devices: Sequence[str] | None = None,
        on_done: Callable[[DeviceReading], None] | None = None,
    ) -> list[DeviceReading]:
        """Poll ``devices`` (default all) concurrently; results in the order asked."""
        names = list(devices) if devices else self.devices

        async def one(name: str) -> DeviceReading:
            reading = await self.poll(name)
            if on_done is not None:
                on_done(reading)
            return reading

        return list(await asyncio.gather(*(one(n) for n in names)))

    def close(self) -> None:
        """Release every device's socket (their readers are registered with the loop)."""
        for state in self._states.values():
            state.drop_session()

    # --- one poll ----------------------------------------------------------------------
    def _state(self, device: str) -> _DeviceState:
        state = self._states.get(device)
        if state is None:
            self.target(device)
            state = self._states[device] = _DeviceState()
        return state

    async def _poll(
        self, target: SnmpTarget, st: _DeviceState, stats: _Stats, started: float, t0: float
    ) -> DeviceReading:
        session = await self._session(target, st, stats)
        resolved = False
        if self._needs_resolution(st):
            await self._resolve(target, st, session, stats)
            resolved = True
        assert st.plan is not None
        got = await self._get(target, session, st.plan.oids, stats)
        now = time.time()
        ticks = got.get(SYS_UPTIME)
        restarted = isinstance(ticks, int) and agent_restarted(
            st.uptime_ticks, st.uptime_at, ticks, now
        )
        if restarted and not resolved:
            # Indexes may have moved with the restart: read the names again, then the values.
            await self._resolve(target, st, session, stats)
            got = await self._get(target, session, st.plan.oids, stats)
        if isinstance(ticks, int):
            st.uptime_ticks, st.uptime_at = ticks, now
        interfaces = await self._interfaces(
            target, st, session, got, restarted=restarted, stats=stats
        )
        plan = st.plan
        warnings: list[PollError] = []
        answered = {i.name for i in interfaces}
        missing = tuple(n for n in target.interfaces if n not in answered)
        absent_basics = [oid for oid in (SYS_UPTIME, SYS_NAME) if oid not in got]
        if missing or absent_basics:
            what = ", ".join([*missing, *absent_basics])
            warnings.append(PollError(ErrorKind.no_such_name, f"the device has no {what}"))
            st.errors[ErrorKind.no_such_name] += 1
        if plan is not None and len(missing) > len(plan.missing):
            st.plan = None  # something stopped answering: resolve again next time
        sys_name = got.get(SYS_NAME)
        return DeviceReading(
            device=target.device,
            ok=True,
            started_at=started,
            duration_seconds=time.perf_counter() - t0,
            uptime_seconds=ticks / 100.0 if isinstance(ticks, int) else None,
            sys_name=_text(sys_name) if sys_name is not None else None,
            restarted=restarted,
            interfaces=interfaces,
            missing=missing,
            requests=stats.requests,
            values=stats.values,
            warnings=tuple(warnings),
        )

    async def _interfaces(
        self,
        target: SnmpTarget,
        st: _DeviceState,
        session: SnmpSession,
        got: ValueMap,
        *,
        restarted: bool,
        stats: _Stats,
    ) -> tuple[InterfaceReading, ...]:
        assert st.plan is not None
        # A device without the 64-bit octet counters: ask for the 32-bit ones, now and later.
        lacking = [
            p
            for p in st.plan.interfaces
            if p.name not in st.no_hc
            and p.oids[0] not in got
            and p.oids[1] not in got
            and any(oid in got for oid in p.oids[2:])
        ]
        if lacking:
            st.no_hc.update(p.name for p in lacking)
            self._build_plan(target, st)
            extra = [f"{c.oid}.{p.index}" for p in lacking for c in FALLBACK_OF.values()]
            got = {**got, **await self._get(target, session, extra, stats)}
        readings: list[InterfaceReading] = []
        counters = st.counters
        if counters is None:
            counters = st.counters = array(
                "q", [-1, 0] * len(_COUNTER32_SLOT) * len(target.interfaces)
            )
        slots = _COUNTER32_SLOT
        stride = 2 * len(slots)
        reindexed = st.reindexed
        get = got.get
        for p in st.plan.interfaces:
            raw = list(map(get, p.oids))  # positions as in BASE_COLUMNS
            if raw.count(None) == len(raw):
                continue  # vanished since the last walk
            reset_possible = restarted
            if reindexed and p.name in reindexed:
                reset_possible = True
                reindexed.discard(p.name)
            base = p.slot * stride
            counter32 = p.counter32
            out: list[int | None] = [None] * len(raw)
            for pos, value in enumerate(raw):
                if type(value) is int:
                    if counter32[pos] and 0 <= value < _INT64:
                        at = base + 2 * slots[pos]
                        if value < counters[at]:  # it fell (the last is -1 before any read)
                            counters[at + 1] = advance(
                                counters[at], counters[at + 1], value, reset_possible
                            )
                        counters[at] = value
                        out[pos] = counters[at + 1] + value
                    else:
                        out[pos] = value
            oper, admin, alias = out[2], out[3], raw[9]
            readings.append(
                InterfaceReading(  # positional, in field order: half the cost of keywords
                    p.name,  # name
                    p.index,  # index
                    out[0],  # in_octets
                    out[1],  # out_octets
                    p.hc,  # octets_64bit
                    out[5],  # in_errors
                    out[6],  # out_errors
                    out[7],  # in_discards
                    out[8],  # out_discards
                    None if oper is None else oper == 1,  # oper_up
                    None if admin is None else admin == 1,  # admin_up
                    out[4],  # speed_mbps
                    None if alias is None else _text(alias),  # alias
                )
            )
        return tuple(readings)

    # --- ifName -> ifIndex -------------------------------------------------------------
    def _needs_resolution(self, st: _DeviceState) -> bool:
        if st.plan is None or st.resolved_at is None:
            return True
        return bool(st.plan.missing) and (
            time.monotonic() - st.resolved_at >= self._resolve_missing_interval
        )

    async def _resolve(
        self, target: SnmpTarget, st: _DeviceState, session: SnmpSession, stats: _Stats
    ) -> None:
        wanted = set(target.interfaces)
        found: dict[str, int] = {}
        for column in (IF_NAME, IF_DESCR):  # old agents without ifXTable: ifDescr
            walked = await self._retrying(target, partial(session.walk, column), stats)
            stats.values += len(walked)
            prefix = len(column) + 1
            for oid, value in walked:
                name = _text(value)
                if name in wanted and name not in found:
                    found[name] = int(oid[prefix:])
            if len(found) == len(wanted) or walked:
                break
        st.reindexed |= {n for n, i in found.items() if st.index_by_name.get(n, i) != i}
        st.index_by_name = found
        st.resolved_at = time.monotonic()
        self._build_plan(target, st)

    def _build_plan(self, target: SnmpTarget, st: _DeviceState) -> None:
        interfaces: list[_InterfacePlan] = []
        for slot, name in enumerate(target.interfaces):
            index = st.index_by_name.get(name)
            if index is None:
                continue
            hc = name not in st.no_hc
            plan = _InterfacePlan(name, index, hc, _columns_of(index, hc), _COUNTER32[hc], slot)
            interfaces.append(plan)
        missing = tuple(n for n in target.interfaces if n not in st.index_by_name)
        st.plan = _Plan(interfaces=interfaces, missing=missing)

    # --- requests ----------------------------------------------------------------------
    async def _session(self, target: SnmpTarget, st: _DeviceState, stats: _Stats) -> SnmpSession:
        now = time.monotonic()
        session = st.session
        if session is None:
            session = st.session = self._open_session(target)
            try:
                if session.is_v3:
                    await self._retrying(target, session.refresh, stats)
            except TimeoutError:
                # The agent told us its engine ID but never answered the authenticated,
                # encrypted refresh: the usual sign of a wrong privacy key.
                stats.discovered = bool(session.engine_id())
                raise
        elif target.credentials.version == "v3" and now - st.used_at > V3_REFRESH_AFTER:
            await self._retrying(target, session.refresh, stats)
        st.used_at = now
        return session

    async def _get(
        self, target: SnmpTarget, session: SnmpSession, oids: list[str], stats: _Stats
    ) -> ValueMap:
        out: ValueMap = {}
        chunk = self._chunk
        for start in range(0, len(oids), chunk):
            part = oids[start : start + chunk]
            got = await self._retrying(target, partial(session.get_many, part), stats)
            out.update(got)
        stats.values += len(out)
        return out

    async def _retrying(
        self, target: SnmpTarget, request: Callable[[], Awaitable[T]], stats: _Stats
    ) -> T:
        for attempt in range(target.retries + 1):
            stats.requests += 1
            try:
                return await request()
            except TimeoutError:
                if attempt >= target.retries:
                    raise
        raise AssertionError("unreachable")

    def _log_failure(self, device: str, st: _DeviceState, error: PollError) -> None:
        now = time.monotonic()
        same = st.failing is not None and st.failing.kind is error.kind
        if not same or now - st.logged_at > RELOG_AFTER:
            log.warning("snmp poll of %s failed: %s", device, error)
            st.logged_at = now
        st.failing = error


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _classify(
    exc: BaseException, target: SnmpTarget, stats: _Stats, timeout: float | None
) -> PollError:
    if isinstance(exc, SnmpAuthError):
        return PollError(
            ErrorKind.auth,
            f"SNMPv3 authentication failed for user {target.credentials.user!r}"
            " (wrong user, auth key or protocol)",
        )
    if isinstance(exc, TimeoutError):
        if stats.discovered and target.credentials.priv_key is not None:
            return PollError(
                ErrorKind.auth,
                f"SNMPv3 user {target.credentials.user!r}: the agent answered engine discovery"
                " but not the encrypted request (wrong privacy key or protocol?)",
            )
        # the caller's deadline: asyncio.timeout raises TimeoutError from the cancellation
        # (3.11.3+), or during it (Debian 12's 3.11.2), so the cause or the context
        if isinstance(exc.__cause__ or exc.__context__, asyncio.CancelledError):
            return PollError(ErrorKind.timeout, f"poll not done within {timeout:g}s")
        detail = str(exc) or str(exc.__cause__ or "")
        why = f" ({detail})" if detail else ""
        return PollError(
            ErrorKind.timeout,
            f"no answer from {target.address}:{target.port} after"
            f" {target.retries + 1} x {target.timeout_seconds:g}s{why}",
        )
    if isinstance(exc, SnmpDecodeError):
        return PollError(ErrorKind.decode, f"undecodable answer: {exc}")
    if isinstance(exc, NoSuchInstance):
        return PollError(ErrorKind.no_such_name, str(exc) or "no such instance")
    if isinstance(exc, SnmpError | OSError | CollectorError):
        return PollError(ErrorKind.other, f"{type(exc).__name__}: {exc}")
    return PollError(ErrorKind.other, f"{type(exc).__name__}: {exc}")
