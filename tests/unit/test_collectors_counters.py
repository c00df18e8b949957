"""32-bit counter wraps and agent restarts never make a rate() spike."""

from __future__ import annotations

import pytest

from collectors.counters import COUNTER32_MODULUS, Counter32, agent_restarted

pytestmark = pytest.mark.unit


def test_rising_counter_is_exported_as_read() -> None:
    c = Counter32()
    assert c.update(100) == 100
    assert c.update(5_000) == 5_000


def test_wrap_without_restart_adds_the_modulus() -> None:
    c = Counter32()
    c.update(COUNTER32_MODULUS - 300)
    # 300 bytes to the wrap, then 500 more: the series grows by 800, not drops
    assert c.update(500) == COUNTER32_MODULUS + 500
    assert c.update(900) == COUNTER32_MODULUS + 900


def test_restart_that_zeroed_the_counter_continues_from_the_last_value() -> None:
    c = Counter32()
    c.update(COUNTER32_MODULUS - 300)
    before = c.update(COUNTER32_MODULUS - 100)
    after = c.update(200, reset_possible=True)
    # counted again from zero: +200, never the +4 GiB a wrap correction would add
    assert after - before == 200


def test_restart_that_kept_the_counter_changes_nothing() -> None:
    c = Counter32()
    c.update(1_000_000)
    # net-snmp restarted on Linux: kernel counters untouched, no reset assumed
    assert c.update(1_000_500, reset_possible=True) == 1_000_500


def test_exported_series_never_decreases_through_wraps_and_restarts() -> None:
    raw = [10, 4_000_000_000, 50, 3_000_000_000, 7, 8, 4_294_967_000, 1]
    restarts = [False, False, False, False, True, False, False, False]
    c = Counter32()
    out = [c.update(v, r) for v, r in zip(raw, restarts, strict=True)]
    assert out == sorted(out)
    # two wraps (+2**32 each) and one restart that resumed from the last raw value
    assert out[-1] == 2 * COUNTER32_MODULUS + 3_000_000_000 + 1


@pytest.mark.parametrize(
    ("prev", "prev_at", "now_ticks", "now_at", "restarted"),
    [
        (None, None, 5, 10.0, False),  # first reading
        (10_000, 0.0, 11_500, 15.0, False),  # counting on
        (10_000, 0.0, 300, 15.0, True),  # dropped: restarted 3 s ago
        (2**32 - 200, 0.0, 300, 5.0, False),  # TimeTicks wrapped after 497 days
        (2**32 - 200, 0.0, 300, 3600.0, False),  # wrapped, then polled an hour later
        (2**31, 0.0, 300, 5.0, True),  # far from the wrap: a restart
    ],
)
def test_agent_restarted(
    prev: int | None, prev_at: float | None, now_ticks: int, now_at: float, restarted: bool
) -> None:
    assert agent_restarted(prev, prev_at, now_ticks, now_at) is restarted
