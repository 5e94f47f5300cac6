"""Security hits of a Java file on its added lines (tree-sitter + taint)."""

from __future__ import annotations

from analysis.detectors.java.cookies import check_cookies
from analysis.detectors.java.exposure import check_exposure
from analysis.detectors.java.frameworks import check_frameworks
from analysis.detectors.java.hardening import check_hardening, missing_auth_guard
from analysis.detectors.java.injection import check_injection
from analysis.detectors.java.spec import JavaSpec
from analysis.detectors.java.templates import check_templates
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.scan import scan_view
from analysis.files import FileView

_SPEC = JavaSpec()


def scan_java(view: FileView) -> list[Hit]:
    return scan_view(
        view,
        "java",
        _SPEC,
        (
            check_injection,
            check_hardening,
            check_exposure,
            check_frameworks,
            check_templates,
            check_cookies,
        ),
        (missing_auth_guard,),
    )
