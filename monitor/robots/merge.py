"""A robot's rate limit kept by merging, never by dropping.

DingTalk accepts 20 messages a minute per robot (WeCom group robots the same). When a robot's
window is full, what arrives is held and sent as one message at the next free slot: the NOC
hears everything, a little later and in fewer messages. A merged message still keeps within
the API's size: what does not fit waits for the slot after.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from .render import FRAME_BYTES, MARKDOWN_BYTES, SEPARATOR, Piece

WINDOW_SECONDS = 60.0


def _size(piece: Piece) -> int:
    return len(piece.title.encode()) + len(piece.text.encode()) + len(SEPARATOR) + 8


@dataclass
class MergingLimiter:
    """At most ``per_window`` sends in any ``window`` seconds; the rest wait and merge."""

    per_window: int = 20
    window: float = WINDOW_SECONDS
    limit_bytes: int = MARKDOWN_BYTES - FRAME_BYTES
    sent: deque[float] = field(default_factory=deque)
    waiting: list[Piece] = field(default_factory=list)

    def _prune(self, now: float) -> None:
        while self.sent and now - self.sent[0] >= self.window:
            self.sent.popleft()

    def offer(self, piece: Piece, now: float) -> list[Piece] | None:
        """Queue ``piece``; return what to send now (with what waited), or None."""
        self.waiting.append(piece)
        return self.due(now)

    def free(self, now: float) -> bool:
        self._prune(now)
        return len(self.sent) < self.per_window

    def note_send(self, now: float) -> None:
        """Count a request made outside :meth:`due` (a retry)."""
        self.sent.append(now)

    def due(self, now: float) -> list[Piece] | None:
        """What may be sent at ``now``: the oldest waiting pieces that fit in one message."""
        if not self.waiting or not self.free(now):
            return None
        batch = [self.waiting[0]]
        used = _size(batch[0])
        for piece in self.waiting[1:]:
            used += _size(piece)
            if used > self.limit_bytes:
                break
            batch.append(piece)
        del self.waiting[: len(batch)]
        self.note_send(now)
        return batch

    def next_slot(self, now: float) -> float | None:
        """When a held piece can go (None: nothing waits, or a slot is free now)."""
        if not self.waiting or self.free(now):
            return None
        return self.sent[0] + self.window
