"""Delivering to the robots: retried with backoff, rate-limited by merging, failures recorded.

* :class:`DeliveryLog` is the state file ``monitor status`` reads: per receiver, how many
  messages were delivered and which failed after every retry (written atomically).
* :class:`RobotWorker` is one robot's outbox in the webhook receiver: a thread that sends
  what arrives, merges what the rate limit holds back, retries a failed send
  (1 s, 2 s, 4 s ... up to 30 s apart) and records the outcome.
* :func:`send_text` sends one free-text markdown message to every configured receiver, now
  (the daily digest goes out through it).

Secrets are read from the environment or the secrets file at each send and never appear in
an error, a log line or the state file: the URL (which carries a robot's key) is never
shown, and a secret's value is masked wherever a reply might echo it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from automation.secretref import mask
from base.atomic import write_text
from base.errors import SecretMissingError
from base.lang import Lang
from inventory.monitoring import AlertReceiver, ReceiverKind
from inventory.secrets import SecretStore

from ..payload import WebhookNotification
from .apis import DeliveryFailed, rate_of, send_robot, wecom_app_send
from .merge import MergingLimiter
from .render import FRAME_BYTES, MARKDOWN_BYTES, Piece, combine, compose

KEPT_FAILURES = 20
BACKOFF_FIRST = 1.0
BACKOFF_MAX = 30.0
WINDOW_MARGIN = 0.05


# --- the state file ----------------------------------------------------------------------


class FailedDelivery(BaseModel):
    at: datetime
    title: str
    groups: list[str] = Field(default_factory=list)  # each notification merged into it
    alerts: int
    attempts: int
    error: str


class ReceiverDeliveries(BaseModel):
    kind: str
    delivered: int = 0
    failed: int = 0
    merged: int = 0  # pieces that went out inside another message (rate limit)
    last_delivered_at: datetime | None = None
    failures: list[FailedDelivery] = Field(default_factory=list)


class DeliveryState(BaseModel):
    receivers: dict[str, ReceiverDeliveries] = Field(default_factory=dict)


def read_deliveries(path: Path) -> DeliveryState:
    """The state file, or an empty state when there is none (or it is unreadable)."""
    try:
        return DeliveryState.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError, ValueError):
        return DeliveryState()


class DeliveryLog:
    """Outcomes of every receiver, kept in ``path`` (one writer: the webhook receiver)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.state = read_deliveries(path) if path else DeliveryState()

    def record(self, receiver: AlertReceiver, outcome: Outcome) -> None:
        with self.lock:
            entry = self.state.receivers.setdefault(
                receiver.name, ReceiverDeliveries(kind=receiver.kind.value)
            )
            if outcome.error is None:
                entry.delivered += 1
                entry.merged += max(0, outcome.pieces - 1)
                entry.last_delivered_at = outcome.at
            else:
                entry.failed += 1
                entry.failures.append(
                    FailedDelivery(
                        at=outcome.at,
                        title=outcome.title,
                        groups=list(outcome.groups),
                        alerts=outcome.alerts,
                        attempts=outcome.attempts,
                        error=outcome.error,
                    )
                )
                del entry.failures[:-KEPT_FAILURES]
            if self.path is not None:
                write_text(self.path, self.state.model_dump_json(indent=2))


# --- one send, retried --------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    receiver: str
    title: str
    groups: tuple[str, ...]
    alerts: int
    pieces: int
    attempts: int
    error: str | None  # None: delivered
    at: datetime

    @property
    def ok(self) -> bool:
        return self.error is None


def _attempt(receiver: AlertReceiver, piece: Piece, secrets: SecretStore, timeout: float) -> None:
    try:
        if receiver.kind is ReceiverKind.wecom_app:
            corp = secrets.get(receiver.corp_secret_env or "").reveal()
            wecom_app_send(receiver, piece, corp, timeout)
            return
        key = secrets.get(receiver.key_env or "").reveal()
        secret = secrets.get(receiver.secret_env).reveal() if receiver.secret_env else None
        send_robot(receiver, piece, key, secret, timeout)
    except SecretMissingError as exc:
        raise DeliveryFailed(str(exc)) from None
    except DeliveryFailed:
        raise
    except Exception as exc:  # its text may quote the URL, which holds the key
        raise DeliveryFailed(f"could not send: {type(exc).__name__}") from None


