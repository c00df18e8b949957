"""How typed bytes reach an emulated device's shell: a line at a time, as fast as they come.

fakenos's SSH server moves client input to the shell in ``channel_to_shell_tap``: one byte per
read, echoed alone, then a 10 ms sleep. A 3 KB config change takes half a minute to type
that way, longer than any device takes, so Netmiko and NAPALM sessions against the emulation
spent most of their time waiting on the emulator. This tap keeps fakenos's behaviour (every
byte echoed, CR or LF ends a line, each line waits for the shell's reply before the next is
echoed, as a device's CLI answers one line before it takes the next) and reads whatever
has arrived in one go. :func:`install` puts it in place of fakenos's; the rest of the server
(paramiko, sessions, watchdog, start/stop) is fakenos's own.
"""

from __future__ import annotations

import threading
from typing import Any

#: how long the tap waits for the shell to answer one line before it takes the next anyway
#: (fakenos: 10 s)
REPLY_WAIT_SECONDS = 10.0
#: how often a tap with nothing to read looks whether its session has ended
POLL_SECONDS = 0.2
LINE_ENDS = (b"\r", b"\n")


def channel_to_shell(
    channel_stdio: Any,
    shell_stdin: Any,
    shell_replied: threading.Event,
    run_srv: threading.Event,
) -> None:
    """Move bytes from the SSH channel to the shell until the session ends."""
    channel = channel_stdio.channel
    channel.settimeout(POLL_SECONDS)
    pending = bytearray()
    while run_srv.is_set():
        try:
            chunk = channel.recv(65536)
        except TimeoutError:
            continue
        except (OSError, EOFError):
            break
        if not chunk:  # the client closed the channel
            break
        if not _feed(chunk, pending, channel_stdio, shell_stdin, shell_replied):
            break


def _feed(
    chunk: bytes,
    pending: bytearray,
    channel_stdio: Any,
    shell_stdin: Any,
    shell_replied: threading.Event,
) -> bool:
    """Echo ``chunk`` and hand each finished line to the shell; False once the channel died."""
    start = 0
    for index in range(len(chunk)):
        byte = chunk[index : index + 1]
        if byte not in LINE_ENDS:
            continue
        if not _echo(channel_stdio, shell_replied, chunk[start:index] + b"\r\n"):
            return False
        pending += chunk[start:index]
        line = pending.decode("utf-8", errors="replace") + byte.decode("ascii")
        pending.clear()
        shell_replied.clear()
        shell_stdin.write(line)
        start = index + 1
    rest = chunk[start:].replace(b"\x00", b"")
    if rest:
        if not _echo(channel_stdio, shell_replied, rest):
            return False
        pending += rest
    return True


def _echo(channel_stdio: Any, shell_replied: threading.Event, data: bytes) -> bool:
    shell_replied.wait(REPLY_WAIT_SECONDS)  # the answer to the last line comes first
    if not channel_stdio.channel.active:
        return False
    try:
        channel_stdio.write(data)
        channel_stdio.flush()
    except (OSError, EOFError):
        return False
    return True


def install() -> None:
    """Use :func:`channel_to_shell` for every fakenos SSH session of this process."""
    from fakenos.plugins.servers import ssh_server_paramiko

    ssh_server_paramiko.channel_to_shell_tap = channel_to_shell
