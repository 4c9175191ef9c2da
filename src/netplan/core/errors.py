"""The netplan error family.

Every error netplan raises on purpose is a :class:`NetplanError`, so a caller can catch
the whole family in one ``except``. Subclasses also inherit the builtin a Python
programmer would reach for first (``ValueError`` for a bad value, ``LookupError`` for a
missing name), so code that does not know netplan still handles them sensibly.
"""

from __future__ import annotations

from typing import Any

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
]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""The value of a :class:`ValidationError` about something that is absent."""


class NetplanError(Exception):
    """Base of every error netplan raises on purpose."""


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
    """Something is wrong with a store: missing, corrupt, read-only, or out of date."""


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
