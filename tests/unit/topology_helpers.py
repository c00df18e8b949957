"""Running the ``egovnet`` command in-process for the topology tests (same entry point,
exit-code handling and output as the console script, without a new interpreter each time)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from egovnet.cli import main


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def egovnet(capsys: pytest.CaptureFixture[str], *args: str) -> Ran:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    code = exited.value.code
    return Ran(code if isinstance(code, int) else 0, out, err)
