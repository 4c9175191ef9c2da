"""A new plugin package, written from the templates shipped with netplan.

``netplan plugin new netplan-mentoring`` (and :func:`new_plugin`, its Python face) writes
a folder an author can install, test and publish at once::

    netplan-mentoring/
      pyproject.toml        the `netplan` entry point; a `test` extra
      README.md             install, test, publish
      src/netplan_mentoring/
        __init__.py         one @hookimpl per hook chosen
        metrics.py ...      one module per hook, a small working example in each
        py.typed
      tests/                through the installed entry point; the storage contract

The templates are files under ``netplan/plugins/template/files``, read with
:mod:`importlib.resources` and filled in with :class:`string.Template`: the package they
make is plain text a person can read before generating it, and netplan needs no template
engine for it. Every generated file passes ``ruff check``, ``ruff format --check`` and
``mypy --strict`` (the ``plugin_template`` nox session checks that, and runs the package's
tests after installing it).
"""

from __future__ import annotations

import keyword
import re
import string
import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from attrs import frozen

from netplan._version import __version__
from netplan.core.errors import ValidationError

__all__ = ["HOOKS", "PluginNames", "new_plugin", "plugin_names", "render"]

HOOKS: tuple[str, ...] = ("metric", "rule", "importer", "exporter", "store", "skills")
"""What a generated plugin can hold, one example each, in the order its files list them."""

_DISTRIBUTION = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_SEPARATORS = re.compile(r"[-_.]+")
_TEMPLATES = "files"
_LINE_LENGTH = 100  # the generated pyproject.toml's ruff line length
_LONGEST = 50


@frozen
class PluginNames:
    """The names a plugin package goes by, all worked out from the one given.

    For ``netplan-mentoring``: the distribution ``netplan-mentoring`` (what ``pip
    install`` takes, and the folder written), the module ``netplan_mentoring``, the plugin
    ``mentoring`` (its entry point's name, the prefix of every name it registers, what
    ``NETPLAN_PLUGINS`` and reports call it) and its store's URL scheme ``mentoring``
    (``my_crm`` is the scheme ``my-crm``: a scheme has no ``_``).
    """

    distribution: str
    module: str
    plugin: str
    scheme: str


def plugin_names(name: str) -> PluginNames:
    """The names of the plugin package ``name`` (see :class:`PluginNames`).

    ``name`` is a distribution name: letters, digits and ``-``, ``_`` or ``.`` between
    them. It is normalised as the package index does (``Netplan_Mentoring`` is
    ``netplan-mentoring``); the plugin's name drops a leading ``netplan-`` and a trailing
    ``-plugin``.

    Raises:
        ValidationError: ``name`` cannot name a package, or its module would be a Python
            keyword, netplan itself or a module of the standard library (which it would
            hide), or nothing is left of it for the plugin's name.
    """
    if not isinstance(name, str) or not _DISTRIBUTION.fullmatch(name):
        raise ValidationError(
            "plugin package name",
            name,
            "a package name is letters, digits, and '-', '_' or '.' between them, "
            "such as netplan-mentoring",
        )
    distribution = _SEPARATORS.sub("-", name).lower()
    module = distribution.replace("-", "_")

    def refuse(rule: str) -> ValidationError:
        return ValidationError("plugin package name", name, rule)

    if distribution in {"netplan", "networking-action-plan"}:
        raise refuse("that is netplan itself; name your plugin netplan-SOMETHING")
    if module[0].isdigit():
        raise refuse(f"its module {module} would start with a digit, which Python refuses")
    if keyword.iskeyword(module):
        raise refuse(f"its module {module} would be a Python keyword; choose another name")
    if module in sys.stdlib_module_names:
        raise refuse(f"its module {module} would hide Python's own; choose another name")
    if len(module) > _LONGEST:
        # Beyond it, the generated imports of the module no longer fit a line.
        raise refuse(f"at most {_LONGEST} characters, for a name people type")
    plugin = distribution.removeprefix("netplan-").removesuffix("-plugin")
    if plugin in {"netplan", "plugin"}:
        raise refuse("nothing is left for the plugin's own name; try netplan-SOMETHING")
    if not plugin[0].isalpha():
        # A store scheme must start with a letter, and every name the plugin registers
        # begins with the plugin's.
        raise refuse(f"the plugin's name {plugin!r} must start with a letter")
    plugin = plugin.replace("-", "_")
    return PluginNames(
        distribution=distribution,
        module=module,
        plugin=plugin,
        scheme=plugin.replace("_", "-"),
    )


