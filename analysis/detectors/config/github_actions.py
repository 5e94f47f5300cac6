"""GitHub Actions: untrusted event text in scripts, pull_request_target checking out the PR
head, and write-all tokens."""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from analysis.detectors.config.source import ConfigText
from analysis.detectors.config.yaml_nodes import compose_documents, get, pairs, scalar, value_row
from analysis.detectors.security_catalog import Hit

_UNTRUSTED = re.compile(
    r"\$\{\{[^}]*\b(?:github\.event\.(?:pull_request\.(?:title|body|head\.ref|head\.label"
    r"|head\.repo\.(?:description|homepage))|issue\.(?:title|body)|comment\.body|review\.body"
    r"|review_comment\.body|discussion\.(?:title|body)|pages\.[^}]*\.page_name"
    r"|(?:head_commit|commits[^}]*)\.(?:message|author\.(?:email|name))"
    r"|workflow_run\.(?:head_branch|display_title))|github\.head_ref)\b[^}]*\}\}"
)
_PR_HEAD = re.compile(r"github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref")


def scan_github_actions(source: ConfigText) -> list[Hit]:
    documents = compose_documents(source.text)
    if documents is None:
        return []
    hits: list[Hit] = []
    for document in documents:
        target = _on_pull_request_target(document)
        for path, key, value in pairs(document):
            name = key.value
            if name in ("run", "script") and isinstance(value, ScalarNode):
                for match in _UNTRUSTED.finditer(str(value.value)):
                    line = source.line(value_row(value, match.start()))
                    detail = f"{match.group(0)} interpolated into a {name} step"
                    hits.append(Hit("ci-script-injection", line, line, 0.9, detail))
            if (
                name == "ref"
                and target
                and path[-1:] == ("with",)
                and _PR_HEAD.search(scalar(value) or "")
            ):
                line = source.line(value.start_mark.line)
                hits.append(
                    Hit(
                        "ci-untrusted-checkout",
                        line,
                        line,
                        0.85,
                        "pull_request_target checks out the PR head",
                    )
                )
            if name == "permissions" and scalar(value) == "write-all":
                line = source.line(value.start_mark.line)
                hits.append(Hit("insecure-permissions", line, line, 0.8, "permissions: write-all"))
    return hits


def _on_pull_request_target(document: Node) -> bool:
    trigger = get(document, "on") or get(document, "true")
    if isinstance(trigger, ScalarNode):
        return trigger.value == "pull_request_target"
    if isinstance(trigger, SequenceNode):
        return any(scalar(item) == "pull_request_target" for item in trigger.value)
    if isinstance(trigger, MappingNode):
        return get(trigger, "pull_request_target") is not None
    return False
