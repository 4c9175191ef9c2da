"""The netplan error family.

Every error netplan raises on purpose is a :class:`NetplanError`, so a caller can catch
the whole family in one ``except``. Subclasses also inherit the builtin a Python
programmer would reach for first (``ValueError`` for a bad value, ``LookupError`` for a
missing name), so code that does not know netplan still handles them sensibly.
"""

from __future__ import annotations

from typing import Any, TypeVar

__all__ = [
    "MISSING",
    "ConflictError",
    "CorruptStoreError",
    "ImportAbortedError",
    "LockTimeoutError",
    "NetplanError",
    "NotFoundError",
    "PluginError",
    "ReadOnlyStoreError",
    "StoreError",
    "StoreNotFoundError",
    "UnknownBackendError",
    "ValidationError",
    "store_error",
]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""The value of a :class:`ValidationError` about something that is absent."""


class NetplanError(Exception):
    """Base of every error netplan raises on purpose.

    ``str(error)`` is for the person who did what failed; :attr:`detail` is for whoever
    runs the system, and says more where there is more to say (a store's file or server:
    see :class:`StoreError`).
    """

    _detail: str | None = None

    @property
    def detail(self) -> str:
        """The operator's text: the message with where it happened (a file's path, a
        server's URL) and what the layer below said; ``str(error)`` when there is
        nothing more to say."""
        return self._detail if self._detail is not None else str(self)

    @detail.setter
    def detail(self, text: str | None) -> None:
        self._detail = text


class ValidationError(NetplanError, ValueError):
    """A value broke a rule of the domain.

    The message names the field (a dotted path such as ``Goal.targets[0].amount``), the
    offending value and the rule it broke, so the person who typed it can fix it.
    """

    def __init__(self, field: str, value: Any, rule: str) -> None:
        self.field = field
        self.value = value
        self.rule = rule
        if value is MISSING:
            super().__init__(f"{field}: {rule}")
        else:
            super().__init__(f"{field}: {_short_repr(value)} is not allowed: {rule}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.field, self.value, self.rule))

    def within(self, prefix: str) -> ValidationError:
        """The same error with its field path placed under ``prefix``.

        Used when a container re-validates its parts, so the path leads from the
        object the user touched to the value that is wrong.
        """
        field = self.field.split(".", 1)[1] if "." in self.field else self.field
        return type(self)(f"{prefix}.{field}", self.value, self.rule)


class NotFoundError(NetplanError, LookupError):
    """A name or id was looked up and is not there."""

    def __init__(self, what: str, key: object, hint: str = "") -> None:
        self.what = what
        self.key = key
        self.hint = hint
        message = f"no {what} {key!r}"
        super().__init__(f"{message}; {hint}" if hint else message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.what, self.key, self.hint))


def _short_repr(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class StoreError(NetplanError):
    """Something is wrong with a store: missing, corrupt, read-only, or out of date.

    ``StoreError(message, *, detail=None)``, and so every subclass. A host serving many
    people from one store shows ``str(error)`` to one of them, so the message names the
    store in words ("the SQLite store", "the JSON store", "the store"), never its file's
    path, its server's address or its URL, nor what the layer below (SQLite, psycopg)
    said, which can quote them; it keeps the advice on what to do. ``error.detail`` is
    the operator's text: the same message naming the path, the URL or the server, with
    the layer below's words; it is the message itself when there is nothing more to say
    (it never says less than the message). netplan's command line prints ``detail``: there
    the store is the person's own. :func:`store_error` makes both from one text.
    """

    def __init__(self, message: str = "", *, detail: str | None = None) -> None:
        super().__init__(message)
        self._detail = detail

    def __reduce__(self) -> tuple[Any, ...]:
        # The message goes back to the class; the detail travels in the state.
        return (type(self), self.args, self.__dict__)


class StoreNotFoundError(StoreError, FileNotFoundError):
    """There is no store at the given location."""


class CorruptStoreError(StoreError):
    """A store's file cannot be read as a netplan store."""


class ReadOnlyStoreError(StoreError, PermissionError):
    """The store's location cannot be written."""


class LockTimeoutError(StoreError, TimeoutError):
    """Another process held a store's lock for longer than the timeout."""


class ConflictError(StoreError):
    """A plan was saved over a newer revision than the one it descends from."""


E = TypeVar("E", bound=NetplanError)


def store_error(cls: type[E], store: str, place: object, text: str, *, more: str = "") -> E:
    """An error of class ``cls`` about a store, in a person's words and an operator's.

    ``text`` says what happened, with ``{store}`` where the store is named:
    ``str(error)`` reads ``store`` there (person-safe words: "the SQLite store"), and
    ``error.detail`` reads ``place`` (the file's path, the server's URL). ``more``, what
    only an operator may read (the layer below's message, a command naming a path), ends
    the detail in parentheses. ``cls`` is a :class:`StoreError` or another
    :class:`NetplanError` made from one message (a ``SchemaError``).

    >>> error = store_error(
    ...     CorruptStoreError, "the SQLite store", "/srv/plans.db",
    ...     "{store} is damaged: restore it", more="SQLite: disk image is malformed",
    ... )
    >>> str(error)
    'the SQLite store is damaged: restore it'
    >>> error.detail
    '/srv/plans.db is damaged: restore it (SQLite: disk image is malformed)'
    """
    error = cls(text.replace("{store}", store))
    error.detail = text.replace("{store}", str(place)) + (f" ({more})" if more else "")
    return error


class UnknownBackendError(NetplanError, KeyError):
    """No installed store backend handles a URL's scheme."""

    def __str__(self) -> str:
        # KeyError quotes its message; a person should read it plainly.
        return str(self.args[0]) if self.args else ""


class PluginError(NetplanError):
    """A plugin failed to load, raised in a hook, or registered something invalid."""


class ImportAbortedError(NetplanError):
    """A file holds records that cannot be imported; nothing was imported. The message
    lists them (file, line or record, field), and ``problems`` holds them all."""

    def __init__(self, message: str, problems: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems
