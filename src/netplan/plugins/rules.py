"""netplan's own rules, registered through the rules hook exactly as a plugin's are."""

from __future__ import annotations

from netplan.core.rules import BUILTIN_RULES
from netplan.plugins._markers import hookimpl
from netplan.plugins.hookspecs import RuleRegister


@hookimpl
def netplan_register_rules(register: RuleRegister) -> None:
    """Register each of :data:`netplan.core.rules.BUILTIN_RULES` under its name."""
    for rule in BUILTIN_RULES:
        register(rule.name, rule)
