"""The poller through its session seam: a recorded agent answers as gufo-snmp's client would.

Each device is a table of OID -> value the test changes between polls (a counter grows or
wraps, the agent restarts, an interface moves, the agent falls silent). The poller itself
runs unchanged: counter handling, ifName resolution, retries, deadlines, per-device errors.
The same behaviour against a real snmpd is in tests/integration/test_collectors_snmpd.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import pytest
from gufo.snmp import SnmpAuthError, SnmpDecodeError

from base.errors import CollectorError
from collectors.counters import COUNTER32_MODULUS
from collectors.oids import IF_NAME, SYS_NAME, SYS_UPTIME, Column
from collectors.poller import Poller
from collectors.readings import DeviceReading, ErrorKind
from collectors.targets import SnmpCredentials, SnmpTarget
from collectors.transport import SnmpSession, Value
from inventory.secrets import Secret

pytestmark = pytest.mark.unit


@dataclass
class RecordedAgent:
    """One device's agent: its values, and how it misbehaves (set by the test)."""

    values: dict[str, Value]
    #: requests that get no answer before the agent answers again (each one times out)
    drop_next: int = 0
    #: every request hangs until the caller gives up
    hang: bool = False
    #: raised by every request (an auth failure, an undecodable answer)
    error: BaseException | None = None
    opened: int = 0
    closed: int = 0
    refreshed: int = 0
    requested: list[list[str]] = field(default_factory=list)

    def set_interface(self, index: int, name: str, **columns: Value) -> None:
        self.values[f"{IF_NAME}.{index}"] = name.encode()
        for column, value in columns.items():
            self.values[f"{Column[column].oid}.{index}"] = value

    def drop_interface(self, index: int) -> None:
        for oid in [o for o in self.values if o.rsplit(".", 1)[-1] == str(index)]:
            del self.values[oid]


class RecordedSession:
    """An :class:`SnmpSession` answering from a :class:`RecordedAgent`."""

    def __init__(self, agent: RecordedAgent, target: SnmpTarget) -> None:
        self.agent = agent
        self.target = target
        agent.opened += 1

    @property
    def is_v3(self) -> bool:
        return self.target.credentials.version == "v3"

    def engine_id(self) -> bytes:
        return b"\x80\x00\x1f\x88\x04egovnet" if self.is_v3 else b""

    def close(self) -> None:
        self.agent.closed += 1

    async def _answer(self, oids: list[str]) -> None:
        self.agent.requested.append(oids)
        if self.agent.hang:
            await asyncio.Event().wait()
        if self.agent.error is not None:
            raise self.agent.error
        if self.agent.drop_next:
            self.agent.drop_next -= 1
            await asyncio.sleep(self.target.timeout_seconds)
            raise TimeoutError

    async def get_many(self, oids: list[str]) -> dict[str, Value]:
        await self._answer(oids)
        return {oid: self.agent.values[oid] for oid in oids if oid in self.agent.values}

    async def walk(self, oid: str, max_repetitions: int = 25) -> list[tuple[str, Value]]:
        await self._answer([oid])
        under = [o for o in self.agent.values if o.startswith(f"{oid}.")]
        return [(o, self.agent.values[o]) for o in sorted(under, key=_oid_key)]

    async def refresh(self) -> None:
        await self._answer(["refresh"])
        self.agent.refreshed += 1


def _oid_key(oid: str) -> tuple[int, ...]:
    return tuple(int(part) for part in oid.split("."))


def agent_with(
    *interfaces: tuple[int, str], uptime: int = 360_000, hc: bool = True
) -> RecordedAgent:
    agent = RecordedAgent({SYS_UPTIME: uptime, SYS_NAME: b"core1"})
    for index, name in interfaces:
        octets = ("hc_in_octets", "hc_out_octets") if hc else ("in_octets", "out_octets")
        agent.set_interface(
            index,
            name,
            **{octets[0]: 1_000, octets[1]: 2_000},
            oper_status=1,
            admin_status=1,
            high_speed=1000,
            in_errors=0,
            out_errors=0,
            in_discards=0,
            out_discards=0,
            alias="到龙归镇".encode(),
        )
    return agent


def target(
    device: str,
    interfaces: tuple[str, ...] = ("GigabitEthernet0/0/1",),
    *,
    version: str = "v2c",
    timeout: float = 0.05,
    retries: int = 1,
    priv_key: str | None = None,
) -> SnmpTarget:
    priv = None if priv_key is None else Secret("EGOVNET_SNMP_PRIV", priv_key)
    creds = (
        SnmpCredentials(version="v3", user="noc", priv_protocol="AES", priv_key=priv)
        if version == "v3"
        else SnmpCredentials(version="v2c")
    )
    return SnmpTarget(
        device=device,
        address="192.0.2.1",
        port=161,
        credentials=creds,
        interfaces=interfaces,
        timeout_seconds=timeout,
        retries=retries,
    )