def deliver(
    receiver: AlertReceiver,
    piece: Piece,
    secrets: SecretStore,
    *,
    timeout: float = 10.0,
    pieces: int = 1,
    before_attempt: Callable[[], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Send ``piece``, retrying ``receiver.retries`` times with doubling backoff."""
    error: str | None = None
    attempts = 0
    for attempt in range(receiver.retries + 1):
        if attempt:
            sleep(min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** (attempt - 1)))
        if before_attempt is not None:
            before_attempt()
        attempts += 1
        try:
            _attempt(receiver, piece, secrets, timeout)
            error = None
            break
        except DeliveryFailed as exc:
            error = mask(str(exc), secrets, receiver.secret_names)
    return Outcome(
        receiver=receiver.name,
        title=piece.title,
        groups=piece.groups or (piece.title,),
        alerts=piece.alerts,
        pieces=pieces,
        attempts=attempts,
        error=error,
        at=datetime.now(UTC),
    )


# --- one robot's outbox in the receiver -----------------------------------------------------


class RobotWorker:
    """A thread that sends one receiver's pieces, merging what its rate limit holds back."""

    def __init__(self, receiver: AlertReceiver, secrets: SecretStore, log: DeliveryLog) -> None:
        self.receiver = receiver
        self.secrets = secrets
        self.log = log
        rate = rate_of(receiver)
        # a margin, so a request that takes a while never lands inside the API's own window
        window = float(rate.per_seconds) * (1 + WINDOW_MARGIN) + 0.2
        self.limiter = MergingLimiter(per_window=rate.messages, window=window)
        self.cond = threading.Condition()
        self.busy = False
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name=f"robot-{receiver.name}", daemon=True)
        self.thread.start()

    def offer(self, notification: WebhookNotification) -> None:
        piece = compose(notification, self.receiver.language)
        with self.cond:
            self.limiter.waiting.append(piece)
            self.cond.notify()

    def idle(self) -> bool:
        with self.cond:
            return not self.busy and not self.limiter.waiting

    def stop(self, timeout: float = 5.0) -> None:
        """Finish the send in flight; what the rate limit still holds is recorded as not
        delivered (so `monitor status` shows it), never silently lost."""
        with self.cond:
            self.stopping = True
            self.cond.notify()
        self.thread.join(timeout)
        with self.cond:
            held, self.limiter.waiting = self.limiter.waiting, []
        if held:
            piece = combine(held, self.receiver.language)
            self.log.record(
                self.receiver,
                Outcome(
                    receiver=self.receiver.name,
                    title=piece.title,
                    groups=piece.groups,
                    alerts=piece.alerts,
                    pieces=len(held),
                    attempts=0,
                    error="not sent: the receiver stopped while the rate limit held it",
                    at=datetime.now(UTC),
                ),
            )

    def _wait_slot(self) -> None:
        """Before a retry: wait while the window is full (a retry is a request too)."""
        with self.cond:
            while not self.limiter.free(time.monotonic()) and not self.stopping:
                wait = self.limiter.sent[0] + self.limiter.window - time.monotonic()
                self.cond.wait(max(0.01, wait))
            self.limiter.note_send(time.monotonic())

    def _next_batch(self) -> list[Piece] | None:
        with self.cond:
            while True:
                now = time.monotonic()
                batch = self.limiter.due(now)
                if batch is not None:
                    self.busy = True
                    return batch
                if self.stopping:
                    return None
                slot = self.limiter.next_slot(now)
                self.cond.wait(None if slot is None else max(0.01, slot - now))

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            piece = combine(batch, self.receiver.language)
            attempts = 0

            def gate() -> None:
                nonlocal attempts
                if attempts:  # the first attempt's slot was taken by due()
                    self._wait_slot()
                attempts += 1

            outcome = deliver(
                self.receiver, piece, self.secrets, pieces=len(batch), before_attempt=gate
            )
            self.log.record(self.receiver, outcome)
            with self.cond:
                self.busy = False


# --- free text, now -------------------------------------------------------------------------


def send_text(
    receivers: Sequence[AlertReceiver],
    title: str,
    body: str,
    *,
    secrets: SecretStore,
    log_file: Path | None = None,
    timeout: float = 10.0,
) -> list[Outcome]:
    """Send one markdown message (``title`` + ``body``) to every receiver, each retried;
    ``body`` is cut at a line to the APIs' size. Outcomes in the receivers' order; with
    ``log_file`` (the stack's deliveries file) a failure shows in ``monitor status``."""
    log = DeliveryLog(log_file)
    outcomes: list[Outcome] = []
    for receiver in receivers:
        text = _cut(body, MARKDOWN_BYTES - FRAME_BYTES - len(title.encode()), receiver.language)
        outcome = deliver(receiver, Piece(title=title, text=text), secrets, timeout=timeout)
        if log_file is not None:
            log.record(receiver, outcome)
        outcomes.append(outcome)
    return outcomes


def _cut(body: str, limit: int, lang: Lang) -> str:
    if len(body.encode()) <= limit:
        return body
    note = "……（已截断）" if lang is Lang.zh else "… (cut short)"
    kept: list[str] = []
    used = len(note.encode()) + 1
    for line in body.splitlines():
        used += len(line.encode()) + 1
        if used > limit:
            break
        kept.append(line)
    return "\n".join([*kept, note])
