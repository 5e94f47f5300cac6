"""Run a language's taint walk over a file view and keep the hits on added lines."""

from __future__ import annotations

from collections.abc import Callable

from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import ParsedSource, parse_view
from analysis.detectors.treesitter.taint import Check, LanguageSpec, TaintWalk, select_added
from analysis.files import FileView

Extra = Callable[[ParsedSource, TaintWalk], list[Hit]]


def scan_view(
    view: FileView,
    grammar: str,
    spec: LanguageSpec,
    checks: tuple[Check, ...],
    extras: tuple[Extra, ...] = (),
) -> list[Hit]:
    """Hits of `checks` (run during the taint walk) and `extras` (run after it, on the whole
    tree), restricted to the view's added lines."""
    parsed = parse_view(view, grammar)
    walk = TaintWalk(spec, parsed, checks)
    hits = walk.run()
    for extra in extras:
        hits.extend(extra(parsed, walk))
    return select_added(hits, walk, view.added)