def poller_for(agents: dict[str, RecordedAgent], *targets: SnmpTarget, **kw: object) -> Poller:
    def open_recorded(t: SnmpTarget) -> SnmpSession:
        return RecordedSession(agents[t.device], t)

    return Poller(targets, session_factory=open_recorded, **kw)  # type: ignore[arg-type]


def run(
    poller: Poller, steps: Callable[[Poller], Awaitable[list[DeviceReading]]]
) -> list[DeviceReading]:
    async def go() -> list[DeviceReading]:
        try:
            return await steps(poller)
        finally:
            poller.close()

    return asyncio.run(go())


async def polls(poller: Poller, device: str, *between: Callable[[], None]) -> list[DeviceReading]:
    """Poll once, then once more after each change in ``between``."""
    readings = [await poller.poll(device)]
    for change in between:
        change()
        readings.append(await poller.poll(device))
    return readings


# --- a healthy device ----------------------------------------------------------------------


def test_reads_every_column_of_the_inventory_interfaces() -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"), (7, "GigabitEthernet0/0/2"))
    agent.values[f"{Column.oper_status.oid}.7"] = 2
    poller = poller_for(
        {"core1": agent}, target("core1", ("GigabitEthernet0/0/1", "GigabitEthernet0/0/2"))
    )
    (reading,) = run(poller, lambda p: p.poll_many())
    assert reading.ok and reading.error is None
    assert reading.sys_name == "core1" and reading.uptime_seconds == 3600.0
    first, second = reading.interfaces
    assert (first.name, first.index, second.index) == ("GigabitEthernet0/0/1", 3, 7)
    assert first.octets_64bit and (first.in_octets, first.out_octets) == (1_000, 2_000)
    assert first.oper_up is True and second.oper_up is False and second.admin_up is True
    assert first.speed_bytes == 125_000_000
    assert first.alias == "到龙归镇"
    assert poller.interface_name("core1", 7) == "GigabitEthernet0/0/2"
    assert sum(poller.error_counts("core1").values()) == 0


def test_ifname_is_walked_once_then_only_values_are_asked() -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"))
    poller = poller_for({"core1": agent}, target("core1"))
    run(poller, lambda p: polls(p, "core1", lambda: None, lambda: None))
    walks = [r for r in agent.requested if r == [IF_NAME]]
    assert len(walks) == 1
    assert len(agent.requested) == 1 + 3  # one walk, then one GET per poll (12 OIDs < 30)
    assert agent.opened == 1  # the session is kept between polls


def test_requests_are_split_into_chunks_of_varbinds() -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"), (4, "GigabitEthernet0/0/2"))
    names = ("GigabitEthernet0/0/1", "GigabitEthernet0/0/2")
    poller = poller_for({"core1": agent}, target("core1", names), varbinds_per_request=5)
    (reading,) = run(poller, lambda p: p.poll_many())
    gets = agent.requested[1:]
    assert [len(g) for g in gets] == [5, 5, 5, 5, 2]  # 2 + 2 x 10 OIDs
    assert reading.values == 2 + 22  # the two ifNames walked, then every value
    assert len(reading.interfaces) == 2


# --- counters ------------------------------------------------------------------------------


def test_a_device_without_64bit_counters_gets_32bit_ones_made_monotonic() -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"), hc=False)
    in_octets = f"{Column.in_octets.oid}.3"
    agent.values[in_octets] = COUNTER32_MODULUS - 300
    poller = poller_for({"core1": agent}, target("core1"))

    def wrap() -> None:
        agent.values[SYS_UPTIME] = int(agent.values[SYS_UPTIME]) + 1_000  # type: ignore[call-overload]
        agent.values[in_octets] = 500

    first, second = run(poller, lambda p: polls(p, "core1", wrap))
    (before,), (after,) = first.interfaces, second.interfaces
    assert not before.octets_64bit and before.in_octets == COUNTER32_MODULUS - 300
    # 300 to the wrap and 500 after: the series grows by 800, it does not drop
    assert after.in_octets == COUNTER32_MODULUS + 500
    assert not second.restarted


def test_64bit_counters_are_exported_raw() -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"))
    hc_in = f"{Column.hc_in_octets.oid}.3"
    agent.values[hc_in] = 2**40
    poller = poller_for({"core1": agent}, target("core1"))

    def drop() -> None:
        agent.values[hc_in] = 10  # Prometheus' rate() treats this as a counter reset

    first, second = run(poller, lambda p: polls(p, "core1", drop))
    assert first.interfaces[0].in_octets == 2**40
    assert second.interfaces[0].in_octets == 10


