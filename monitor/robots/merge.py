"""A robot's rate limit kept by merging, never by dropping.

DingTalk accepts 20 messages a minute per robot (WeCom group robots the same). When a robot's
last minute is full, what is waiting is held and sent as one message at the next free slot:
the NOC hears everything, a little later and in fewer messages.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

WINDOW_SECONDS = 60.0


@dataclass
class MergingLimiter:
    """At most ``per_minute`` sends in any 60 s; the rest wait and merge into one."""

    per_minute: int = 20
    sent: deque[float] = field(default_factory=deque)
    waiting: list[str] = field(default_factory=list)

    def _prune(self, now: float) -> None:
        while self.sent and now - self.sent[0] >= WINDOW_SECONDS:
            self.sent.popleft()

    def offer(self, text: str, now: float) -> str | None:
        """Queue ``text``; return what to send now (merged with what waited), or None."""
        self.waiting.append(text)
        return self.due(now)

    def due(self, now: float) -> str | None:
        """What may be sent at ``now``: everything waiting, as one message, if a slot is free."""
        self._prune(now)
        if not self.waiting or len(self.sent) >= self.per_minute:
            return None
        self.sent.append(now)
        merged = "\n\n---\n\n".join(self.waiting)
        self.waiting = []
        return merged

    def next_slot(self, now: float) -> float | None:
        """When a held message can go (None: nothing waits or a slot is free now)."""
        self._prune(now)
        if not self.waiting or len(self.sent) < self.per_minute:
            return None
        return self.sent[0] + WINDOW_SECONDS
