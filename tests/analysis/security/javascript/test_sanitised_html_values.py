"""Raw-HTML sinks fed by sanitised values: through `useMemo`, a conditional, a helper, string
building, and sanitiser modules under the names a file imports them by (isomorphic-dompurify,
a DOMPurify instance, sanitize-html, xss). An unsanitised branch or a sanitiser for another
sink (mongo-sanitize) is still reported."""

import pytest

from tests.analysis.security.review import review, rule_lines

SINK = "  return <article dangerouslySetInnerHTML={{ __html: html }} />;"

QUIET = [
    [
        "import DOMPurify from 'isomorphic-dompurify';",
        "export function Review({ text }: { text?: string }) {",
        "  const html = useMemo(",
        "    () => (text ? DOMPurify.sanitize(text, { ALLOWED_TAGS: ['p', 'em'] }) : '<p>-</p>'),",
        "    [text],",
        "  );",
        SINK,
        "}",
    ],
    [
        "import clean from 'sanitize-html';",
        "export function Review({ text }: Props) {",
        "  const html = clean(text, { allowedTags: ['p', 'em'] });",
        SINK,
        "}",
    ],
    [
        "import createDOMPurify from 'dompurify';",
        "const purifier = createDOMPurify(window);",
        "export function Review({ text }: Props) {",
        "  const html = purifier.sanitize(text);",
        SINK,
        "}",
    ],
    [
        "import xss from 'xss';",
        "const reviewFilter = new xss.FilterXSS({ whiteList: { p: [], em: [] } });",
        "export function Review({ text }: Props) {",
        "  const html = reviewFilter.process(text);",
        SINK,
        "}",
    ],
    [
        "import { filterXSS } from 'xss';",
        "export function Review({ text, author }: Props) {",
        "  const html = '<p>' + filterXSS(text) + '</p><i>' + filterXSS(author) + '</i>';",
        SINK,
        "}",
    ],
    [
        "function toSafeHtml(markdown: string) {",
        "  return DOMPurify.sanitize(marked.parse(markdown) as string);",
        "}",
        "export function Review({ text }: Props) {",
        "  const html = React.useMemo(() => toSafeHtml(text), [text]);",
        SINK,
        "}",
    ],
]


@pytest.mark.parametrize("code", QUIET)
def test_sanitised_html_stays_quiet(build, code):
    assert rule_lines(review(build, "web/components/Review.tsx", code)) == []


REPORTED = [
    [
        "import DOMPurify from 'dompurify';",
        "export function Review({ text, trusted }: Props) {",
        "  const html = useMemo(() => (trusted ? text : DOMPurify.sanitize(text)), [text]);",
        SINK,
        "}",
    ],
    [
        "export function Review({ text }: Props) {",
        "  const html = useMemo(() => marked.parse(text), [text]);",
        SINK,
        "}",
    ],
    [
        "import scrub from 'mongo-sanitize';",
        "export function Review({ text }: Props) {",
        "  const html = scrub(text);",
        SINK,
        "}",
    ],
]


@pytest.mark.parametrize("code", REPORTED)
def test_unsanitised_html_is_reported(build, code):
    line = code.index(SINK) + 1
    assert rule_lines(review(build, "web/components/Review.tsx", code)) == [("xss", line)]


def test_a_conditional_value_is_its_branches_not_its_condition(build):
    code = [
        "app.get('/badge', (req, res) => {",
        "  const label = req.query.admin ? '<b>admin</b>' : '<i>member</i>';",
        "  res.send(label);",
        "  const echoed = req.query.plain ? req.query.name : 'anonymous';",
        "  res.send(`<p>${echoed}</p>`);",
        "});",
    ]
    assert rule_lines(review(build, "src/routes/badge.js", code)) == [("xss", 5)]