def test_a_restart_is_seen_and_a_32bit_counter_continues_from_its_last_value() -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"))
    errors = f"{Column.in_errors.oid}.3"
    agent.values[errors] = 4_000
    poller = poller_for({"core1": agent}, target("core1"))

    def restart() -> None:
        agent.values[SYS_UPTIME] = 500  # sysUpTime dropped: the agent restarted
        agent.values[errors] = 25

    first, second = run(poller, lambda p: polls(p, "core1", restart))
    assert not first.restarted and second.restarted
    # counted again from zero: +25, never the +4 GiB a wrap correction would add
    assert second.interfaces[0].in_errors == 4_025


def test_after_a_restart_the_names_are_walked_again_and_a_moved_interface_followed() -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"))
    poller = poller_for({"core1": agent}, target("core1"))

    def restart_and_renumber() -> None:
        agent.drop_interface(3)
        agent.set_interface(9, "GigabitEthernet0/0/1", hc_in_octets=77, oper_status=1)
        agent.values[SYS_UPTIME] = 100

    first, second = run(poller, lambda p: polls(p, "core1", restart_and_renumber))
    assert first.interfaces[0].index == 3
    assert second.ok and second.restarted
    (moved,) = second.interfaces
    assert (moved.index, moved.in_octets) == (9, 77)
    assert poller.interface_name("core1", 9) == "GigabitEthernet0/0/1"


# --- trouble on one device -----------------------------------------------------------------


def test_a_missing_interface_is_a_warning_not_a_failure() -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"))
    poller = poller_for(
        {"core1": agent}, target("core1", ("GigabitEthernet0/0/1", "GigabitEthernet9/9/9"))
    )
    (reading,) = run(poller, lambda p: p.poll_many())
    assert reading.ok
    assert [i.name for i in reading.interfaces] == ["GigabitEthernet0/0/1"]
    assert reading.missing == ("GigabitEthernet9/9/9",)
    assert [w.kind for w in reading.warnings] == [ErrorKind.no_such_name]
    assert "GigabitEthernet9/9/9" in reading.warnings[0].message
    assert poller.error_counts("core1")[ErrorKind.no_such_name] == 1


def test_a_missing_interface_is_looked_for_again_once_the_interval_passed() -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"))
    names = ("GigabitEthernet0/0/1", "GigabitEthernet0/0/2")
    poller = poller_for({"core1": agent}, target("core1", names), resolve_missing_interval=0)

    def add() -> None:
        agent.set_interface(4, "GigabitEthernet0/0/2", hc_in_octets=5, oper_status=1)

    first, second = run(poller, lambda p: polls(p, "core1", add))
    assert first.missing == ("GigabitEthernet0/0/2",)
    assert second.missing == () and [i.index for i in second.interfaces] == [3, 4]


def test_one_lost_request_is_retried_within_the_same_poll() -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"))
    agent.drop_next = 1
    poller = poller_for({"core1": agent}, target("core1", retries=1))
    (reading,) = run(poller, lambda p: p.poll_many())
    assert reading.ok
    assert reading.requests == 3  # the lost walk, the walk again, the GET
    assert poller.error_counts("core1")[ErrorKind.timeout] == 0


def test_a_silent_device_times_out_after_its_retries() -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"))
    agent.drop_next = 10
    poller = poller_for({"dead1": agent}, target("dead1", timeout=0.02, retries=2))
    (reading,) = run(poller, lambda p: p.poll_many())
    assert not reading.ok and reading.error is not None
    assert reading.error.kind is ErrorKind.timeout
    assert "no answer from 192.0.2.1:161 after 3 x 0.02s" in reading.error.message
    assert reading.requests == 3
    assert poller.error_counts("dead1")[ErrorKind.timeout] == 1


def test_the_callers_deadline_ends_a_hanging_poll() -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"))
    agent.hang = True
    poller = poller_for({"core1": agent}, target("core1", timeout=30))

    async def with_deadline(p: Poller) -> list[DeviceReading]:
        return [await p.poll("core1", timeout=0.05)]

    (reading,) = run(poller, with_deadline)
    assert reading.error is not None and reading.error.kind is ErrorKind.timeout
    assert reading.error.message == "poll not done within 0.05s"
    assert agent.closed == 1  # the session of a failed poll is dropped, not reused


