"""``python -m netplan``: the ``netplan`` command."""

from netplan.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
