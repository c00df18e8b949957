"""Counters done right, against snmpsim agents whose recordings wrap, restart and re-index.

Each phase is a recorded .snmprec served by a fresh snmpsim process on the same address,
so the poller sees what a device shows across a wrap or a reboot.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Sequence
from pathlib import Path

import pytest

from collectors.poller import Poller
from collectors.readings import DeviceReading
from collectors.simulate import SimInterface, Simulator, device_snmprec, write_data
from collectors.targets import SnmpCredentials, SnmpTarget
from inventory.secrets import Secret

pytestmark = pytest.mark.integration

ADDRESS = "127.4.0.20"
COMMUNITY = "t4-sim"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((ADDRESS, 0))
        return int(s.getsockname()[1])


class Device:
    """One simulated device whose recording changes between polls."""

    def __init__(self, work: Path, interfaces: Sequence[str]) -> None:
        self.work = work
        self.port = free_port()
        self.phase = 0
        self.target = SnmpTarget(
            device="town1",
            address=ADDRESS,
            port=self.port,
            credentials=SnmpCredentials("v2c", community=Secret("C", COMMUNITY)),
            interfaces=tuple(interfaces),
            timeout_seconds=2.0,
            retries=1,
        )
        self.poller = Poller([self.target], resolve_missing_interval=0)

    async def poll_with(
        self, uptime_ticks: int, interfaces: list[SimInterface], *, hc: bool = True
    ) -> DeviceReading:
        self.phase += 1
        data = self.work / f"phase{self.phase}"
        write_data(
            data, COMMUNITY, device_snmprec("town1", uptime_ticks, interfaces, hc_counters=hc)
        )
        with Simulator(data, [(ADDRESS, self.port)], self.work) as sim:
            sim.start(COMMUNITY)
            reading = await self.poller.poll("town1")
        assert reading.ok, reading.error
        return reading


def run(work: Path, interfaces: Sequence[str], scenario) -> list[DeviceReading]:  # type: ignore[no-untyped-def]
    device = Device(work, interfaces)

    async def main() -> list[DeviceReading]:
        try:
            return await scenario(device)
        finally:
            device.poller.close()

    return asyncio.run(main())


def test_32_bit_counters_wrap_and_survive_a_restart(tmp_path: Path) -> None:
    async def scenario(d: Device) -> list[DeviceReading]:
        eth1 = SimInterface(1, "eth1", in_octets=4_294_967_000, in_errors=10)
        return [
            await d.poll_with(100_000, [eth1], hc=False),
            # five minutes later: the counter wrapped past 2**32
            await d.poll_with(
                130_000, [SimInterface(1, "eth1", in_octets=500, in_errors=12)], hc=False
            ),
            # the device rebooted: uptime 5 s, counters from zero
            await d.poll_with(500, [SimInterface(1, "eth1", in_octets=200, in_errors=1)], hc=False),
        ]

    first, wrapped, rebooted = run(tmp_path, ["eth1"], scenario)
    assert not first.interfaces[0].octets_64bit
    assert [r.interfaces[0].in_octets for r in (first, wrapped, rebooted)] == [
        4_294_967_000,
        2**32 + 500,  # +796 bytes, not a drop
        2**32 + 500 + 200,  # +200 since the reboot, not +4 GiB
    ]
    assert [r.interfaces[0].in_errors for r in (first, wrapped, rebooted)] == [10, 12, 13]
    assert (wrapped.restarted, rebooted.restarted) == (False, True)


def test_64_bit_counters_are_raw_and_a_reboot_that_renumbers_is_followed(tmp_path: Path) -> None:
    async def scenario(d: Device) -> list[DeviceReading]:
        before = [
            SimInterface(1, "eth1", in_octets=10**12),
            SimInterface(2, "eth2", in_octets=5 * 10**11),
        ]
        # after the reboot the same ports have new ifIndex values (and eth2 got busy)
        after = [
            SimInterface(7, "eth2", in_octets=9 * 10**13),
            SimInterface(8, "eth1", in_octets=3_000),
        ]
        return [await d.poll_with(10_000_000, before), await d.poll_with(300, after)]

    before, after = run(tmp_path, ["eth1", "eth2"], scenario)
    by_name = {i.name: i for i in after.interfaces}
    assert after.restarted
    assert (by_name["eth1"].index, by_name["eth2"].index) == (8, 7)
    assert by_name["eth1"].in_octets == 3_000  # raw 64-bit: Prometheus sees a plain reset
    assert by_name["eth2"].in_octets == 9 * 10**13
    assert all(i.octets_64bit for i in (*before.interfaces, *after.interfaces))


def test_a_missing_interface_is_found_once_it_appears(tmp_path: Path) -> None:
    async def scenario(d: Device) -> list[DeviceReading]:
        eth1 = SimInterface(1, "eth1", in_octets=1)
        eth9 = SimInterface(9, "eth9", in_octets=99, alias="至江湾镇田心村")
        return [await d.poll_with(1_000, [eth1]), await d.poll_with(2_000, [eth1, eth9])]

    first, second = run(tmp_path, ["eth1", "eth9"], scenario)
    assert first.missing == ("eth9",)
    assert second.missing == ()
    assert second.interfaces[1].alias == "至江湾镇田心村"
    assert second.interfaces[1].in_octets == 99
