"""Operating-system misuse: predictable temporary files and world-writable permissions."""

from __future__ import annotations

import ast
import re
import stat

from analysis.detectors.python.callsite import CallSite, Reporter
from analysis.detectors.python.values import Value

_FIXED_TMP = re.compile(r"^/(?:var/)?tmp/")
_WRITE_MODES = re.compile(r"[wax+]")
_CHMOD = {"os.chmod": 1, "os.fchmod": 1, "os.lchmod": 1, "os.mkdir": 1, "os.makedirs": 1}
_WORLD_WRITABLE = stat.S_IWOTH


def check_system(site: CallSite, out: Reporter) -> None:
    if site.name == "tempfile.mktemp":
        out.report(
            "insecure-temp-file",
            site.node,
            0.8,
            "tempfile.mktemp() returns a name another process can claim",
        )
        return
    _fixed_temp_path(site, out)
    _permissions(site, out)


def _fixed_temp_path(site: CallSite, out: Reporter) -> None:
    if site.name not in ("open", "io.open", "os.open"):
        return
    found = site.arg(0, "file")
    path = found[1].literal if found is not None else None
    if not isinstance(path, str) or not _FIXED_TMP.match(path):
        return
    mode = site.arg(1, "mode")
    mode_text = mode[1].literal if mode is not None else "r"
    if site.name == "os.open" or (isinstance(mode_text, str) and _WRITE_MODES.search(mode_text)):
        out.report("insecure-temp-file", site.node, 0.6, f"fixed temporary path {path!r}")


def _permissions(site: CallSite, out: Reporter) -> None:
    mode: tuple[ast.expr, Value] | None = None
    if site.name in _CHMOD:
        mode = site.arg(_CHMOD[site.name], "mode")
    elif site.short == "chmod" and site.receiver is not None and site.receiver.shape == "path":
        mode = site.arg(0, "mode")
    elif site.name == "os.umask":
        found = site.arg(0, "mask")
        if found is not None and found[1].literal == 0:
            out.report(
                "insecure-permissions", site.node, 0.7, "os.umask(0) makes new files world-writable"
            )
        return
    if mode is None:
        return
    bits = mode[1].literal
    if isinstance(bits, int) and not isinstance(bits, bool) and bits & _WORLD_WRITABLE:
        out.report("insecure-permissions", site.node, 0.8, f"mode {oct(bits)} is world-writable")
