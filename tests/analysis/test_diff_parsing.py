from analysis.diff import parse_patch

MULTI_HUNK = """@@ -1,4 +1,5 @@ import os
 import os
-import sys
+import sys, re
+import json

 def a():
@@ -20,3 +21,4 @@ def b():
     x = 1
+    y = 2
     return x
\\ No newline at end of file"""


def test_added_lines_carry_new_file_line_numbers_across_hunks():
    parsed = parse_patch(MULTI_HUNK)
    assert len(parsed.hunks) == 2
    assert [(line.new_line, line.text) for line in parsed.added_lines] == [
        (2, "import sys, re"),
        (3, "import json"),
        (22, "    y = 2"),
    ]
    assert parsed.hunks[0].section == "import os"


def test_removed_lines_carry_old_line_numbers():
    parsed = parse_patch(MULTI_HUNK)
    assert [(line.old_line, line.text) for line in parsed.removed_lines] == [(2, "import sys")]


def test_blank_context_line_without_leading_space_still_counts():
    parsed = parse_patch(MULTI_HUNK)
    context = [line for line in parsed.hunks[0].lines if line.kind == "context"]
    assert [(line.new_line, line.text) for line in context] == [
        (1, "import os"),
        (4, ""),
        (5, "def a():"),
    ]


def test_no_newline_marker_flags_the_last_line_and_is_not_a_line():
    parsed = parse_patch(MULTI_HUNK)
    last = parsed.hunks[1].lines[-1]
    assert last.text == "    return x"
    assert last.no_newline_at_end is True
    assert all("No newline" not in line.text for hunk in parsed.hunks for line in hunk.lines)


def test_no_newline_marker_between_removed_and_added_versions():
    patch = "@@ -1 +1 @@\n-old\n\\ No newline at end of file\n+new\n\\ No newline at end of file"
    parsed = parse_patch(patch)
    assert [line.text for line in parsed.removed_lines] == ["old"]
    assert [(line.new_line, line.text) for line in parsed.added_lines] == [(1, "new")]
    assert parsed.removed_lines[0].no_newline_at_end and parsed.added_lines[0].no_newline_at_end


def test_new_file_patch_and_file_headers_are_skipped():
    patch = "diff --git a/x.py b/x.py\n--- /dev/null\n+++ b/x.py\n@@ -0,0 +1,2 @@\n+a = 1\n+b = 2\n"
    parsed = parse_patch(patch)
    assert parsed.added_line_numbers == frozenset({1, 2})
    assert parsed.removed_lines == []


def test_lines_that_look_like_headers_inside_a_hunk_are_content():
    patch = "@@ -1,2 +1,2 @@\n--- a comment\n+++ counter\n ctx"
    parsed = parse_patch(patch)
    assert [line.text for line in parsed.removed_lines] == ["-- a comment"]
    assert [line.text for line in parsed.added_lines] == ["++ counter"]


def test_crlf_line_endings_are_stripped():
    parsed = parse_patch("@@ -0,0 +1,1 @@\n+x = 1\r\n")
    assert parsed.added_lines[0].text == "x = 1"


def test_empty_or_missing_patch_has_no_hunks():
    assert parse_patch(None).hunks == ()
    assert parse_patch("").added_lines == []
    assert parse_patch("Binary files differ").hunks == ()
