"""Security hits of a JavaScript/TypeScript file on its added lines (tree-sitter + taint)."""

from __future__ import annotations

from analysis.detectors.javascript.components import is_component, markup_hits, script_lines
from analysis.detectors.javascript.file_facts import file_facts
from analysis.detectors.javascript.framework_sinks import check_framework_sinks
from analysis.detectors.javascript.hardening import check_hardening
from analysis.detectors.javascript.injection import check_injection
from analysis.detectors.javascript.llm_prompts import check_llm_prompt
from analysis.detectors.javascript.nest_guards import missing_nest_guard
from analysis.detectors.javascript.routes import missing_auth_guard
from analysis.detectors.javascript.spec import JavaScriptSpec
from analysis.detectors.javascript.system import check_system
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import ParsedSource, parse_view
from analysis.detectors.treesitter.scan import scan_view
from analysis.detectors.treesitter.taint import TaintWalk
from analysis.files import FileView

_GRAMMARS = {"javascript": "javascript", "typescript": "typescript", "tsx": "tsx"}
_UNUSED_SQL_CONFIDENCE = 0.6
_CHECKS = (check_injection, check_hardening, check_system, check_framework_sinks, check_llm_prompt)


def scan_javascript(view: FileView) -> list[Hit]:
    if is_component(view.path):
        return _scan_component(view)
    grammar = _GRAMMARS.get(view.language, "javascript")
    if grammar == "javascript" and view.path.lower().endswith((".ts", ".mts", ".cts")):
        grammar = "typescript"
    return scan_view(view, grammar, _spec(view, grammar), _CHECKS, (_unused_sql_builds, _routes))


def _spec(view: FileView, grammar: str) -> JavaScriptSpec:
    """The reader of this file: what its imports and directives say (parsed once, cached)."""
    return JavaScriptSpec(file_facts(parse_view(view, grammar).source))


def _scan_component(view: FileView) -> list[Hit]:
    """A Vue / Svelte component: its markup's raw-HTML bindings, and its `<script>` alone
    (only when the head file is known; a patch alone cannot tell script from markup)."""
    hits = markup_hits(view)
    lines = view.head_lines
    if lines is None:
        return hits
    kept, typescript = script_lines(lines)
    if not any(line.strip() for line in kept):
        return hits
    script = view.changed.model_copy(update={"content": "\n".join(kept) + "\n"})
    grammar = "typescript" if typescript else "javascript"
    script_view = FileView(script)
    spec = _spec(script_view, grammar)
    hits.extend(scan_view(script_view, grammar, spec, _CHECKS, (_unused_sql_builds,)))
    return hits


def _unused_sql_builds(parsed: ParsedSource, walk: TaintWalk) -> list[Hit]:
    """SQL text assembled from variables and not sent to a query call in this file (it is
    reported where it is built; where it reaches a query the sink reports it instead)."""
    built = walk.notes.get("sql_build", set())
    used = walk.notes.get("sql_used", set())
    return [
        Hit(
            "sql-injection",
            line,
            line,
            _UNUSED_SQL_CONFIDENCE,
            "SQL statement assembled from variables",
        )
        for line in sorted(built - used)
    ]


def _routes(parsed: ParsedSource, walk: TaintWalk) -> list[Hit]:
    return missing_auth_guard(parsed) + missing_nest_guard(parsed)
