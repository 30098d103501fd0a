"""One row of a catalogue test (issue 12): what is called, and the clear error or the value.

A row is ``Case(id=..., call=lambda tmp: ..., error=ParameterError | None, words=(...),
value=None)``: ``call`` receives pytest's ``tmp_path`` (to write bad files into); with ``error``
the call must raise that class with every one of ``words`` in its message, else it must return
``value``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass(frozen=True)
class Case:
    """One catalogue row."""

    id: str
    call: Callable[[Path], Any]
    error: type[BaseException] | None = None
    words: tuple[str, ...] = ()
    value: Any = None


def check(case: Case, tmp_path: Path) -> None:
    """Assert the row: the error class and the words of its message, or the value returned."""
    if case.error is not None:
        with pytest.raises(case.error) as info:
            case.call(tmp_path)
        message = str(info.value)
        missing = [w for w in case.words if w not in message]
        assert not missing, f"{case.id}: the message lacks {missing}: {message}"
        return
    got = case.call(tmp_path)
    if isinstance(case.value, (bool, str)) or case.value is None:
        assert got == case.value, f"{case.id}: got {got!r}, expected {case.value!r}"
    else:
        assert got == pytest.approx(case.value), f"{case.id}: got {got!r}, expected {case.value!r}"
