"""Security hits of a Go file on its added lines (tree-sitter + taint)."""

from __future__ import annotations

from analysis.detectors.go.checks import check_go
from analysis.detectors.go.hardening import missing_route_guard
from analysis.detectors.go.spec import GoSpec
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.scan import scan_view
from analysis.files import FileView

_SPEC = GoSpec()


def scan_go(view: FileView) -> list[Hit]:
    return scan_view(view, "go", _SPEC, (check_go,), (missing_route_guard,))
