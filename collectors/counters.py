"""Counters that never make ``rate()`` spike: 32-bit wraps and agent restarts.

Prometheus' ``rate()`` copes with a counter that drops to zero (it assumes a reset), but it
cannot tell a 32-bit wrap from a reset, and an exporter that "corrects" every drop as a wrap
turns a device reboot into a spike of up to 4 GiB. egovnet therefore keeps, per 32-bit
series, its own monotonic value across the exporter's lifetime:

* the raw value rose: the exported value rises by the same amount;
* it fell and the agent did **not** restart (sysUpTime kept counting): the counter wrapped,
  so 2**32 is added to the series' offset;
* it fell and the agent restarted (sysUpTime dropped) or the interface was re-indexed: the
  counter started again at 0, so the last raw value is added to the offset and counting goes
  on from there. A restart where the raw value did not fall (net-snmp restarted on Linux,
  kernel counters untouched) changes nothing: no assumed reset, no spike.

64-bit counters are exported raw: they do not wrap in practice, and a reset is what Prometheus
already handles. The exporter's own restart starts every offset at 0 again, which Prometheus
sees as one ordinary counter reset. More than one wrap between two polls cannot be seen;
that is why the 64-bit ifHC* counters are preferred wherever the device has them.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNTER32_MODULUS = 2**32
TIMETICKS_MODULUS = 2**32  # sysUpTime wraps after ~497 days


@dataclass(slots=True)
class Counter32:
    """The monotonic value of one 32-bit counter series."""

    last_raw: int | None = None
    offset: int = 0

    def update(self, raw: int, reset_possible: bool = False) -> int:
        self.offset = advance(self.last_raw, self.offset, raw, reset_possible)
        self.last_raw = raw
        return self.offset + raw


def advance(last_raw: int | None, offset: int, raw: int, reset_possible: bool) -> int:
    """The offset of a 32-bit series once ``raw`` is read after ``last_raw`` (the rules
    above); the exported value is the new offset plus ``raw``. :class:`Counter32` keeps one
    series; the poller keeps thousands in flat arrays and calls this directly."""
    if last_raw is not None and raw < last_raw:
        return offset + (last_raw if reset_possible else COUNTER32_MODULUS)
    return offset


def agent_restarted(prev_ticks: int | None, prev_at: float | None, ticks: int, now: float) -> bool:
    """True if sysUpTime (centiseconds) dropped for any reason other than its own wrap."""
    if prev_ticks is None or prev_at is None or ticks >= prev_ticks:
        return False
    elapsed_ticks = max(0.0, now - prev_at) * 100
    # A wrap: the previous value was within the elapsed time of the modulus and the new one
    # is within the elapsed time of zero (twice the elapsed time allows for clock jitter).
    slack = 2 * elapsed_ticks + 100
    return not (prev_ticks > TIMETICKS_MODULUS - slack and ticks < slack)
