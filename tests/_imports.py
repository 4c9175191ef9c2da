"""Imports racing into one plan, as a host's requests for one person would."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import netplan
from netplan import ConflictError
from netplan.storage import Store


def vcard(names: list[str]) -> str:
    cards = [
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nN:{name.split()[-1]};{name.split()[0]};;;\r\n"
        f"EMAIL:{name.lower().replace(' ', '.')}@example.org\r\nEND:VCARD\r\n"
        for name in names
    ]
    return "".join(cards)


def import_concurrently(store: Store, folder: Path, *, threads: int) -> list[str]:
    """``threads`` threads each import a vCard of 3 people of their own (``Person T-N``)
    and one they all share (``Shared Person``) into the plan ``maya`` at once, retrying
    on ConflictError until it lands; returns every attempt's outcome ("ok" or the
    error's class name)."""
    outcomes: list[str] = []
    start = threading.Barrier(threads)
    lock = threading.Lock()

    def work(number: int) -> None:
        path = folder / f"people-{number}.vcf"
        path.write_text(
            vcard(["Shared Person", *(f"Person {number}-{n}" for n in range(3))]), encoding="utf-8"
        )
        start.wait()
        for _ in range(50):
            try:
                netplan.import_files(store, "maya", path, today=dt.date(2026, 12, 1))
            except ConflictError:
                with lock:
                    outcomes.append("ConflictError")
                continue
            except Exception as error:  # every other error fails the test by its name
                with lock:
                    outcomes.append(type(error).__name__)
                return
            with lock:
                outcomes.append("ok")
            return

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcomes
