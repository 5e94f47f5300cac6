"""ReDoS-prone patterns are recognised from their parse tree; ordinary patterns are not."""

import pytest

from analysis.detectors.regex_safety import is_redos_prone

PRONE = [
    r"(a+)+$",
    r"^(\w+\s?)*$",
    r"(a|aa)+",
    r"(aa?)+$",
    r"(ab|abab)+c",
    r"(\d+\d)+x",
    r"(a*)*b",
    r"((ab)*)+c",
    r"(\w+|\d+)*!",
    r"(x{1,5})+y",
    r"(?:\s*\w+\s*)+$",
    r"(.*a){2,}",
    r"^([a-z0-9])(([\-.]|[_]+)?([a-z0-9]+))*@example\.com$",
    r"(?i)^(?:[A-Z]+\d?)+$",
    r"'(?:\\.|[^'])*",  # an escaped pair also matches as two plain characters
    r"(?:a|.)*b",
]

SAFE = [
    r"^\d+$",
    r"a+b+c+",
    r"(a|b)+",
    r"(\w|\d)+x",  # single-character alternatives compile to one character class
    r"(ab|ac)+",
    r"(ab?)+",
    r"^[a-z]+(\.[a-z]+)*$",
    r"([a-z]+\.)+com",
    r"(\d{1,3}\.){3}\d{1,3}",
    r"(?:\s*,\s*\w+)*",
    r"(\w+-)+\w+",
    r'(?:[^"\\]|\\.)*"',
    r"^(\+|-)?\d+$",
    r"^[\w.+-]+@[\w-]+\.[\w.-]+$",
    r"(?>a+)+",  # atomic group: no backtracking into it
    r"(a++)+",  # possessive
    r"(a+)",
    r"(a+){3}",  # bounded outer repeat
    r"(?:[0-9]+)(?:(?:, ?|,? and )(?:[0-9]+))*",  # alternatives over different characters
    r"\$\w*(\.\w+(\([^)]*\))?)*",  # an optional part with its own delimiters
]


@pytest.mark.parametrize("pattern", PRONE)
def test_nested_or_overlapping_quantifiers_are_prone(pattern):
    assert is_redos_prone(pattern) is True


@pytest.mark.parametrize("pattern", SAFE)
def test_linear_patterns_are_not_prone(pattern):
    assert is_redos_prone(pattern) is False


@pytest.mark.parametrize("pattern", ["(", "[a-", "(?P<x>a)(?P=y)", "", "a" * 5000 + "(a+)+"])
def test_invalid_empty_or_huge_patterns_are_not_reported(pattern):
    assert is_redos_prone(pattern) is False


def test_dotall_flag_changes_what_dot_can_absorb():
    assert is_redos_prone(r"(.+\n)+x") is False
    assert is_redos_prone(r"(?s)(.+\n)+x") is True


def test_nested_repeat_inside_a_lookahead_is_found():
    assert is_redos_prone(r"^(?=(\w+\s?)*$)\w") is True
    assert is_redos_prone(r"^(?=\w+$)\w") is False
