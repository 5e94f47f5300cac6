"""Java redirects built by response APIs (WebFlux, Spring ResponseEntity, Micronaut, JAX-RS,
servlet Location headers): request data as the target is an open redirect; same-site paths,
checked choices, filtered Optionals and non-redirect statuses stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines


def _handler(params: str, *body: str, returns: str = "Mono<ServerResponse>") -> list[str]:
    return [
        "package app;",
        "public class AccountHandler {",
        f"    public {returns} done({params}) {{",
        *body,
        "    }",
        "}",
    ]


WEBFLUX = "ServerRequest req"
NEXT = '        String next = req.queryParam("next").orElse("/home");'


@pytest.mark.parametrize(
    ("params", "body", "returns"),
    [
        (WEBFLUX, [NEXT, "        return ServerResponse.seeOther(URI.create(next)).build();"],
         "Mono<ServerResponse>"),
        (WEBFLUX, [NEXT, "        return ServerResponse.permanentRedirect(new URI(next)).build();"],
         "Mono<ServerResponse>"),
        (WEBFLUX, [NEXT, "        return ServerResponse.status(HttpStatus.TEMPORARY_REDIRECT)",
                   "                .location(URI.create(next)).build();"],
         "Mono<ServerResponse>"),
        ("@RequestParam String next",
         ["        return ResponseEntity.status(HttpStatus.SEE_OTHER)",
          "                .location(URI.create(next)).build();"],
         "ResponseEntity<Void>"),
        ("@RequestParam String next",
         ["        return ResponseEntity.status(301).header(HttpHeaders.LOCATION, next).build();"],
         "ResponseEntity<Void>"),
        ("@QueryValue String next",
         ["        return HttpResponse.temporaryRedirect(URI.create(next));"], "HttpResponse<?>"),
        ("ServerWebExchange exchange",
         ['        String next = exchange.getRequest().getQueryParams().getFirst("next");',
          "        exchange.getResponse().setStatusCode(HttpStatus.FOUND);",
          "        exchange.getResponse().getHeaders().setLocation(URI.create(next));",
          "        return exchange.getResponse().setComplete();"], "Mono<Void>"),
        ("HttpServletRequest request, HttpServletResponse response",
         ["        response.setStatus(HttpServletResponse.SC_SEE_OTHER);",
          '        response.setHeader("Location", request.getParameter("to"));'], "void"),
        ("@RequestParam String next",
         ["        URI target = UriComponentsBuilder.fromUriString(next).build().toUri();",
          "        return ResponseEntity.status(HttpStatus.FOUND).location(target).build();"],
         "ResponseEntity<Void>"),
    ],
)  # fmt: skip
def test_request_data_as_redirect_target(build, params, body, returns):
    code = _handler(params, *body, returns=returns)
    findings = rule_lines(review(build, "src/AccountHandler.java", code))
    assert [rule for rule, _ in findings] == ["open-redirect"], findings


@pytest.mark.parametrize(
    ("params", "body", "returns"),
    [
        # a same-site path built around the value
        (WEBFLUX, [NEXT, '        return ServerResponse.seeOther(URI.create("/orders/" + next))'
                         ".build();"], "Mono<ServerResponse>"),
        # chosen only after an allow-list check
        (WEBFLUX, [NEXT, '        String target = SAFE_PAGES.contains(next) ? next : "/home";',
                   "        return ServerResponse.seeOther(URI.create(target)).build();"],
         "Mono<ServerResponse>"),
        # the Optional is filtered before use
        (WEBFLUX, ['        String next = req.queryParam("next")',
                   '                .filter(p -> p.startsWith("/") && !p.startsWith("//"))',
                   '                .orElse("/home");',
                   "        return ServerResponse.seeOther(URI.create(next)).build();"],
         "Mono<ServerResponse>"),
        # an `if` allow-list that leaves the handler
        ("@RequestParam String next",
         ["        if (!ALLOWED_TARGETS.contains(next)) {",
          "            return ResponseEntity.badRequest().build();", "        }",
          "        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(next))"
          ".build();"], "ResponseEntity<Void>"),
        # Location on a 201 Created is not a redirect
        ("@RequestParam String next",
         ["        return ResponseEntity.created(URI.create(next)).build();"],
         "ResponseEntity<Void>"),
        ("@RequestParam String next",
         ["        return ResponseEntity.status(HttpStatus.NOT_FOUND)",
          "                .header(HttpHeaders.LOCATION, next).build();"], "ResponseEntity<Void>"),
        # a constant target
        (WEBFLUX, ['        return ServerResponse.seeOther(URI.create("/home")).build();'],
         "Mono<ServerResponse>"),
    ],
)  # fmt: skip
def test_checked_or_non_redirect_targets_are_quiet(build, params, body, returns):
    code = _handler(params, *body, returns=returns)
    assert rule_lines(review(build, "src/AccountHandler.java", code)) == []


def test_redirect_reported_on_the_redirect_line(build):
    code = _handler(
        WEBFLUX, NEXT, "        return ServerResponse.seeOther(URI.create(next)).build();"
    )
    assert rule_lines(review(build, "src/AccountHandler.java", code)) == [("open-redirect", 5)]


def test_servlet_redirect_to_a_checked_choice_is_quiet(build):
    servlet = "HttpServletRequest request, HttpServletResponse response"
    checked = ['        String to = request.getParameter("to");',
               '        response.sendRedirect(KNOWN_PAGES.contains(to) ? to : "/");']  # fmt: skip
    code = _handler(servlet, *checked, returns="void")
    assert rule_lines(review(build, "src/AccountHandler.java", code)) == []
    unchecked = [checked[0], "        response.sendRedirect(to);"]
    code = _handler(servlet, *unchecked, returns="void")
    assert rule_lines(review(build, "src/AccountHandler.java", code)) == [("open-redirect", 5)]
