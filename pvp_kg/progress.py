"""Progress on a terminal for long work (big merges, exports, reasoning), silent otherwise.

:func:`progress` shows a spinner, what is being done and the time elapsed on standard error
while its block runs, and clears the line when it ends. It shows nothing when standard error is
not a terminal (a pipe, a file, CI logs, tests) or when :func:`set_quiet` was called (the
command line's ``--quiet``). rich is imported only when something is shown.

>>> with progress("nothing to see: not a terminal"):
...     pass
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

__all__ = ["Step", "enabled", "progress", "set_quiet"]

_QUIET = False


def set_quiet(quiet: bool = True) -> None:
    """Silence (or, with False, allow again) every progress display of this process."""
    global _QUIET
    _QUIET = bool(quiet)


def enabled(stream: IO[str] | None = None) -> bool:
    """True when progress would be shown on ``stream`` (default: standard error)."""
    out = sys.stderr if stream is None else stream
    try:
        return not _QUIET and out.isatty()
    except (AttributeError, ValueError):  # closed or unusual streams
        return False


class Step:
    """The handle :func:`progress` yields: :meth:`update` changes the description."""

    def __init__(self, bar: Any = None, task: Any = None) -> None:
        self._bar = bar
        self._task = task

    def update(self, description: str) -> None:
        """Say what is being done now (no effect when nothing is shown)."""
        if self._bar is not None:
            self._bar.update(self._task, description=description)


@contextmanager
def progress(description: str, *, console: Any = None) -> Iterator[Step]:
    """Show ``description`` with a spinner and the elapsed time while the block runs.

    :param console: a :class:`rich.console.Console` to draw on (default: standard error, and
        only when it is a terminal); ``set_quiet()`` silences it either way
    """
    if _QUIET or (console is None and not enabled()):
        yield Step()
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    out = console if console is not None else Console(stderr=True)
    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                   console=out, transient=True)
    with bar:
        task = bar.add_task(description, total=None)
        yield Step(bar, task)
