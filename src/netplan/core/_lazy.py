"""Read-only sequences whose items are made when read: what lets a large import keep its
people, records and ids as columns while still handing out ordinary sequences."""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from typing import TypeVar, overload

T = TypeVar("T")

__all__ = ["Made"]


class Made(Sequence[T]):
    """A sequence whose item ``i`` is ``self._item(i)``, made when read; subclasses give
    ``__len__`` and ``_item``. It is equal to any sequence of equal items (a tuple of
    them, say), and hashes as that tuple."""

    __slots__ = ()

    def _item(self, index: int) -> T:
        """Item ``index``, which is in ``range(len(self))``."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return tuple(map(self._item, range(len(self))[index]))
        return self._item(range(len(self))[index])

    def __iter__(self) -> Iterator[T]:
        return map(self._item, range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, (str, bytes)):
            return len(other) == len(self) and all(map(operator.eq, self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))
