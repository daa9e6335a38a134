"""The command line in this process: ``bot.cli.main(argv)`` with its data in a folder,
the developer's settings out of the way, and its output captured."""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli import main
from tests.support.processes import INHERITED_SETTINGS


@dataclass(frozen=True)
class CliResult:
    """What a command gave: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


class CommandLine:
    """Runs commands as ``python -m bot`` would, without starting a process."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
        self.monkeypatch = monkeypatch
        self.capsys = capsys

    def __call__(self, *args: str, data_dir: Path, stdin: str = "",
                 env: dict[str, str] | None = None) -> CliResult:
        """Run one command with its data in ``data_dir`` and no model configured."""
        with self.monkeypatch.context() as patch:
            for key in [key for key in os.environ if key.startswith(INHERITED_SETTINGS)]:
                patch.delenv(key)
            for key, value in {"DATA_DIR": str(data_dir), **(env or {})}.items():
                patch.setenv(key, value)
            patch.setattr(sys, "stdin", io.StringIO(stdin))
            self.capsys.readouterr()
            status = main(list(args))
            out, err = self.capsys.readouterr()
        return CliResult(status, out, err)
