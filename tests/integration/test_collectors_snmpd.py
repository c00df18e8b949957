"""The poller against a real net-snmp snmpd on loopback: v3 authPriv, v2c, failures."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from collectors.poller import Poller
from collectors.readings import ErrorKind
from collectors.simulate import AgentUser, NetSnmpAgent
from collectors.targets import SnmpCredentials, SnmpTarget
from inventory.secrets import Secret

pytestmark = pytest.mark.integration

AGENT = "127.4.0.1"
USER = AgentUser("noc", "SHA-256", "auth-key-4-test", "AES", "priv-key-4-test")
COMMUNITY = "t4-community"


def free_udp_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NetSnmpAgent]:
    work = tmp_path_factory.mktemp("snmpd")
    snmpd = NetSnmpAgent(
        work, [AGENT], free_udp_port(AGENT), community=COMMUNITY, users=[USER], sys_name="core1"
    )
    snmpd.start()
    try:
        yield snmpd
    finally:
        snmpd.stop()


def v3(auth: str = USER.auth_key, priv: str = USER.priv_key) -> SnmpCredentials:
    return SnmpCredentials(
        "v3",
        user="noc",
        auth_protocol="SHA-256",
        auth_key=Secret("EGOVNET_SNMP_AUTH_KEY", auth),
        priv_protocol="AES",
        priv_key=Secret("EGOVNET_SNMP_PRIV_KEY", priv),
    )


def v2c(community: str = COMMUNITY) -> SnmpCredentials:
    return SnmpCredentials("v2c", community=Secret("EGOVNET_SNMP_COMMUNITY", community))


def target(name: str, agent: NetSnmpAgent, creds: SnmpCredentials, **kw: object) -> SnmpTarget:
    return SnmpTarget(
        device=name,
        address=str(kw.get("address", AGENT)),
        port=int(kw.get("port", agent.port)),  # type: ignore[call-overload]
        credentials=creds,
        interfaces=tuple(kw.get("interfaces", ("lo",))),  # type: ignore[arg-type]
        timeout_seconds=float(kw.get("timeout", 1.0)),  # type: ignore[arg-type]
        retries=int(kw.get("retries", 1)),  # type: ignore[call-overload]
    )


def poll(poller: Poller, *names: str) -> list:  # type: ignore[type-arg]
    async def run() -> list:  # type: ignore[type-arg]
        try:
            return await poller.poll_many(list(names))
        finally:
            poller.close()

    return asyncio.run(run())


@pytest.mark.parametrize("creds", [v3(), v2c()], ids=["v3-authpriv", "v2c"])
def test_reads_loopback_interface(agent: NetSnmpAgent, creds: SnmpCredentials) -> None:
    (reading,) = poll(Poller([target("core1", agent, creds)]), "core1")
    assert reading.ok, reading.error
    assert reading.sys_name == "core1"
    assert reading.uptime_seconds is not None and reading.uptime_seconds >= 0
    (lo,) = reading.interfaces
    assert lo.name == "lo"
    assert lo.octets_64bit
    assert lo.oper_up is True and lo.admin_up is True
    assert lo.in_octets is not None and lo.in_octets > 0  # our own SNMP traffic ran over lo
    assert lo.in_errors == 0


def test_counters_follow_real_traffic(agent: NetSnmpAgent) -> None:
    poller = Poller([target("core1", agent, v2c())])

    async def twice() -> tuple[int, int]:
        try:
            first = (await poller.poll("core1")).interfaces[0].in_octets
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                for _ in range(100):
                    s.sendto(b"x" * 1000, ("127.4.0.250", 9))  # 100 kB through lo
            # snmpd caches interface statistics for a few seconds: poll until it refreshes
            second = first
            deadline = time.monotonic() + 15
            while second == first and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
                second = (await poller.poll("core1")).interfaces[0].in_octets
            assert first is not None and second is not None
            return first, second
        finally:
            poller.close()

    first, second = asyncio.run(twice())
    assert second - first >= 100_000


def test_wrong_auth_key_is_an_auth_error_logged_without_the_key(
    agent: NetSnmpAgent, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="egovnet.collectors")
    poller = Poller([target("vil1", agent, v3(auth="not-the-auth-key"))])
    (reading,) = poll(poller, "vil1")
    assert not reading.ok
    assert reading.error is not None and reading.error.kind is ErrorKind.auth
    assert poller.error_counts("vil1")[ErrorKind.auth] == 1
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1
    assert "vil1" in lines[0] and "auth" in lines[0]
    assert "not-the-auth-key" not in lines[0] and USER.priv_key not in lines[0]


def test_wrong_privacy_key_is_an_auth_error(agent: NetSnmpAgent) -> None:
    poller = Poller([target("vil3", agent, v3(priv="not-the-priv-key"), timeout=0.5)])
    (reading,) = poll(poller, "vil3")
    assert reading.error is not None and reading.error.kind is ErrorKind.auth
    assert "privacy" in reading.error.message


def test_missing_interface_is_reported_not_fatal(agent: NetSnmpAgent) -> None:
    poller = Poller([target("core1", agent, v2c(), interfaces=("lo", "GigabitEthernet9/9/9"))])
    (reading,) = poll(poller, "core1")
    assert reading.ok
    assert [i.name for i in reading.interfaces] == ["lo"]
    assert reading.missing == ("GigabitEthernet9/9/9",)
    assert poller.error_counts("core1")[ErrorKind.no_such_name] == 1


def test_a_silent_device_times_out_without_delaying_the_others(agent: NetSnmpAgent) -> None:
    # A socket that receives and never answers: a device that drops our packets.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as black_hole:
        black_hole.bind(("127.4.0.9", 0))
        silent = target(
            "dead1",
            agent,
            v2c(),
            address="127.4.0.9",
            port=black_hole.getsockname()[1],
            timeout=1.0,
            retries=1,
        )
        poller = Poller([silent, target("core1", agent, v2c())], max_concurrency=2)
        finished: dict[str, float] = {}

        async def run() -> None:
            t0 = time.monotonic()
            try:
                await poller.poll_many(
                    ["dead1", "core1"],
                    on_done=lambda r: finished.setdefault(r.device, time.monotonic() - t0),
                )
            finally:
                poller.close()

        asyncio.run(run())
    assert finished["core1"] < 0.5  # answered while dead1 was still waiting
    assert 2.0 <= finished["dead1"] < 2.5  # timeout 1 s x (1 + 1 retry)
    assert poller.error_counts("dead1")[ErrorKind.timeout] == 1


def test_agent_restart_is_seen_and_counters_do_not_drop(
    tmp_path: Path, agent: NetSnmpAgent
) -> None:
    snmpd = NetSnmpAgent(tmp_path, ["127.4.0.2"], agent.port, community=COMMUNITY)
    snmpd.start()
    poller = Poller([target("town1", agent, v2c(), address="127.4.0.2")])

    async def run() -> list:  # type: ignore[type-arg]
        try:
            await asyncio.sleep(1.1)  # let sysUpTime grow past a second
            before = await poller.poll("town1")
            snmpd.stop()
            snmpd.start()
            after = await poller.poll("town1")
            return [before, after]
        finally:
            poller.close()
            snmpd.stop()

    before, after = asyncio.run(run())
    assert before.ok and after.ok
    assert after.restarted and not before.restarted
    assert after.uptime_seconds < before.uptime_seconds
    # net-snmp restarted, the kernel's counters did not: no reset assumed, no drop
    assert after.interfaces[0].in_octets >= before.interfaces[0].in_octets
