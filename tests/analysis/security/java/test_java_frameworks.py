"""Java frameworks: MyBatis annotation mappers, WebFlux, Micronaut, JAX-RS/Quarkus and Vert.x
sources and sinks, and XXE reported once at the parse of an unhardened builder."""

import pytest

from tests.analysis.security.review import review, rule_lines


def _class(*members: str) -> list[str]:
    return ["package app;", "public class Handler {", *members, "}"]


def _mapper(annotation: str, signature: str) -> list[str]:
    return ["package app;", "@Mapper", "public interface UserMapper {",
            f"    {annotation}", f"    {signature}", "}"]  # fmt: skip


@pytest.mark.parametrize(
    ("annotation", "signature"),
    [
        ("@Select(\"SELECT * FROM users WHERE name = '${name}'\")",
         'User find(@Param("name") String name);'),
        ('@Select({"SELECT * FROM users", "ORDER BY ${column}"})',
         'List<User> list(@Param("column") String column);'),
        ('@Delete("DELETE FROM users WHERE team = ${team}")', "int drop(String team);"),
    ],
)  # fmt: skip
def test_mybatis_raw_substitution(build, annotation, signature):
    findings = review(build, "src/UserMapper.java", _mapper(annotation, signature))
    assert rule_lines(findings) == [("sql-injection", 4)]


@pytest.mark.parametrize(
    ("annotation", "signature"),
    [
        ('@Select("SELECT * FROM users WHERE name = #{name}")',
         'User find(@Param("name") String name);'),
        ('@Select("SELECT * FROM users LIMIT ${limit}")',
         'List<User> page(@Param("limit") int limit);'),
        ('@Delete("${api.prefix}/users/{id}")', "void remove(@PathVariable Long id);"),
    ],
)  # fmt: skip
def test_mybatis_near_misses(build, annotation, signature):
    assert rule_lines(review(build, "src/UserMapper.java", _mapper(annotation, signature))) == []


POSITIVES = [
    (
        [
            "    public Mono<String> fetch(ServerRequest request) {",
            '        String url = request.queryParam("url").orElseThrow();',
            "        return WebClient.create(url).get().retrieve().bodyToMono(String.class);",
        ],
        "ssrf",
    ),
    (
        [
            "    public Mono<String> fetch(ServerRequest request) {",
            '        String target = request.pathVariable("host");',
            "        return client.get().uri(target).retrieve().bodyToMono(String.class);",
        ],
        "ssrf",
    ),
    (
        [
            "    @Post",
            "    public Object load(@Body byte[] data) throws Exception {",
            "        return new ObjectInputStream(new ByteArrayInputStream(data)).readObject();",
        ],
        "unsafe-deserialization",
    ),
    (
        [
            "    @POST",
            "    public Object load(InputStream body) throws Exception {",
            "        return new ObjectInputStream(body).readObject();",
        ],
        "unsafe-deserialization",
    ),
    (
        [
            "    @POST",
            '    public Response go(@FormParam("next") String next) {',
            "        return Response.seeOther(URI.create(next)).build();",
        ],
        "open-redirect",
    ),
    (
        [
            "    @GET",
            '    public String find(@QueryValue String name, @PathParam("t") String t) {',
            "        return jdbc.queryForObject(\"SELECT n FROM \" + t"
            " + \" WHERE n = '\" + name + \"'\", String.class);",
        ],
        "sql-injection",
    ),
    (
        [
            "    void handle(RoutingContext routingContext) {",
            '        String file = routingContext.request().getParam("file");',
            '        routingContext.response().sendFile("/srv/files/" + file);',
        ],
        "path-traversal",
    ),
    (
        [
            "    void handle(RoutingContext ctx) {",
            '        ctx.redirect(ctx.queryParam("next").get(0));',
        ],
        "open-redirect",
    ),
]  # fmt: skip

NEAR_MISSES = [
    [
        "    public Mono<String> fetch(ServerRequest request) {",
        '        String id = request.pathVariable("id");',
        '        return client.get().uri("https://api.example.com/items/{id}", id)'
        ".retrieve().bodyToMono(String.class);",
    ],
    [
        "    public Object load() throws Exception {",
        '        return new ObjectInputStream(new FileInputStream("/var/cache/app.bin"))'
        ".readObject();",
    ],
    [
        "    public Object read(InputStream in) throws Exception {",  # not a handler
        "        return new ObjectInputStream(in).readObject();",
    ],
    [
        "    @POST",
        '    public Response go(@FormParam("id") String id) {',
        '        return Response.seeOther(URI.create("/items/" + id)).build();',
    ],
    [
        "    void handle(RoutingContext routingContext) {",
        '        String file = routingContext.request().getParam("file");',
        '        routingContext.response().sendFile("/srv/files/" + FilenameUtils.getName(file));',
    ],
]  # fmt: skip


@pytest.mark.parametrize(("members", "rule_id"), POSITIVES)
def test_framework_flow(build, members, rule_id):
    code = _class(*members, "    }")
    findings = rule_lines(review(build, "src/Handler.java", code))
    assert (rule_id, 2 + len(members)) in findings, findings


@pytest.mark.parametrize("members", NEAR_MISSES)
def test_framework_near_miss(build, members):
    assert rule_lines(review(build, "src/Handler.java", _class(*members, "    }"))) == []


XML = [
    "    public Document read(InputStream in) throws Exception {",
    "        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();",
    "        DocumentBuilder db = dbf.newDocumentBuilder();",
    "        return db.parse(in);",
    "    }",
]


def test_xxe_reported_once_at_the_parse(build):
    assert rule_lines(review(build, "src/Xml.java", _class(*XML))) == [("xxe", 6)]


def test_xxe_falls_back_to_the_factory_when_only_it_changed(build):
    before = _class(*XML[:1], "        DocumentBuilderFactory dbf = Secure.factory();", *XML[2:])
    findings = review(build, "src/Xml.java", _class(*XML), before)
    assert rule_lines(findings) == [("xxe", 4)]


def test_xxe_quiet_when_doctypes_are_disallowed(build):
    feature = '"http://apache.org/xml/features/disallow-doctype-decl"'
    hardened = [*XML[:2], f"        dbf.setFeature({feature}, true);", *XML[2:]]
    assert rule_lines(review(build, "src/Xml.java", _class(*hardened))) == []
