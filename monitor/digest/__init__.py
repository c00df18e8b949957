"""The daily digest for the district bureau's group: how far the district is from its plan.

* ``model``   the typed :class:`Digest` (what ``monitor digest --json`` prints)
* ``build``   gathered from the inventory, the state directory's stores and the running stack
* ``render``  one markdown message in Chinese or English within the robots' size limit
* ``send``    posted to the inventory's chat receivers, each in its language (the robots send)

Scheduling it daily is :mod:`monitor.schedule`'s.
"""

from .build import StackUrls, build_digest, stack_urls
from .model import Digest
from .render import render_markdown
from .send import send_digest

__all__ = ["Digest", "StackUrls", "build_digest", "render_markdown", "send_digest", "stack_urls"]
