"""The engine runs its regular expressions over attacker-written PR text: none of them may
backtrack exponentially (Warden's own ReDoS check, applied to Warden)."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys

import analysis
from analysis.detectors.regex_safety import is_redos_prone

#: flagged by the (conservative) checker but linear, with the reason; each is also exercised
#: on adversarial input below
REVIEWED = {
    "analysis.detectors.javascript.file_facts._USE_SERVER": (
        "a line comment must end at its newline and a block comment cannot contain */, so "
        "each leading comment matches one way only"
    ),
}


def _module_patterns() -> dict[str, str]:
    patterns: dict[str, str] = {}
    for info in pkgutil.walk_packages(analysis.__path__, "analysis."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            values = value if isinstance(value, tuple | list) else (value,)
            for index, item in enumerate(values):
                if isinstance(item, re.Pattern):
                    key = f"{info.name}.{name}" + (f"[{index}]" if values is value else "")
                    patterns[key] = item.pattern
    return patterns


def test_no_module_level_pattern_is_flagged_by_the_redos_check():
    patterns = _module_patterns()
    assert len(patterns) > 300  # the detectors' patterns were all found
    flagged = {key for key, pattern in patterns.items() if is_redos_prone(pattern)}
    assert flagged <= set(REVIEWED), sorted(flagged - set(REVIEWED))


def test_use_server_directive_survives_crafted_comment_runs():
    from analysis.detectors.javascript.file_facts import _USE_SERVER

    assert _USE_SERVER.match(
        '// generated\n/* a * b */\n"use server";\nexport async function f() {}'
    )
    assert not _USE_SERVER.match('/* x */ const a = 1; "use server"')
    assert not _USE_SERVER.match('// mentions "use server" in a comment')
    # in a child process with a generous timeout: exponential backtracking would never end
    probe = (
        "from analysis.detectors.javascript.file_facts import _USE_SERVER as p\n"
        "assert not p.match('//' * 2000 + 'x')\n"
        "assert not p.match('/**/ ' * 2000 + 'x')\n"
        "assert not p.match('// a\\n' * 2000 + 'x')\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, timeout=60)
