"""A progress bar on standard error for long benchmark runs."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
WIDTH = 30


def progress(items: Iterable[T], *, total: int, label: str) -> Iterator[T]:
    """Yield the items while drawing ``label [#####.....] done/total elapsed``."""
    started = time.perf_counter()
    interactive = sys.stderr.isatty()
    for done, item in enumerate(items, start=1):
        yield item
        if interactive or done == total:
            filled = WIDTH * done // max(total, 1)
            elapsed = time.perf_counter() - started
            end = "\n" if done == total else "\r"
            print(f"{label:<28} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} "
                  f"{elapsed:6.1f} s", end=end, file=sys.stderr, flush=True)
