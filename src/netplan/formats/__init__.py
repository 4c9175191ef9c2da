"""File formats netplan reads and writes: pure functions of bytes and text.

Each importer here follows :class:`netplan.core.importing.Importer` and is registered through
the importers hook by netplan's built-in plugins; none opens a file.
"""
