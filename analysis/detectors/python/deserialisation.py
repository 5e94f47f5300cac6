"""Unsafe deserialisation: pickle-family loaders, `shelve`, PyYAML's `load` without a
safe Loader, and ruamel.yaml loaders that construct arbitrary Python objects.

ruamel.yaml picks its constructor from `YAML(typ=...)`: 'rt' (the default), 'safe' and
'base' build plain data; only 'unsafe' builds objects (its legacy `load(stream,
Loader=...)` likewise, unless the Loader is a safe / base / round-trip one). A `YAML()`
object of a safe kind stays quiet even when the variable holding it is called `yaml`.
"""

from __future__ import annotations

import ast

from analysis.detectors.python.callsite import CallSite, Reporter
from analysis.detectors.python.values import UNSAFE_YAML_LOADER, YAML_LOADER, Value

_DESERIALISERS = frozenset(
    {
        "pickle.loads",
        "pickle.load",
        "pickle.Unpickler",
        "cPickle.loads",
        "cPickle.load",
        "dill.loads",
        "dill.load",
        "marshal.loads",
        "marshal.load",
        "jsonpickle.decode",
        "pandas.read_pickle",
        "yaml.unsafe_load",
        "yaml.unsafe_load_all",
    }
)
_SAFE_YAML_LOADERS = frozenset(
    {"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader", "RoundTripLoader"}
)
# PyYAML's module functions and ruamel.yaml's legacy ones, which take a `Loader`
_YAML_LOADS = frozenset({"yaml.load", "yaml.load_all", "ruamel.yaml.load", "ruamel.yaml.load_all"})


def check_deserialisation(site: CallSite, out: Reporter) -> None:
    name = site.name
    receiver = site.receiver
    if receiver is not None and receiver.shape in (YAML_LOADER, UNSAFE_YAML_LOADER):
        if receiver.shape == UNSAFE_YAML_LOADER and site.short in ("load", "load_all"):
            _unsafe_yaml(site, out, "ruamel.yaml YAML(typ='unsafe')." + site.short)
        return  # a ruamel.yaml `YAML()` object (round-trip, safe, base): not PyYAML
    if name in _DESERIALISERS:
        found = site.arg(0)
        value = found[1] if found is not None else Value()
        out.sink(
            "unsafe-deserialization", site.node, value, f"{name}()", kind="deserialize", remote=0.95
        )
        out.report("unsafe-deserialization", site.node, 0.75, f"{name}()")
    elif name in _YAML_LOADS and not _ruamel_object_named_yaml(site):
        loader = site.keyword("Loader") or (site.node.args[1] if len(site.node.args) > 1 else None)
        loader_name = ast.unparse(loader).rsplit(".", 1)[-1] if loader is not None else ""
        if loader_name not in _SAFE_YAML_LOADERS:
            used = f" (Loader={loader_name})" if loader_name else ""
            _unsafe_yaml(site, out, f"{name}() without SafeLoader{used}")
    elif name == "shelve.open":
        found = site.arg(0, "filename")
        if found is not None:
            out.sink(
                "unsafe-deserialization",
                site.node,
                found[1],
                "shelve.open()",
                kind="deserialize",
                remote=0.85,
            )


def _ruamel_object_named_yaml(site: CallSite) -> bool:
    """`yaml.load(x)` in a file importing ruamel.yaml but not PyYAML: `yaml` is a
    ruamel `YAML()` object made elsewhere, not the PyYAML module."""
    return (
        site.name.startswith("yaml.") and site.imports_any("ruamel") and "yaml" not in site.imports
    )


def _unsafe_yaml(site: CallSite, out: Reporter, what: str) -> None:
    """A YAML loader that constructs arbitrary Python objects: request data reaching it
    is certain, any document a likely risk."""
    found = site.arg(0, "stream")
    if found is not None:
        out.sink(
            "unsafe-deserialization",
            site.node,
            found[1],
            f"{what}()",
            kind="deserialize",
            remote=0.95,
        )
    out.report("unsafe-deserialization", site.node, 0.85, what)
