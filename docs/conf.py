"""Sphinx configuration for netplan's documentation.

Build with ``nox -s docs``, or by hand::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The pages are MyST Markdown; the API reference is autodoc over the installed ``netplan``
(importing it is light and side-effect free). Nothing here reaches the network: there is
no intersphinx, so references to the standard library or to attrs stay plain text.
"""

from __future__ import annotations

import re

import attrs
from sphinx.application import Sphinx
from sphinx.ext.napoleon import Config as NapoleonConfig
from sphinx.ext.napoleon.docstring import GoogleDocstring

import netplan

project = "netplan"
author = "netplan developers"
copyright = "netplan developers"
release = netplan.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    # The pictures of docs/notebooks.md, drawn from the ```{plot} blocks at each build.
    "matplotlib.sphinxext.plot_directive",
    # Google-style "Args:" and "Raises:" sections: see _google_sections below.
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
language = "en"

# -- plots ----------------------------------------------------------------------------

plot_formats = [("png", 80)]
plot_html_show_formats = False
plot_html_show_source_link = False
plot_rcparams = {"figure.max_open_warning": 0}

# -- MyST -------------------------------------------------------------------------------

# Links such as [review.md](review.md#adjusting-and-the-akrasia-horizon) resolve to the
# page's heading anchors, like GitHub's.
myst_heading_anchors = 3

# -- autodoc ----------------------------------------------------------------------------

autodoc_default_options = {
    "members": True,
    "undoc-members": True,
    "member-order": "bysource",
    # no "show-inheritance": every attrs class would say "Bases: object"; errors.md asks for it
}
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_class_signature = "mixed"
# Defaults as written (``metrics=BUILTIN_METRICS``, not the tuple's repr); attrs classes'
# generated ``__init__`` is fixed up by _signature below.
autodoc_preserve_defaults = True

# Cross-references to names outside these pages (datetime.date, attrs, pluggy) cannot be
# resolved without intersphinx, which needs the network: leave them as text.
nitpicky = False

# -- HTML -------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"netplan {release}"
html_static_path: list[str] = []
html_show_sourcelink = False
pygments_style = "sphinx"
pygments_dark_style = "monokai"


# -- Google-style sections --------------------------------------------------------------
# A few docstrings (PluginHost, import_files...) use "Args:" and "Raises:" sections.
# napoleon reads them, but as an extension it also reads an attribute's or property's
# docstring whose first line has a colon as "type: description", and netplan writes
# "Days before an eased commitment takes effect ...; 0: at once." So napoleon's parser
# (its documented standalone API) runs on everything but attributes, data and properties.

_NAPOLEON = NapoleonConfig(
    napoleon_google_docstring=True, napoleon_numpy_docstring=False, napoleon_use_rtype=False
)


def _google_sections(
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    if what in {"attribute", "data", "property"}:
        return
    lines[:] = GoogleDocstring(lines, _NAPOLEON, app, what, name, obj, options).lines()


# -- signatures -------------------------------------------------------------------------
# With autodoc_preserve_defaults, an attrs class's signature would show the source of its
# generated __init__ (``kind=attr_dict['kind'].default``): show the default's value, and
# "..." for a default computed from other fields (an id slugged from a title). Parameters
# named with a leading underscore are netplan's own plumbing (``review(..., _run=...)``)
# and are left out, and so is a Protocol's meaningless ``(*args, **kwargs)``.


def _parameters(signature: str) -> list[str]:
    """``(a: int, b: dict[str, int] = {})`` split at its top-level commas."""
    parts, depth, start = [], 0, 1
    for i, char in enumerate(signature):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if (char == "," and depth == 1) or (char == ")" and depth == 0):
            parts.append(signature[start:i].strip())
            start = i + 1
    return [part for part in parts if part]


def _signature(
    app: Sphinx,
    what: str,
    name: str,
    obj: object,
    options: object,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None]:
    if not signature:
        return signature, return_annotation
    if isinstance(obj, type) and getattr(obj, "_is_protocol", False):
        return "", return_annotation  # implemented, never called: no "(*args, **kwargs)"
    if isinstance(obj, type) and attrs.has(obj):
        fields = attrs.fields_dict(obj)
        signature = re.sub(
            r"attr_dict\['(\w+)'\]\.default", lambda m: repr(fields[m[1]].default), signature
        )
        signature = re.sub(r"(=\s?)NOTHING\b", r"\1...", signature)
    if ", _" in signature or "(_" in signature:
        kept = [p for p in _parameters(signature) if not p.startswith("_")]
        signature = f"({', '.join(kept)})"
    return signature, return_annotation


def setup(app: Sphinx) -> None:
    app.connect("autodoc-process-docstring", _google_sections)
    app.connect("autodoc-process-signature", _signature)
