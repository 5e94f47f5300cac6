"""Java: ProcessBuilder given a fixed, non-shell program and separate arguments runs no
shell; a shell program or a request-built program is still command injection."""

import pytest

from tests.analysis.security.review import review, rule_lines

OPEN = [
    "package app;",
    "",
    "class Tools {",
    "    Process run(HttpServletRequest request) throws Exception {",
    '        String target = request.getParameter("target");',
]
CLOSE = ["    }", "}"]
LINE = len(OPEN) + 1


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ('return new ProcessBuilder("traceroute", "-n", target).start();', []),
        ('return new ProcessBuilder("/usr/bin/dig", "+short", target).start();', []),
        (
            'return new ProcessBuilder("sh", "-c", "traceroute " + target).start();',
            [("shell-injection", LINE)],
        ),
        (
            'return new ProcessBuilder("/bin/bash", "-c", "dig " + target).start();',
            [("shell-injection", LINE)],
        ),
        ("return new ProcessBuilder(target).start();", [("shell-injection", LINE)]),
        (
            'return Runtime.getRuntime().exec("nslookup " + target);',
            [("shell-injection", LINE)],
        ),
    ],
)
def test_process_builder(build, statement, expected):
    code = [*OPEN, "        " + statement, *CLOSE]
    assert rule_lines(review(build, "src/main/java/app/Tools.java", code)) == expected