@pytest.mark.parametrize(
    ("error", "kind", "words"),
    [
        (SnmpAuthError("auth"), ErrorKind.auth, "SNMPv3 authentication failed for user"),
        (SnmpDecodeError("bad BER"), ErrorKind.decode, "undecodable answer: bad BER"),
        (OSError(101, "Network is unreachable"), ErrorKind.other, "Network is unreachable"),
    ],
    ids=["auth", "decode", "os"],
)
def test_each_failure_has_its_kind_and_is_counted(
    error: BaseException, kind: ErrorKind, words: str
) -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"))
    agent.error = error
    poller = poller_for({"core1": agent}, target("core1", version="v3"))
    first, second = run(poller, lambda p: polls(p, "core1", lambda: None))
    assert not first.ok and not second.ok and first.error is not None
    assert first.error.kind is kind and words in first.error.message
    assert poller.error_counts("core1")[kind] == 2
    assert agent.opened == 2  # a new session for the next poll


def test_an_unanswered_encrypted_refresh_is_reported_as_a_privacy_key_problem() -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"))
    agent.drop_next = 2  # engine discovered, the encrypted refresh never answered
    vil3 = target("vil3", version="v3", timeout=0.02, retries=1, priv_key="not-the-priv-key")
    poller = poller_for({"vil3": agent}, vil3)
    (reading,) = run(poller, lambda p: p.poll_many())
    assert reading.error is not None and reading.error.kind is ErrorKind.auth
    assert "privacy" in reading.error.message
    assert "not-the-priv-key" not in reading.error.message


def test_a_failing_device_is_logged_once_and_its_recovery_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="egovnet.collectors")
    agent = agent_with((3, "GigabitEthernet0/0/1"))
    agent.error = SnmpAuthError("auth")
    poller = poller_for({"vil1": agent}, target("vil1", version="v3"))

    def heal() -> None:
        agent.error = None

    readings = run(poller, lambda p: polls(p, "vil1", lambda: None, lambda: None, heal))
    assert [r.ok for r in readings] == [False, False, False, True]
    lines = [r.getMessage() for r in caplog.records if r.name == "egovnet.collectors"]
    assert lines == [
        "snmp poll of vil1 failed: auth: SNMPv3 authentication failed for user 'noc'"
        " (wrong user, auth key or protocol)",
        "snmp poll of vil1 recovered",
    ]


def test_one_devices_failure_does_not_touch_the_others() -> None:
    dead = agent_with((3, "GigabitEthernet0/0/1"))
    dead.hang = True
    live = agent_with((3, "GigabitEthernet0/0/1"))
    broken = agent_with((3, "GigabitEthernet0/0/1"))
    broken.error = SnmpDecodeError("bad BER")
    poller = poller_for(
        {"dead1": dead, "core1": live, "town1": broken},
        target("dead1"),
        target("core1"),
        target("town1"),
        max_concurrency=3,
    )
    finished: list[str] = []

    async def all_three(p: Poller) -> list[DeviceReading]:
        async def one(name: str) -> DeviceReading:
            reading = await p.poll(name, timeout=None if name != "dead1" else 0.2)
            finished.append(name)
            return reading

        return list(await asyncio.gather(*(one(n) for n in ("dead1", "core1", "town1"))))

    dead_reading, live_reading, broken_reading = run(poller, all_three)
    assert finished[-1] == "dead1"  # the others answered while it hung
    assert live_reading.ok and live_reading.interfaces[0].in_octets == 1_000
    assert dead_reading.error is not None and dead_reading.error.kind is ErrorKind.timeout
    assert broken_reading.error is not None and broken_reading.error.kind is ErrorKind.decode
    assert sum(poller.error_counts("core1").values()) == 0
    assert poller.error_counts("town1")[ErrorKind.decode] == 1
    assert poller.error_counts("dead1")[ErrorKind.timeout] == 1


def test_concurrent_polls_of_one_device_share_one_session_and_one_walk() -> None:
    agent = agent_with((3, "GigabitEthernet0/0/1"), hc=False)
    poller = poller_for({"core1": agent}, target("core1"), max_concurrency=8)

    async def together(p: Poller) -> list[DeviceReading]:
        return list(await asyncio.gather(*(p.poll("core1") for _ in range(4))))

    readings = run(poller, together)
    assert all(r.ok for r in readings)
    assert [r.interfaces[0].in_octets for r in readings] == [1_000] * 4
    assert agent.opened == 1 and len([r for r in agent.requested if r == [IF_NAME]]) == 1


def test_an_unknown_device_is_an_error_of_the_caller() -> None:
    poller = poller_for({}, target("core1"))
    with pytest.raises(CollectorError, match="no SNMP target named 'nope'"):
        run(poller, lambda p: p.poll_many(["nope"]))
