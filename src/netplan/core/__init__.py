"""The pure domain: goals, skills, plans, schedules, the activity log, the pace model,
metrics, rules, reviews, agendas, and what importing reads and matches.

Nothing here reads a file, the clock or the environment, and nothing here imports
netplan outside this package (``tests/test_purity.py`` holds it to that): values in,
values out. Everything a person or a plugin author uses is also exported by
:mod:`netplan`; the modules are listed in docs/architecture.md.
"""
