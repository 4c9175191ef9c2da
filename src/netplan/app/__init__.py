"""The use cases that touch the world: importing files into a store and exporting a
stored plan to a file (:mod:`netplan.app.files`), and keeping reviews in a store
(:mod:`netplan.app.history`).

Each takes what it works with (a store, the importers or exporters) as arguments: the
plugin host (:mod:`netplan.plugins.host`) hands it the installed ones.
"""
