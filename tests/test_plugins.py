"""The plugin boundary: loading, isolation of broken plugins, validation, and the docs."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import inspect
import re
import stat
import subprocess
import sys
import textwrap
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
import netplan.plugins.host as host_module
from netplan.core import evaluation
from netplan.core.errors import NetplanError, PluginError, UnknownBackendError
from netplan.plugins import PluginHost, PluginInfo, PluginReport, hookimpl, hookspecs
from netplan.stores.memory import MemoryStore

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "plugins.md"
ENV_VARS = ("NETPLAN_STRICT_PLUGINS", "NETPLAN_PLUGINS", "NETPLAN_DISABLE_PLUGINS", "NETPLAN_STORE")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The developer's own NETPLAN_* settings must not change what these tests see.
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    netplan.plugins.reset_default_host()
    yield
    netplan.plugins.reset_default_host()


def make_host(*plugins: object, builtins: bool = True, **environ: str) -> PluginHost:
    return PluginHost(entry_points=False, builtins=builtins, plugins=plugins, environ=environ)


class MentoringHours:
    name = "mentoring_hours"
    description = "Hours of mentoring."

    def measure(self, *args: object) -> float:
        return 0.0


class UncheckedMentees:
    name = "unchecked_mentees"
    description = "Mentees nobody checked on."

    def check(self, context: object) -> tuple[()]:
        return ()


mentoring_hours = MentoringHours()
unchecked_mentees = UncheckedMentees()


class Mentoring:
    __version__ = "1.2.0"

    @hookimpl
    def netplan_register_metrics(self, register: Any) -> None:
        register("mentoring_hours", mentoring_hours)

    @hookimpl
    def netplan_register_rules(self, register: Any) -> None:
        register("unchecked_mentees", unchecked_mentees)

    @hookimpl
    def netplan_register_skill_catalogs(self, register: Any) -> None:
        register("mentoring", [netplan.Skill("mentoring_others", "Mentoring others")])


def store_plugin(scheme: str, *, trylast: bool = False, name: str = "Stores") -> object:
    def netplan_register_stores(register: Any) -> None:
        register(scheme, MemoryStore.open)

    impl = hookimpl(trylast=trylast)(netplan_register_stores)
    return type(name, (), {"netplan_register_stores": staticmethod(impl)})()


class Broken:
    @hookimpl
    def netplan_register_metrics(self, register: Any) -> None:
        register("half_done", mentoring_hours)  # dropped: the hook did not finish
        raise ZeroDivisionError("division by zero")


# -- registration ------------------------------------------------------------------------


def test_a_plugin_registered_at_run_time_is_collected_and_reported() -> None:
    host = make_host()
    info = host.register(Mentoring())
    assert info == PluginInfo(
        "Mentoring",
        "1.2.0",
        ("metric:mentoring_hours", "rule:unchecked_mentees", "skill_catalog:mentoring"),
        builtin=False,
        error=None,
    )
    assert host.metrics["mentoring_hours"] is mentoring_hours
    assert host.rules["unchecked_mentees"] is unchecked_mentees
    assert host.skill_catalogs["mentoring"] == (
        netplan.Skill("mentoring_others", "Mentoring others"),
    )
    assert host.report()["netplan.stores.memory"].registers == ("store:memory",)


def test_registries_are_read_only() -> None:
    host = make_host(Mentoring())
    with pytest.raises(TypeError):
        host.metrics["x"] = mentoring_hours  # type: ignore[index]


def test_run_time_registration_under_another_name_and_name_clash() -> None:
    host = make_host(Mentoring())
    with pytest.raises(PluginError, match=r"already registered: pass another name"):
        host.register(Mentoring())
    info = host.register(store_plugin("docstore"), name="ravi-docstore")
    assert info.registers == ("store:docstore",)


def test_the_process_wide_host_registers_and_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETPLAN_PLUGINS", "")  # no installed third-party plugins
    netplan.plugins.register(Mentoring())
    report = netplan.plugins.report()
    assert isinstance(report, PluginReport)
    assert report["Mentoring"].registers[0] == "metric:mentoring_hours"
    assert netplan.plugins.default_host() is netplan.plugins.default_host()


def test_netplan_review_measures_a_target_of_an_installed_plugins_metric(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A notebook user whose goal counts a plugin's metric: netplan.review finds it; the
    # pure core review, given netplan's own metrics only, says it is not installed.
    monkeypatch.setenv("NETPLAN_PLUGINS", "")
    netplan.plugins.register(Mentoring())
    start = dt.date(2026, 11, 1)
    target = netplan.Target(10, "mentoring_hours", by=dt.date(2027, 1, 31))
    plan = netplan.Plan("Maya", start=start, goals=[netplan.Goal("Mentor", targets=[target])])
    log = netplan.ActivityLog()
    reviewed = netplan.review(plan, log, dt.date(2026, 12, 1))
    assert [(p.goal, p.target) for p in reviewed.progress] == [("mentor", target.id)]
    assert reviewed.failures == ()
    pure = evaluation.review(plan, log, dt.date(2026, 12, 1))
    assert "no metric of that name is installed" in pure.failures[0].error


def test_two_plugins_claiming_one_scheme_is_an_error_naming_both() -> None:
    host = make_host(store_plugin("docstore", name="RaviStore"), store_plugin("docstore"))
    for name in ("RaviStore", "Stores"):
        error = host.report()[name].error or ""
        assert "'RaviStore' and 'Stores' both claim store scheme 'docstore'" in error
    assert "docstore" not in host.stores
    with pytest.raises(PluginError, match=r"'RaviStore' and 'Stores' both claim"):
        host.open("docstore://x")
    assert host.open("memory://") is not None  # the rest keeps working

    with pytest.raises(PluginError, match=r"'RaviStore' and 'Stores' both claim store scheme"):
        PluginHost(
            entry_points=False,
            plugins=[store_plugin("docstore", name="RaviStore"), store_plugin("docstore")],
            environ={"NETPLAN_STRICT_PLUGINS": "1"},
        )


def test_a_plugin_claiming_a_built_in_scheme_names_the_built_in() -> None:
    host = make_host(store_plugin("memory"))
    assert "'Stores' and 'netplan.stores.memory' both claim" in (
        host.report()["netplan.stores.memory"].error or ""
    )


def test_a_trylast_registration_is_a_fallback_that_yields() -> None:
    fallback = store_plugin("docstore", trylast=True, name="Fallback")
    host = make_host(fallback, store_plugin("docstore"))
    assert host.report()["Stores"].registers == ("store:docstore",)
    assert host.report()["Fallback"] == PluginInfo("Fallback", None, (), False, None)
    alone = make_host(store_plugin("docstore", trylast=True, name="Fallback"))
    assert "docstore" in alone.stores


def test_registering_twice_from_one_plugin_is_an_error() -> None:
    class Twice:
        @hookimpl
        def netplan_register_rules(self, register: Any) -> None:
            register("dup", unchecked_mentees)
            register("dup", unchecked_mentees)

    error = make_host(Twice()).report()["Twice"].error or ""
    assert "plugin 'Twice' registers rule 'dup' more than once" in error


# -- isolation of broken plugins ---------------------------------------------------------


def test_a_plugin_raising_in_a_hook_is_reported_and_the_others_still_register() -> None:
    host = make_host(Broken(), Mentoring())
    error = host.report()["Broken"].error or ""
    assert "plugin 'Broken' raised in netplan_register_metrics: ZeroDivisionError" in error
    assert "test_plugins.py:" in error  # where to look
    assert "half_done" not in host.metrics  # all or nothing per hook call
    assert "mentoring_hours" in host.metrics
    assert host.report().failed == (host.report()["Broken"],)


def test_a_plugin_raising_is_fatal_under_strict_mode() -> None:
    for value in ("1", "true", "TRUE"):
        with pytest.raises(PluginError, match=r"plugin 'Broken' raised") as caught:
            make_host(Mentoring(), Broken(), NETPLAN_STRICT_PLUGINS=value)
        assert isinstance(caught.value.__cause__, ZeroDivisionError)
        assert "NETPLAN_STRICT_PLUGINS" in str(caught.value)


def test_strict_run_time_registration_raises_and_leaves_the_host_as_it_was() -> None:
    host = make_host(Mentoring(), NETPLAN_STRICT_PLUGINS="1")
    before = host.report()
    with pytest.raises(PluginError, match=r"plugin 'Broken' raised"):
        host.register(Broken())
    assert host.report() == before
    assert "mentoring_hours" in host.metrics
    assert "half_done" not in host.metrics


def test_a_non_strict_run_time_failure_is_reported_like_any_other() -> None:
    host = make_host(Mentoring())
    info = host.register(Broken())
    assert info.error is not None
    assert "ZeroDivisionError" in info.error
    assert "mentoring_hours" in host.metrics


def test_an_unclear_strict_value_is_refused() -> None:
    with pytest.raises(PluginError, match=r"NETPLAN_STRICT_PLUGINS='maybe' is neither on nor off"):
        make_host(NETPLAN_STRICT_PLUGINS="maybe")
    assert not make_host(NETPLAN_STRICT_PLUGINS="0").strict


@pytest.mark.parametrize(
    ("hook", "hint"),
    [
        ("netplan_register_store", "did you mean 'netplan_register_stores'?"),
        ("register_metrics", "did you mean 'netplan_register_metrics'?"),
        ("something_else", "hook names start with 'netplan_'"),
    ],
)
def test_a_misspelled_hook_is_an_error_from_check_pending(hook: str, hint: str) -> None:
    def impl(register: Any) -> None:
        register("typo", MemoryStore.open)

    plugin = type("Typo", (), {hook: staticmethod(hookimpl(impl))})()
    with pytest.raises(
        PluginError, match=re.escape(f"plugin 'Typo' implements unknown hook '{hook}'")
    ) as caught:
        make_host(plugin, Mentoring(), NETPLAN_STRICT_PLUGINS="1")
    assert hint in str(caught.value)

    plugin = type("Typo", (), {hook: staticmethod(hookimpl(impl))})()
    host = make_host(plugin, Mentoring())
    assert hint in (host.report()["Typo"].error or "")
    assert "mentoring_hours" in host.metrics


def test_a_hook_without_the_marker_is_an_error() -> None:
    class Unmarked:
        def netplan_register_rules(self, register: Any) -> None:
            register("never", unchecked_mentees)

    error = make_host(Unmarked()).report()["Unmarked"].error or ""
    assert "defines netplan_register_rules without @netplan.hookimpl" in error


def test_a_hook_asking_for_an_argument_the_spec_lacks_is_refused() -> None:
    class Misnamed:
        @hookimpl
        def netplan_register_rules(self, registr: Any) -> None:
            registr("never", len)

    error = make_host(Misnamed()).report()["Misnamed"].error or ""
    assert "plugin 'Misnamed' was refused" in error
    assert "registr" in error


def test_a_wrapper_is_refused() -> None:
    class Wrapper:
        @hookimpl(wrapper=True)
        def netplan_register_rules(self, register: Any) -> Any:
            return (yield)

    error = make_host(Wrapper()).report()["Wrapper"].error or ""
    assert "registration hooks are plain functions" in error


# -- validation of what is registered ----------------------------------------------------

NAME = re.compile(r"[a-z0-9][a-z0-9_.:-]*")


@given(st.text(max_size=12) | st.from_regex(r"[a-z0-9][a-z0-9_.:-]{0,10}", fullmatch=True))
def test_names_must_be_ids(name: str) -> None:
    class Named:
        @hookimpl
        def netplan_register_metrics(self, register: Any) -> None:
            register(name, mentoring_hours)

    host = make_host(Named(), builtins=False)
    valid = NAME.fullmatch(name) is not None
    assert (name in host.metrics) is valid
    assert (host.report()["Named"].error is None) is valid
    if not valid:
        assert "is not an id" in (host.report()["Named"].error or "")


@pytest.mark.parametrize(
    ("register_args", "message"),
    [
        (("Mongo", MemoryStore.open), "is not a URL scheme"),
        (("mongo", "not callable"), "is not callable"),
        ((3, MemoryStore.open), "is not a URL scheme"),
    ],
)
def test_store_registrations_are_checked(register_args: tuple[Any, Any], message: str) -> None:
    class Bad:
        @hookimpl
        def netplan_register_stores(self, register: Any) -> None:
            register(*register_args)

    error = make_host(Bad()).report()["Bad"].error or ""
    assert "plugin 'Bad' called register() in netplan_register_stores" in error
    assert message in error


@pytest.mark.parametrize(
    ("skills", "message"),
    [
        ("mentoring", "is not an iterable of netplan.Skill"),
        ([netplan.Skill("a", "A"), "b"], "item 1"),
        (
            [netplan.Skill("a", "A"), netplan.Skill("a", "Other")],
            "ids within a catalog must be unique",
        ),
    ],
)
def test_skill_catalogs_are_checked(skills: object, message: str) -> None:
    class Catalog:
        @hookimpl
        def netplan_register_skill_catalogs(self, register: Any) -> None:
            register("mine", skills)

    host = make_host(Catalog())
    assert message in (host.report()["Catalog"].error or "")
    assert "mine" not in host.skill_catalogs


def test_a_generator_of_skills_is_kept_as_a_tuple() -> None:
    class Catalog:
        @hookimpl
        def netplan_register_skill_catalogs(self, register: Any) -> None:
            register("gen", (netplan.Skill(i, i.upper()) for i in ("a", "b")))

    assert [s.id for s in make_host(Catalog()).skill_catalogs["gen"]] == ["a", "b"]


def test_none_is_not_a_registration() -> None:
    class Empty:
        @hookimpl
        def netplan_register_importers(self, register: Any) -> None:
            register("csv", None)

    assert "is None" in (make_host(Empty()).report()["Empty"].error or "")


# -- allow-list and block-list -----------------------------------------------------------


def test_the_block_list_can_disable_a_built_in() -> None:
    host = make_host(NETPLAN_DISABLE_PLUGINS="netplan.stores.jsonfile")
    assert "json" not in host.stores
    assert "netplan.stores.jsonfile" not in [p.name for p in host.report()]
    assert host.report().disabled == ("netplan.stores.jsonfile",)
    with pytest.raises(UnknownBackendError):
        host.open("json:///tmp/plan.json")


def test_the_block_list_applies_to_plugins_given_to_the_host_and_at_run_time() -> None:
    host = make_host(Mentoring(), NETPLAN_DISABLE_PLUGINS=" Mentoring , nothing.like.this")
    assert "mentoring_hours" not in host.metrics
    assert host.report().disabled == ("Mentoring",)
    assert host.report().notes == (
        "NETPLAN_DISABLE_PLUGINS names 'nothing.like.this', which is no installed plugin "
        "(known: Mentoring, netplan.plugins.exporters, netplan.plugins.importers, netplan.plugins.metrics, "
        "netplan.plugins.rules, "
        "netplan.stores.jsonfile, "
        "netplan.stores.memory, netplan.stores.postgres, netplan.stores.sqlite)",
    )
    with pytest.raises(PluginError, match=r"blocked by NETPLAN_DISABLE_PLUGINS"):
        host.register(Mentoring())


# -- entry points ------------------------------------------------------------------------

PLUGIN_MODULE = """
from netplan.plugins import hookimpl
from netplan.stores.memory import MemoryStore

