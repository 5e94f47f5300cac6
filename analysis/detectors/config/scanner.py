"""Security hits of a configuration file (Dockerfile, GitHub Actions, Kubernetes, Terraform)
on its added lines."""

from __future__ import annotations

from dataclasses import replace

from analysis.detectors.config.dockerfile import scan_dockerfile
from analysis.detectors.config.github_actions import scan_github_actions
from analysis.detectors.config.kubernetes import looks_like_kubernetes, scan_kubernetes
from analysis.detectors.config.source import config_text
from analysis.detectors.config.terraform import scan_terraform
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import parse_view
from analysis.files import CONFIG_LANGUAGES, FileView

__all__ = ["CONFIG_LANGUAGES", "scan_config"]


def scan_config(view: FileView) -> list[Hit]:
    language = view.language
    if language == "terraform":
        hits = scan_terraform(parse_view(view, "hcl"))
    elif language == "dockerfile":
        removed_user = any(
            line.text.strip().upper().startswith("USER ") for line in view.patch.removed_lines
        )
        hits = scan_dockerfile(config_text(view), removed_user)
    elif language == "github_actions":
        hits = scan_github_actions(config_text(view))
    elif language in ("kubernetes", "yaml"):
        source = config_text(view)
        if language == "yaml" and not looks_like_kubernetes(source.text):
            return []
        hits = scan_kubernetes(source, view.added)
    else:
        return []
    return _on_added_lines(view, hits)


def _on_added_lines(view: FileView, hits: list[Hit]) -> list[Hit]:
    kept: list[Hit] = []
    for hit in hits:
        touched = [n for n in range(hit.line, hit.end_line + 1) if n in view.added]
        if touched:
            kept.append(replace(hit, line=touched[0], end_line=touched[0]))
    return kept