@frozen
class _Hook:
    """What ``__init__.py`` and the entry-point test need of one hook's example."""

    key: str
    module: str
    spec: str
    register_type: str
    names: tuple[str, ...]
    """What ``__init__.py`` imports from the example's module."""
    call: str
    """The arguments of ``register(...)``."""
    registers: str
    """How the host's report lists the registration (``$plugin`` filled in)."""
    doc: str
    """The hook function's docstring, and the module docstring's line about it."""
    words: str
    """What the example is, in the package's description."""


_HOOKS: tuple[_Hook, ...] = (
    _Hook(
        "metric",
        "metrics",
        "netplan_register_metrics",
        "MetricRegister",
        ("warm_intros",),
        "warm_intros.name, warm_intros",
        "metric:$plugin:warm_intros",
        "``$plugin:warm_intros``: introductions others made for you (metrics.py).",
        "a metric",
    ),
    _Hook(
        "rule",
        "rules",
        "netplan_register_rules",
        "RuleRegister",
        ("quiet_contacts",),
        "quiet_contacts.name, quiet_contacts",
        "rule:$plugin:quiet_contacts",
        "``$plugin:quiet_contacts``: contacts to keep warm who went quiet (rules.py).",
        "a rule",
    ),
    _Hook(
        "importer",
        "importers",
        "netplan_register_importers",
        "ImporterRegister",
        ("people_csv",),
        "people_csv.name, people_csv",
        "importer:$plugin:people_csv",
        "``$plugin:people_csv``: people met, from a Name,Email,Met on CSV (importers.py).",
        "an importer",
    ),
    _Hook(
        "exporter",
        "exporters",
        "netplan_register_exporters",
        "ExporterRegister",
        ("contacts_markdown",),
        "contacts_markdown.name, contacts_markdown",
        "exporter:$plugin:contacts_markdown",
        "``$plugin:contacts_markdown``: the contacts as a Markdown list (exporters.py).",
        "an exporter",
    ),
    _Hook(
        "store",
        "store",
        "netplan_register_stores",
        "StoreRegister",
        ("SCHEME", "open_store"),
        "SCHEME, open_store",
        "store:$scheme",
        "``$scheme:///path/to/plans.json``: a store backend (store.py).",
        "a store backend",
    ),
    _Hook(
        "skills",
        "skills",
        "netplan_register_skill_catalogs",
        "SkillCatalogRegister",
        ("CATALOG", "SKILLS"),
        "CATALOG, SKILLS",
        "skill_catalog:$plugin",
        "The skill catalog ``$plugin``: skills to rate and practise (skills.py).",
        "a skill catalog",
    ),
)

# The order in which a host calls the hooks, and so lists a plugin's registrations.
_REPORT_ORDER = (
    "netplan_register_stores",
    "netplan_register_importers",
    "netplan_register_exporters",
    "netplan_register_metrics",
    "netplan_register_rules",
    "netplan_register_skill_catalogs",
)


def _chosen(hooks: Iterable[str]) -> tuple[_Hook, ...]:
    wanted = hooks.split(",") if isinstance(hooks, str) else list(hooks)
    unknown = [hook for hook in wanted if hook not in HOOKS]
    if unknown:
        raise ValidationError(
            "hooks", unknown[0], f"choose among {', '.join(HOOKS)} (or several of them)"
        )
    if not wanted:
        raise ValidationError("hooks", (), f"choose at least one of {', '.join(HOOKS)}")
    return tuple(hook for hook in _HOOKS if hook.key in wanted)


def _template(path: str) -> string.Template:
    text = resources.files(__name__).joinpath(_TEMPLATES, path).read_text(encoding="utf-8")
    return string.Template(text)


def _import(module: str, names: Iterable[str]) -> str:
    """``from module import names`` as ruff's isort and formatter write it: constants,
    then classes, then the rest, each sorted; wrapped when it does not fit a line."""

    def order(name: str) -> tuple[int, str]:
        kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
        return kind, name

    ordered = sorted(set(names), key=order)
    line = f"from {module} import {', '.join(ordered)}"
    if len(line) <= _LINE_LENGTH:
        return line
    return f"from {module} import (\n" + "".join(f"    {n},\n" for n in ordered) + ")"


