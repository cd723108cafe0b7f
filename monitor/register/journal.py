"""Changes to a tally, written down while an account is tried, so that they can be taken back.

Linking tries a report on an incident (what would its picture be?) before the store says
whether the plan holds. The tally of the incident (``monitor.register.picture.Tally``) takes
the account as any other, through a ``Journal``; at the end of the trial every change is
undone, last first, and the tally is the incident's again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_MISSING = object()


class Journal:
    """Dict, list and attribute changes, recorded only during a ``trial``."""

    def __init__(self) -> None:
        self._undo: list[tuple[Callable[..., Any], tuple[Any, ...]]] | None = None

    @contextmanager
    def trial(self) -> Iterator[None]:
        """Everything changed inside is taken back at the end, even on an error."""
        self._undo = []
        try:
            yield
        finally:
            undo, self._undo = self._undo, None
            for step, args in reversed(undo):
                step(*args)

    # each records how to undo itself only during a trial; otherwise it is a plain change
    def put(self, d: dict[Any, Any], key: Any, value: Any) -> None:
        if self._undo is not None:
            self._undo.append((_restore, (d, key, d.get(key, _MISSING))))
        d[key] = value

    def delete(self, d: dict[Any, Any], key: Any) -> None:
        if self._undo is not None:
            self._undo.append((d.__setitem__, (key, d[key])))
        del d[key]

    def setitem(self, items: list[Any], index: int, value: Any) -> None:
        if self._undo is not None:
            self._undo.append((items.__setitem__, (index, items[index])))
        items[index] = value

    def append(self, items: list[Any], value: Any) -> None:
        if self._undo is not None:
            self._undo.append((items.pop, ()))
        items.append(value)

    def insert(self, items: list[Any], index: int, value: Any) -> None:
        if self._undo is not None:
            self._undo.append((items.__delitem__, (index,)))
        items.insert(index, value)

    def remove_at(self, items: list[Any], index: int) -> None:
        if self._undo is not None:
            self._undo.append((items.insert, (index, items[index])))
        del items[index]

    def set(self, owner: Any, name: str, value: Any) -> None:
        if self._undo is not None:
            self._undo.append((setattr, (owner, name, getattr(owner, name))))
        setattr(owner, name, value)


def _restore(d: dict[Any, Any], key: Any, old: Any) -> None:
    if old is _MISSING:
        del d[key]
    else:
        d[key] = old


__all__ = ["Journal"]
