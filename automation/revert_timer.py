"""egovnet's own revert timer for one unconfirmed push (see :mod:`automation.pending`).

``python -m automation.revert_timer STATE_DIR DEVICE RUN``, started detached by a push with
``--confirm-within`` on a platform that cannot revert by itself. It waits for the record's
deadline, checking every second whether ``config confirm`` dropped the record (then it
exits), and otherwise restores the pre-push backup through the same Nornir task as every
other egovnet restore, writing a ``restore`` record to the change log. When the device does
not answer it tries again every few seconds for :data:`RETRY_SECONDS`; after that the record
stays and the next ``egovnet config`` command tries once more.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .pending import PendingStore

#: how long the timer keeps trying to reach a device that does not answer
RETRY_SECONDS = 300.0
RETRY_EVERY = 5.0


def wait_for_deadline(store: PendingStore, device: str, run: str) -> bool:
    """True when the deadline passed with the record still there; False once confirmed."""
    while True:
        record = store.get(device)
        if record is None or record.run != run:
            return False
        left = record.seconds_left()
        if left <= 0:
            return True
        time.sleep(min(1.0, left))


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m automation.revert_timer STATE_DIR DEVICE RUN", file=sys.stderr)
        return 2
    state_dir, device, run = Path(argv[0]), argv[1], argv[2]
    store = PendingStore(state_dir)
    if not wait_for_deadline(store, device, run):
        print(f"{device}: run {run} confirmed, nothing to revert", flush=True)
        return 0
    from .operations import revert_pending

    give_up = time.monotonic() + RETRY_SECONDS
    while True:
        record = store.get(device)
        if record is None or record.run != run:
            return 0
        outcome = revert_pending(state_dir, [record])[device]
        print(f"{device}: {outcome.status} {outcome.error or outcome.detail}", flush=True)
        if not outcome.failed or time.monotonic() > give_up:
            return 1 if outcome.failed else 0
        time.sleep(RETRY_EVERY)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
