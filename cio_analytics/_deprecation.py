"""Deprecated aliases for renamed public names (one helper, not a copy per function).

A renamed keyword keeps working through :func:`renamed_kwargs`; a renamed function through
:func:`deprecated_alias`; a renamed result field through :func:`deprecated_field`. Each emits a
``DeprecationWarning`` that names the replacement, attributed to the caller's line.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

from .exceptions import ParameterError

__all__ = ["deprecated_alias", "deprecated_field", "renamed_kwargs", "warn_renamed"]


def warn_renamed(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn that ``old`` is deprecated in favour of ``new``."""
    warnings.warn(
        f"{old} is deprecated and will be removed in a future release; use {new} instead.",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def renamed_kwargs(**renames: str | tuple[str, Callable[[Any], Any]]) -> Callable:
    """Decorator: accept each old keyword ``old=...`` as the new one, with a warning.

    ``renames`` maps an old keyword to its new name, or to ``(new name, converter)`` when the
    unit changed (e.g. ``default_handle_time_min=("handle_time_s", lambda m: m * 60)``).
    Giving both the old and the new keyword is an error.

    >>> @renamed_kwargs(level="percentile")
    ... def p(*, percentile=0.5):
    ...     return percentile
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     p(level=0.9), str(w[0].message).split(";")[0]
    (0.9, 'p(level=...) is deprecated and will be removed in a future release')
    """
    table = {old: (new, None) if isinstance(new, str) else new for old, new in renames.items()}

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old in table.keys() & kwargs.keys():
                new, convert = table[old]
                if new in kwargs:
                    raise ParameterError(
                        f"`{func.__name__}` got both `{old}` (deprecated) and `{new}`. "
                        f"Give only `{new}`."
                    )
                value = kwargs.pop(old)
                kwargs[new] = value if convert is None or value is None else convert(value)
                unit = " (mind the unit)" if convert is not None else ""
                warn_renamed(f"{func.__name__}({old}=...)", f"{new}=...{unit}")
            return func(*args, **kwargs)

        return wrapper

    return decorate


def deprecated_alias(func: Callable, old_name: str, new_name: str | None = None) -> Callable:
    """``func`` under its former name ``old_name``, warning that ``new_name`` replaces it."""
    new_name = new_name or getattr(func, "__qualname__", func.__name__)

    @functools.wraps(func)
    def alias(*args: Any, **kwargs: Any) -> Any:
        warn_renamed(f"{old_name}()", f"{new_name}()")
        return func(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = old_name
    alias.__doc__ = f"Deprecated alias of :func:`{new_name}` (kept for existing callers)."
    return alias


def deprecated_field(
    new: str, old: str | None = None, convert: Callable[[Any], Any] | None = None
) -> property:
    """A read-only property that returns field ``new`` under its former name, with a warning.

    ``convert`` maps the new field's value to the old meaning (e.g. ``lambda s: 1 - s`` for a
    tail share that replaced a tail level).
    """

    def get(self: Any) -> Any:
        warn_renamed(f"{type(self).__name__}.{old or '<old name>'}", f".{new}", stacklevel=3)
        value = getattr(self, new)
        return value if convert is None else convert(value)

    return property(get, doc=f"Deprecated: use ``{new}``.")
