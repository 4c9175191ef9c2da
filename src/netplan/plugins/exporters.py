"""netplan's own exporters, registered through the exporters hook exactly as a plugin's are."""

from __future__ import annotations

from netplan.formats.exports import ContactsCsv, ContactsVcard, PlanJson
from netplan.formats.icalendar import CalendarIcs
from netplan.plugins._markers import hookimpl
from netplan.plugins.hookspecs import ExporterRegister

BUILTIN_EXPORTERS = (ContactsCsv(), ContactsVcard(), PlanJson(), CalendarIcs())


@hookimpl
def netplan_register_exporters(register: ExporterRegister) -> None:
    for exporter in BUILTIN_EXPORTERS:
        register(exporter.name, exporter)
