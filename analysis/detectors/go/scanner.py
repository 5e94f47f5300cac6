"""Security hits of a Go file on its added lines (tree-sitter + taint).

The walk is repeated (a few times at most) while it finds request data passed to a helper
declared in the file, so that sinks inside the helper see it (see `callers`)."""

from __future__ import annotations

from analysis.detectors.go.callers import CallRecorder, SeededSpec, Seeds, merged
from analysis.detectors.go.checks import check_go
from analysis.detectors.go.hardening import missing_route_guard
from analysis.detectors.go.spec import GoSpec
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import parse_view
from analysis.detectors.treesitter.taint import TaintWalk, select_added
from analysis.files import FileView

_SPEC = GoSpec()
_MAX_WALKS = 3  # a helper calling a helper calling the sink


def scan_go(view: FileView) -> list[Hit]:
    parsed = parse_view(view, "go")
    seeds: Seeds = {}
    spec = _SPEC
    for _ in range(_MAX_WALKS):
        recorder = CallRecorder(parsed, _SPEC)
        walk = TaintWalk(spec, parsed, (check_go, recorder))
        hits = walk.run()
        found = merged(seeds, recorder.seeds)
        if found == seeds:
            break
        seeds = found
        spec = SeededSpec(seeds)
    hits.extend(missing_route_guard(parsed, walk))
    return select_added(hits, walk, view.added)