def _tuple(name: str, texts: list[str]) -> str:
    """``name = (texts...)`` as ruff's formatter writes it: a tuple of one on one line
    when it fits (its comma is the tuple's, not a sign to keep it split)."""
    one = f'{name} = ("{texts[0]}",)'
    if len(texts) == 1 and len(one) <= _LINE_LENGTH:
        return one
    return f"{name} = (\n" + "".join(f'    "{text}",\n' for text in texts) + ")"


def render(name: str, *, hooks: Iterable[str] = HOOKS) -> dict[str, str]:
    """The files of the plugin package ``name``, holding an example of each of ``hooks``
    (some of :data:`HOOKS`), as text by their path in the package (``pyproject.toml``,
    ``src/netplan_mentoring/metrics.py``...). Nothing is written.

    Raises:
        ValidationError: a bad name (see :func:`plugin_names`), or a hook netplan has no
            example of.
    """
    names = plugin_names(name)
    chosen = _chosen(hooks)
    values = {
        "distribution": names.distribution,
        "module": names.module,
        "plugin": names.plugin,
        "scheme": names.scheme,
        "netplan_version": __version__,
    }

    def fill(text: str) -> str:
        return string.Template(text).substitute(values)

    in_report = sorted(chosen, key=lambda hook: _REPORT_ORDER.index(hook.spec))
    values.update(
        {
            "hook_words": _words([hook.words for hook in chosen]),
            "contents": "\n".join(f"* {fill(hook.doc)}" for hook in chosen),
            "register_import": _import(
                "netplan.plugins.hookspecs", (hook.register_type for hook in chosen)
            ),
            "example_imports": "\n".join(
                _import(f"{names.module}.{hook.module}", hook.names)
                for hook in sorted(chosen, key=lambda hook: hook.module)
            ),
            "all": "".join(f'    "{spec}",\n' for spec in sorted(hook.spec for hook in chosen)),
            "hooks": "\n\n".join(
                _template("hook.py.tmpl").substitute(
                    spec=hook.spec,
                    register_type=hook.register_type,
                    doc=fill(hook.doc),
                    call=hook.call,
                )
                for hook in chosen
            ),
            "registers": _tuple("REGISTERS", [fill(hook.registers) for hook in in_report]),
            "readme_table": "\n".join(
                f"| {hook.key} | `{hook.module}.py` | {_markdown(fill(hook.doc))} |"
                for hook in chosen
            ),
        }
    )
    module_dir = f"src/{names.module}"
    files = {
        "pyproject.toml": "pyproject.toml.tmpl",
        "README.md": "README.md.tmpl",
        ".gitignore": "gitignore.tmpl",
        f"{module_dir}/__init__.py": "src/__init__.py.tmpl",
        f"{module_dir}/py.typed": "src/py.typed.tmpl",
        "tests/conftest.py": "tests/conftest.py.tmpl",
        "tests/test_entry_point.py": "tests/test_entry_point.py.tmpl",
    }
    for hook in chosen:
        files[f"{module_dir}/{hook.module}.py"] = f"src/{hook.module}.py.tmpl"
        files[f"tests/test_{hook.module}.py"] = f"tests/test_{hook.module}.py.tmpl"
    return {path: _template(source).substitute(values) for path, source in files.items()}


def _markdown(doc: str) -> str:
    """A hook's docstring as a README's table cell: Markdown's code marks, and no
    "(metrics.py)", which the table has a column for."""
    return doc.rsplit(" (", 1)[0].replace("``", "`")


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def new_plugin(name: str, *, hooks: Iterable[str] = HOOKS, into: str | Path = ".") -> Path:
    """Write the plugin package ``name`` (see :func:`render`) into the folder
    ``into/<distribution>``, and return that folder.

    Everything is worked out before anything is written, so a bad name or hook writes
    nothing.

    Raises:
        ValidationError: a bad name or hook.
        FileNotFoundError: ``into`` is not a folder.
        FileExistsError: ``into/<distribution>`` exists and is not an empty folder: a
            package is never written over anything.
    """
    files = render(name, hooks=hooks)
    parent = Path(into).expanduser()
    if not parent.is_dir():
        raise FileNotFoundError(f"{parent}: no such folder to write the plugin into")
    folder = parent / plugin_names(name).distribution
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise FileExistsError(f"{folder} exists and is not a folder; choose another name")
    if folder.is_dir() and any(folder.iterdir()):
        raise FileExistsError(
            f"{folder} already exists and is not empty; nothing was written "
            "(choose another name or folder, or remove it)"
        )
    for path, text in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return folder
