"""Operating-system misuse: predictable temporary files and insecure file permissions."""

from __future__ import annotations

import re

from analysis.detectors.python.callsite import CallSite, Reporter
from analysis.detectors.python.permissions import check_permissions

_FIXED_TMP = re.compile(r"^/(?:var/)?tmp/")
_WRITE_MODES = re.compile(r"[wax+]")


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
    check_permissions(site, out)


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
