from analysis.engine import review_pull_request
from analysis.fingerprint import compute_fingerprint, normalise_content, occurrence_index
from analysis.policy import ReviewPolicy

VULNERABLE = ["def run(cmd):", "    import os", "    os.system(cmd)"]


def _fingerprints(build, lines, path="app/tasks.py"):
    context = build.context([build.file(path, lines)])
    outcome = review_pull_request(context, ReviewPolicy(), run_id="r")
    return {(f.rule_id, f.start_line): f.fingerprint for f in outcome.findings}


def test_same_code_moved_down_twenty_lines_keeps_its_fingerprint(build):
    original = _fingerprints(build, VULNERABLE)
    shifted = _fingerprints(build, [f"X_{i} = {i}" for i in range(20)] + VULNERABLE)
    assert list(original) == [("shell-injection", 3)]
    assert list(shifted) == [("shell-injection", 23)]
    assert original[("shell-injection", 3)] == shifted[("shell-injection", 23)]


def test_reindenting_keeps_the_fingerprint_but_changing_the_line_does_not(build):
    base = _fingerprints(build, VULNERABLE)[("shell-injection", 3)]
    spaced = ["def run(cmd):", "    import os", "    os.system(  cmd )"]
    changed = ["def run(command):", "    import os", "    os.system(command)"]
    assert _fingerprints(build, spaced)[("shell-injection", 3)] != base  # tokens differ
    reindented = ["def run(cmd):", "  import os", "  os.system(cmd)"]
    assert _fingerprints(build, reindented)[("shell-injection", 3)] == base
    assert _fingerprints(build, changed)[("shell-injection", 3)] != base


def test_identical_lines_get_distinct_fingerprints_by_occurrence(build):
    lines = ["import os", "def a(cmd):", "    os.system(cmd)", "def b(cmd):", "    os.system(cmd)"]
    prints = _fingerprints(build, lines)
    assert len(prints) == 2 and len(set(prints.values())) == 2


def test_fingerprint_depends_on_rule_and_path():
    base = compute_fingerprint("sql-injection", "a.py", "x")
    assert base != compute_fingerprint("shell-injection", "a.py", "x")
    assert base != compute_fingerprint("sql-injection", "b.py", "x")
    assert base != compute_fingerprint("sql-injection", "a.py", "x", occurrence=1)
    assert base == compute_fingerprint("sql-injection", "a.py", "  x  ")


def test_normalised_content_masks_secrets_and_collapses_whitespace():
    token = "gh" + "p_" + "Zq8Lr2Vx9Tb4Nc6Md1Kf3Hs7Jw5Pe0Ya2RuXy"
    normalised = normalise_content(f'TOKEN   =  "{token}"')
    assert token not in normalised
    assert normalised.startswith('TOKEN = "ghp_')


def test_occurrence_index_counts_identical_normalised_lines_before():
    lines = ["a = 1", "b = 2", "a  =  1", "a = 1"]
    assert [occurrence_index(lines, i) for i in range(4)] == [0, 0, 1, 2]


def test_adding_a_suppression_comment_keeps_the_fingerprint():
    plain = compute_fingerprint("shell-injection", "a.py", "os.system(cmd)")
    for suffix in (
        "  # warden-ignore[shell-injection]: allow-list",
        " // warden-ignore[shell-injection]: allow-list",
    ):
        assert compute_fingerprint("shell-injection", "a.py", "os.system(cmd)" + suffix) == plain
