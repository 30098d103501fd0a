"""One catalogue row per bad (or tricky) input: what is called, the error and its words, or the value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass(frozen=True)
class Case:
    """``call(tmp_path)`` raises ``error`` whose message holds every one of ``words``, or
    (``error=None``) returns ``value``."""

    id: str
    call: Callable[[Path], Any]
    error: type[Exception] | None = None
    words: tuple[str, ...] = ()
    value: Any = None


def check(case: Case, tmp_path: Path) -> None:
    """Assert the row: the error class and every word of its message, or the value."""
    if case.error is not None:
        with pytest.raises(case.error) as info:
            case.call(tmp_path)
        message = str(info.value)
        missing = [w for w in case.words if w not in message]
        assert not missing, f"{case.id}: {missing} not in the message: {message}"
    else:
        assert case.call(tmp_path) == case.value, case.id
