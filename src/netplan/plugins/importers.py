"""netplan's own importers, registered through the importers hook exactly as a plugin's are."""

from __future__ import annotations

from netplan.formats.contacts_csv import GoogleContactsCsv, OutlookContactsCsv, ThunderbirdCsv
from netplan.formats.icalendar import ICalendar
from netplan.formats.linkedin import LinkedInConnections, LinkedInInvitations, LinkedInMessages
from netplan.formats.vcard import VCard
from netplan.plugins._markers import hookimpl
from netplan.plugins.hookspecs import ImporterRegister

BUILTIN_IMPORTERS = (
    LinkedInConnections(),
    LinkedInInvitations(),
    LinkedInMessages(),
    GoogleContactsCsv(),
    OutlookContactsCsv(),
    ThunderbirdCsv(),
    VCard(),
    ICalendar(),
)
"""The importers detected by ``sniff``. ``MappedCsv`` needs a column mapping, so it is
made by the caller, not registered."""


@hookimpl
def netplan_register_importers(register: ImporterRegister) -> None:
    for importer in BUILTIN_IMPORTERS:
        register(importer.name, importer)
