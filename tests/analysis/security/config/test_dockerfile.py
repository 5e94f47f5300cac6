"""Dockerfile: root in the final stage, curl | sh, unverified ADD, credentials in ENV/ARG."""

from tests.analysis.security.review import review, rule_lines

BASE = [
    "FROM node:22-slim AS build",
    "RUN npm ci",
    "FROM node:22-slim",
    "COPY --from=build /app /app",
]


def test_final_stage_without_user_is_reported_on_its_from_line(build):
    assert rule_lines(review(build, "Dockerfile", BASE)) == [("container-runs-as-root", 3)]


def test_non_root_user_in_the_final_stage_is_quiet(build):
    assert rule_lines(review(build, "Dockerfile", [*BASE, "USER node"])) == []


def test_user_root_last_is_reported(build):
    after = [*BASE, "USER node", "RUN apt-get update", "USER root"]
    assert rule_lines(review(build, "docker/api.Dockerfile", after)) == [
        ("container-runs-as-root", 7)
    ]


def test_removing_the_user_line_reports_on_the_stage(build):
    before = [*BASE, "USER node", 'CMD ["node", "server.js"]']
    after = [*BASE, "RUN chown -R node /app", 'CMD ["node", "server.js"]']
    findings = review(build, "Dockerfile", after, before)
    assert rule_lines(findings) == [("container-runs-as-root", 5)]


def test_only_added_lines_count(build):
    before = [*BASE, 'CMD ["node", "server.js"]']
    after = [*BASE, "EXPOSE 8080", 'CMD ["node", "server.js"]']
    assert rule_lines(review(build, "Dockerfile", after, before)) == []


def test_remote_scripts_and_continuations(build):
    after = [
        "FROM debian:12",
        "RUN apt-get update && \\",
        "    curl -fsSL https://get.example.sh | \\",
        "    bash -s -- --yes",
        "ADD https://example.com/tool.tar.gz /opt/",
        "ADD --checksum=sha256:abc https://example.com/ok.tar.gz /opt/",
        "RUN curl -fsSLo tool.tgz https://example.com/tool.tgz && sha256sum -c tool.sha256",
        "USER app",
    ]
    assert rule_lines(review(build, "Dockerfile", after)) == [
        ("remote-script-execution", 2),
        ("remote-script-execution", 5),
    ]


def test_credentials_in_env_and_arg(build):
    after = [
        "FROM python:3.12",
        "ENV DB_PASSWORD=s3cretvalue LOG_LEVEL=info",
        "ARG NPM_TOKEN",
        "ARG API_KEY=${API_KEY}",
        "ENV SERVICE_TOKEN abcdef123456",
        "USER 1000",
    ]
    assert rule_lines(review(build, "Dockerfile", after)) == [
        ("hardcoded-credential", 2),
        ("hardcoded-credential", 5),
    ]