@hookimpl
def netplan_register_stores(register):
    register("ravi", MemoryStore.open)

class Hours:
    name = "mentoring_hours"
    description = "Hours of mentoring."

    def measure(self, plan, log, window, segment):
        return 0.0

@hookimpl
def netplan_register_metrics(register):
    register("mentoring_hours", Hours())
"""


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A throwaway site directory holding two distributions with ``netplan`` entry points:
    a working one and one whose module cannot be imported."""
    site = tmp_path / "site"
    site.mkdir()
    modules = {
        "np_test_ravi": PLUGIN_MODULE,
        "np_test_broken": "import np_test_missing_dependency\n",
    }
    for module, code in modules.items():
        (site / f"{module}.py").write_text(textwrap.dedent(code), encoding="utf-8")
    for dist, version, entry in (
        ("netplan-ravi", "1.2.0", "ravi = np_test_ravi"),
        ("netplan-broken", "0.0.1", "broken = np_test_broken"),
    ):
        info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(f"[netplan]\n{entry}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    yield site
    for module in modules:
        sys.modules.pop(module, None)


def ep_host(**environ: str) -> PluginHost:
    return PluginHost(environ=environ)


def test_an_entry_point_loads_and_is_reported_with_its_version(installed: Path) -> None:
    host = ep_host()
    ravi = host.report()["ravi"]
    assert ravi == PluginInfo(
        "ravi", "1.2.0", ("store:ravi", "metric:mentoring_hours"), False, None, "netplan-ravi"
    )
    assert isinstance(host.open("ravi://"), MemoryStore)


def test_a_broken_entry_point_is_reported_without_breaking_the_rest(installed: Path) -> None:
    host = ep_host()
    broken = host.report()["broken"]
    assert broken.version == "0.0.1"
    assert broken.distribution == "netplan-broken"
    assert broken.error is not None
    assert "plugin 'broken' (from netplan-broken 0.0.1) failed to import 'np_test_broken'" in (
        broken.error
    )
    assert "ModuleNotFoundError" in broken.error
    assert "ravi" in host.stores
    assert "memory" in host.stores
    text = str(host.report())
    assert "broken" in text
    assert "FAILED" in text

    with pytest.raises(PluginError, match=r"plugin 'broken' .* failed to import"):
        ep_host(NETPLAN_STRICT_PLUGINS="1")


def test_the_allow_list_loads_only_the_named_entry_points(installed: Path) -> None:
    host = ep_host(NETPLAN_PLUGINS="netplan-ravi")  # a distribution name works too
    names = [p.name for p in host.report()]
    assert "ravi" in names
    assert "broken" not in names
    assert "broken" in host.report().disabled
    assert "memory" in host.stores  # built-ins are not affected

    host = ep_host(NETPLAN_PLUGINS="")
    assert not {"ravi", "broken"} & {p.name for p in host.report()}


def test_the_block_list_skips_an_entry_point(installed: Path) -> None:
    host = ep_host(NETPLAN_DISABLE_PLUGINS="broken")
    assert host.report().failed == ()
    assert "ravi" in host.stores


# -- opening stores ----------------------------------------------------------------------


def test_an_unknown_scheme_lists_the_installed_ones() -> None:
    host = make_host()
    with pytest.raises(UnknownBackendError) as caught:
        host.open("mongo://db.example/plans")
    message = str(caught.value)
    assert "no store backend handles mongo://" in message
    assert "installed: " in message
    assert "memory://" in message
    assert "install a plugin that registers the scheme 'mongo'" in message
    assert isinstance(caught.value, KeyError)
    assert isinstance(caught.value, NetplanError)


def test_an_unknown_scheme_mentions_plugins_that_failed() -> None:
    with pytest.raises(UnknownBackendError, match=r"failed to load and may provide it: 'Broken'"):
        make_host(Broken()).open("mongo://x")


def test_an_opener_must_return_a_store() -> None:
    class Liar:
        @hookimpl
        def netplan_register_stores(self, register: Any) -> None:
            register("liar", lambda url, *, create: "not a store")

    with pytest.raises(PluginError, match=r"the opener for liar:// \(plugin 'Liar'\)"):
        make_host(Liar()).open("liar://")


def test_open_uses_netplan_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETPLAN_PLUGINS", "")
    monkeypatch.setenv("NETPLAN_STORE", "memory://")
    store = netplan.plugins.open()
    assert isinstance(store, MemoryStore)
    assert store.url == "memory://"


def test_open_with_an_unknown_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETPLAN_PLUGINS", "")
    with pytest.raises(UnknownBackendError, match=r"no store backend handles nosuch://"):
        netplan.plugins.open("nosuch://x")


@pytest.mark.skipif(
    importlib.util.find_spec("netplan.stores.sqlite") is None,
    reason="netplan.stores.sqlite is not written yet: the default store is SQLite",
)
def test_open_without_a_url_creates_the_default_sqlite_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("NETPLAN_PLUGINS", "")
    folder = Path(platformdirs.user_data_dir("netplan"))
    assert tmp_path in folder.parents
    assert netplan.plugins.host.default_store_url() == f"sqlite://{folder / 'netplan.db'}"

    store = netplan.plugins.open()
    try:
        assert (folder / "netplan.db").exists()
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert store.plans() == ()
    finally:
        store.close()
    again = netplan.plugins.open()  # exists now: opened, not created again
    again.close()


def test_an_explicit_url_is_not_created_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETPLAN_PLUGINS", "")
    with pytest.raises(NetplanError):
        netplan.plugins.open(f"json://{tmp_path / 'typo.json'}")
    assert not (tmp_path / "typo.json").exists()


# -- no plugin manager at import time ----------------------------------------------------


def test_importing_the_host_builds_no_plugin_manager() -> None:
    code = textwrap.dedent(
        """
        import sys
        import pluggy
        built = []
        original = pluggy.PluginManager.__init__
        def spy(self, *args, **kwargs):
            built.append(1)
            original(self, *args, **kwargs)
        pluggy.PluginManager.__init__ = spy
        import netplan, netplan.plugins.host, netplan.plugins.hookspecs, netplan.stores.memory
        print(len(built), netplan.plugins.host._default is None, "platformdirs" in sys.modules)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "True", "False"]


# -- the report --------------------------------------------------------------------------


def test_the_report_is_a_readable_table() -> None:
    host = make_host(Mentoring(), Broken())
    text = str(host.report())
    lines = text.splitlines()
    assert lines[0].split() == ["plugin", "version", "from", "registers"]
    assert "netplan.stores.memory" in text
    assert "built-in" in text
    assert "metric:mentoring_hours rule:unchecked_mentees skill_catalog:mentoring" in text
    assert "9 plugins loaded, 1 failed" in text
    assert any(line.startswith("  Broken: plugin 'Broken' raised") for line in lines)
    with pytest.raises(KeyError, match=r"no plugin 'nope'"):
        host.report()["nope"]
    assert repr(host) == "PluginHost(10 plugins, 1 failed)"


# -- the hooks are documented ------------------------------------------------------------


def hookspec_functions() -> list[Callable[..., None]]:
    specs = [
        obj
        for _, obj in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(obj, "netplan_spec")
    ]
    assert len(specs) == 6
    return specs


def short_type(annotation: Any) -> str:
    if annotation is type(None):
        return "None"
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return annotation.__name__
    return re.sub(r"\b(?:\w+\.)+(\w+)", r"\1", repr(annotation))


def callback_signature(spec: Callable[..., None]) -> str:
    call = typing.get_type_hints(spec)["register"].__call__
    hints = typing.get_type_hints(call)
    params = [p for p in inspect.signature(call).parameters.values() if p.name != "self"]
    args = ", ".join(f"{p.name}: {short_type(hints[p.name])}" for p in params)
    return f"register({args}) -> {short_type(hints['return'])}"


def doc_section(heading: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(heading)
    rest = text[start + len(heading) :]
    end = re.search(r"^#{1,3} ", rest, flags=re.M)
    return rest[: end.start() if end else len(rest)]


@pytest.mark.parametrize("spec", hookspec_functions(), ids=lambda f: f.__name__)
def test_every_hook_is_documented_with_its_signature_and_an_example(
    spec: Callable[..., None],
) -> None:
    call = f"{spec.__name__}({', '.join(inspect.signature(spec).parameters)})"
    heading = f"### `{call}`"
    assert heading in DOCS.read_text(encoding="utf-8"), f"docs/plugins.md lacks {heading!r}"
    section = doc_section(heading)
    assert f"`{callback_signature(spec)}`" in section
    assert "```python" in section, f"{heading} has no python example"


def test_callback_signatures_read_as_documented() -> None:
    signatures = {spec.__name__: callback_signature(spec) for spec in hookspec_functions()}
    assert (
        signatures["netplan_register_stores"]
        == "register(scheme: str, opener: StoreOpener) -> None"
    )
    assert signatures["netplan_register_skill_catalogs"] == (
        "register(name: str, skills: Iterable[Skill]) -> None"
    )


def test_the_facade_has_a_typed_method_per_hook() -> None:
    specs = {spec.__name__ for spec in hookspec_functions()}
    facade = {name for name in vars(host_module._Hooks) if name.startswith("netplan_")}
    assert facade == specs
    assert {hook for hook, _, _ in host_module._HOOKS} == specs


def test_the_python_blocks_of_the_plugin_guide_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 6
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(DOCS), "exec"), namespace)
    assert "Buggy" in capsys.readouterr().out


def test_a_plugin_s_store_keeps_every_protocol_it_follows_through_the_host(
    tmp_path: Path,
) -> None:
    # Python 3.12+ checks a protocol by the members a class has: the host's guard around
    # a plugin's store must have each method the store has, or a host sees less of it.
    import netplan.storage as storage
    from netplan.plugins.host import _STORE_METHODS
    from netplan.stores.sqlite import SqliteStore

    protocols = [
        storage.Store,
        storage.CorrectableStore,
        storage.AppendingStore,
        storage.ListingStore,
        storage.BatchStore,
    ]
    members = {
        name
        for protocol in protocols
        for name, value in vars(protocol).items()
        if callable(value) and not name.startswith("_")
    }
    assert members <= set(_STORE_METHODS)

    class Sqlite2:
        @hookimpl
        def netplan_register_stores(self, register: Any) -> None:
            register("sqlite2", SqliteStore.open)

    host = PluginHost(entry_points=False, plugins=[Sqlite2()], environ={})
    store = host.open(f"sqlite2://{tmp_path / 'plans.db'}", create=True)
    try:
        for protocol in protocols:
            assert isinstance(store, protocol), protocol.__name__
    finally:
        store.close()
