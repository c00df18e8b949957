"""The digest posted to the inventory's chat receivers, each in its own language.

The text is rendered once per language to fit the robots' markdown limit with the frame the
robots add, so the sender never has to cut it; its first line is the message's title.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from base.lang import Lang
from inventory.monitoring import AlertReceiver
from inventory.secrets import SecretStore

from ..robots.deliver import Outcome, send_text
from ..robots.render import FRAME_BYTES, MARKDOWN_BYTES
from .model import Digest
from .render import render_markdown


def _split(text: str) -> tuple[str, str]:
    title, _, body = text.partition("\n")
    return title.lstrip("#").strip(), body


def send_digest(
    digest: Digest,
    receivers: Sequence[AlertReceiver],
    *,
    secrets: SecretStore,
    log_file: Path | None = None,
) -> list[Outcome]:
    """Send the digest to every receiver in its language; outcomes in the receivers' order.
    With ``log_file`` (the stack's deliveries file) a failure shows in ``monitor status``."""
    by_receiver: dict[str, Outcome] = {}
    for lang in Lang:
        group = [r for r in receivers if r.language is lang]
        if not group:
            continue
        text = render_markdown(digest, lang, limit_bytes=MARKDOWN_BYTES - FRAME_BYTES)
        title, body = _split(text)  # title + newline + body fits: the sender cuts nothing
        sent = send_text(group, title, body, secrets=secrets, log_file=log_file)
        by_receiver.update({o.receiver: o for o in sent})
    return [by_receiver[r.name] for r in receivers]
