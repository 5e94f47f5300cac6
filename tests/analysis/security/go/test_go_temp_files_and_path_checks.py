"""Go: predictable paths in the shared temp directory (os.CreateTemp / O_EXCL stay quiet),
and request names that reach a file after only an emptiness check (os.Root stays quiet)."""

import pytest

from tests.analysis.security.review import review, rule_lines

OPEN = [
    "package export",
    "",
    "import (",
    '\t"fmt"',
    '\t"net/http"',
    '\t"os"',
    '\t"path/filepath"',
    ")",
    "",
    "func save(w http.ResponseWriter, r *http.Request, userID string, data []byte) error {",
]
CLOSE = ["\treturn nil", "}"]
FIRST = len(OPEN) + 1


def _rules(build, body: list[str]) -> list[tuple[str, int]]:
    return rule_lines(review(build, "internal/export/report.go", OPEN + body + CLOSE))


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (['p := fmt.Sprintf("/tmp/report-%s.csv", userID)', "f, _ := os.Create(p)"], 1),
        (['_ = os.WriteFile("/tmp/"+userID+".json", data, 0o600)'], 0),
        (['_ = os.WriteFile(filepath.Join(os.TempDir(), "report-"+userID), data, 0o600)'], 0),
        (
            [
                "dir := os.TempDir()",
                'target := filepath.Join(dir, "cache.bin")',
                "f, _ := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)",
                "f.Close()",
            ],
            2,
        ),
        (['f, _ := os.Create(filepath.Join("/tmp", userID+".csv"))', "f.Close()"], 0),
    ],
)
def test_predictable_temp_path_written(build, body, line):
    assert _rules(build, body) == [("insecure-temp-file", FIRST + line)]


@pytest.mark.parametrize(
    "body",
    [
        ['f, _ := os.CreateTemp("", "report-*.csv")', "f.Close()"],
        [
            'dir, _ := os.MkdirTemp("", "export")',
            '_ = os.WriteFile(filepath.Join(dir, "report.csv"), data, 0o600)',
        ],
        [
            'p := filepath.Join(os.TempDir(), "report-"+userID)',
            "f, _ := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)",
            "f.Close()",
        ],
        ['_ = os.WriteFile(filepath.Join(os.TempDir(), uuid.NewString()+".csv"), data, 0o600)'],
        ['_ = os.WriteFile(filepath.Join("/var/lib/app", userID+".csv"), data, 0o600)'],
        ['f, _ := os.Open("/tmp/report.csv")', "f.Close()"],
    ],
)
def test_private_or_random_temp_path_is_quiet(build, body):
    assert _rules(build, body) == []


def _handler(lines: list[str]) -> list[str]:
    return [
        "package server",
        "",
        'import "net/http"',
        "",
        "func (s *Server) avatar(w http.ResponseWriter, r *http.Request) {",
        *lines,
        "}",
    ]


def test_emptiness_check_does_not_make_a_name_safe(build):
    code = _handler(
        [
            '\tname := r.URL.Query().Get("file")',
            '\tif name == "" || name == "-" {',
            "\t\thttp.NotFound(w, r)",
            "\t\treturn",
            "\t}",
            "\tf, _ := os.Open(filepath.Join(s.dir, name))",
            "\tdefer f.Close()",
        ]
    )
    assert rule_lines(review(build, "internal/server/avatar.go", code)) == [("path-traversal", 11)]


@pytest.mark.parametrize(
    "lines",
    [
        [  # Go 1.24 os.Root keeps every name inside the directory
            '\tname := r.URL.Query().Get("file")',
            '\tif name == "" {',
            "\t\treturn",
            "\t}",
            "\troot, _ := os.OpenRoot(s.dir)",
            "\tf, _ := root.Open(name)",
            "\tdefer f.Close()",
        ],
        [
            '\tname := r.URL.Query().Get("file")',
            '\tif name == "" || !filepath.IsLocal(name) {',
            "\t\treturn",
            "\t}",
            "\tf, _ := os.Open(filepath.Join(s.dir, name))",
            "\tdefer f.Close()",
        ],
        [  # a single allowed name
            '\tname := r.URL.Query().Get("file")',
            '\tif name == "default.png" {',
            "\t\thttp.ServeFile(w, r, filepath.Join(s.dir, name))",
            "\t}",
        ],
    ],
)
def test_confined_or_checked_name_is_quiet(build, lines):
    assert rule_lines(review(build, "internal/server/avatar.go", _handler(lines))) == []
