"""Java servlet output: request text written to an HTML (or undeclared) response is XSS; a
response declared text/plain or JSON, and text stripped to an allow-listed character set,
stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines


def _servlet(*body: str) -> list[str]:
    return [
        "package app;",
        "public class ProfileServlet extends HttpServlet {",
        "    protected void doGet(HttpServletRequest req, HttpServletResponse resp)",
        "            throws IOException {",
        '        String nick = req.getParameter("nick");',
        *body,
        "    }",
        "}",
    ]


WRITE = '        resp.getWriter().println("<b>" + nick + "</b>");'


@pytest.mark.parametrize(
    "declared",
    [
        [],  # no declared type: the container default may be sniffed as HTML
        ['        resp.setContentType("text/html; charset=UTF-8");'],
        ['        resp.setContentType("application/xhtml+xml");'],
        ["        resp.setContentType(MediaType.TEXT_HTML_VALUE);"],
        ["        resp.setContentType(chosenType);"],  # unknown at review time
        # one branch declares plain text, another HTML: not proven safe
        ['        resp.setContentType("text/plain");', '        resp.setContentType("text/html");'],
    ],
)
def test_request_text_in_a_possibly_html_response(build, declared):
    code = _servlet(*declared, WRITE)
    assert rule_lines(review(build, "src/ProfileServlet.java", code)) == [
        ("xss", 6 + len(declared))
    ]


@pytest.mark.parametrize(
    "declared",
    [
        ['        resp.setContentType("text/plain;charset=UTF-8");'],
        ['        resp.setContentType("application/json");'],
        ["        resp.setContentType(MediaType.APPLICATION_JSON_VALUE);"],
        ['        resp.setHeader("Content-Type", "text/csv");'],
        ['        resp.addHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json");'],
    ],
)
def test_request_text_in_a_declared_non_markup_response_is_quiet(build, declared):
    code = _servlet(*declared, WRITE)
    assert rule_lines(review(build, "src/ProfileServlet.java", code)) == []


@pytest.mark.parametrize(
    "pattern",
    [r'"[^A-Za-z0-9_ -]"', r'"[^\\w.-]"', r'"[^0-9a-f]"'],
)
def test_text_reduced_to_an_allow_list_is_quiet(build, pattern):
    write = f'        resp.getWriter().println("<b>" + nick.replaceAll({pattern}, "") + "</b>");'
    assert rule_lines(review(build, "src/ProfileServlet.java", _servlet(write))) == []


@pytest.mark.parametrize(
    ("pattern", "replacement"),
    [
        (r'"[<>]"', '""'),  # removes some markup characters, keeps quotes and ampersands
        (r'"[^A-Za-z0-9<>/]"', '""'),  # the allow-list keeps tag characters
        (r'"[^\\p{L}]"', '""'),  # a class this check does not expand
        (r'"[^a-z]"', '"$0"'),  # a group reference, not a literal replacement
    ],
)
def test_partial_or_unread_stripping_is_still_reported(build, pattern, replacement):
    write = (
        f'        resp.getWriter().println("<b>" + nick.replaceAll({pattern}, {replacement})'
        ' + "</b>");'
    )
    assert rule_lines(review(build, "src/ProfileServlet.java", _servlet(write))) == [("xss", 6)]


def test_allow_list_for_html_does_not_clear_a_path(build):
    code = _servlet(
        '        String safe = nick.replaceAll("[^A-Za-z0-9./]", "");',
        '        File avatar = new File("/srv/avatars", safe);',
    )
    assert rule_lines(review(build, "src/ProfileServlet.java", code)) == [("path-traversal", 7)]
