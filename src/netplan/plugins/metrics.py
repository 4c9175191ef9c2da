"""netplan's own metrics, registered through the metrics hook exactly as a plugin's are."""

from __future__ import annotations

from netplan.core.metrics import BUILTIN_METRICS
from netplan.plugins._markers import hookimpl
from netplan.plugins.hookspecs import MetricRegister


@hookimpl
def netplan_register_metrics(register: MetricRegister) -> None:
    for metric in BUILTIN_METRICS:
        register(metric.name, metric)
