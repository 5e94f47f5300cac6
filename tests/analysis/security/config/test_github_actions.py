"""GitHub Actions: event text in run scripts, pull_request_target checkouts, write-all."""

from tests.analysis.security.review import review, rule_lines

PATH = ".github/workflows/ci.yml"


def test_untrusted_title_in_run_block(build):
    after = [
        "on: pull_request",
        "jobs:",
        "  greet:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - run: |",
        "          echo building",
        '          echo "${{ github.event.pull_request.title }}"',
        "      - run: echo ${{ github.sha }}",
        "      - env:",
        "          TITLE: ${{ github.event.pull_request.title }}",
        '        run: echo "$TITLE"',
    ]
    assert rule_lines(review(build, PATH, after)) == [("ci-script-injection", 8)]


def test_inline_run_with_head_ref(build):
    after = [
        "on: push",
        "jobs:",
        "  a:",
        "    steps:",
        "      - run: git checkout ${{ github.head_ref }}",
    ]
    assert rule_lines(review(build, PATH, after)) == [("ci-script-injection", 5)]


def test_pull_request_target_checking_out_the_head(build):
    after = [
        "on:",
        "  pull_request_target:",
        "    types: [opened]",
        "permissions: write-all",
        "jobs:",
        "  build:",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "        with:",
        "          ref: ${{ github.event.pull_request.head.sha }}",
    ]
    assert rule_lines(review(build, PATH, after)) == [
        ("ci-untrusted-checkout", 10),
        ("insecure-permissions", 4),
    ]


def test_pull_request_checkout_of_head_is_fine(build):
    after = [
        "on: pull_request",
        "permissions:",
        "  contents: read",
        "jobs:",
        "  build:",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "        with:",
        "          ref: ${{ github.event.pull_request.head.sha }}",
    ]
    assert rule_lines(review(build, PATH, after)) == []
