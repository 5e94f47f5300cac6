"""Tar slip: a tar archive read from a request and extracted without an extraction filter
or a member check is a path traversal; filtered or checked extraction, trusted local
archives and `zipfile`'s own (sanitising) extraction stay quiet. A hand-written zip
extraction that joins member names into paths is reported at the file write."""

import pytest

from tests.analysis.security.python.scanning import marked_line, scan

FLASK = """
import io, os, tarfile, zipfile
from pathlib import Path
from flask import Flask, request
app = Flask(__name__)
PLUGINS = Path("/srv/plugins")
"""

POSITIVES = {
    "extractall-of-an-uploaded-stream": """
@app.post("/plugins")
def install_plugin():
    upload = request.files["package"]
    tar = tarfile.open(fileobj=upload.stream, mode="r:*")
    tar.extractall(PLUGINS / "incoming")  # <-
    return "ok"
""",
    "extract-each-member-of-request-bytes": """
@app.post("/plugins")
def install_plugin():
    buffer = io.BytesIO(request.get_data())
    with tarfile.TarFile.open(fileobj=buffer) as tar:
        for member in tar.getmembers():
            tar.extract(member, path=str(PLUGINS))  # <-
    return "ok"
""",
    "fully-trusted-filter": """
@app.post("/plugins")
def install_plugin():
    with tarfile.open(fileobj=request.files["package"].stream) as tar:
        tar.extractall(PLUGINS, filter="fully_trusted")  # <-
    return "ok"
""",
    "every-member-passed-explicitly": """
@app.post("/plugins")
def install_plugin():
    with tarfile.open(fileobj=request.files["package"].stream) as tar:
        tar.extractall(PLUGINS, members=tar.getmembers())  # <-
    return "ok"
""",
    "through-a-local-helper": """
def unpack(stream, target):
    with tarfile.open(fileobj=stream) as tar:
        tar.extractall(target)  # <-

@app.post("/plugins")
def install_plugin():
    unpack(request.files["package"].stream, PLUGINS)
    return "ok"
""",
    "hand-written-zip-extraction": """
@app.post("/plugins")
def install_plugin():
    bundle = zipfile.ZipFile(request.files["package"].stream)
    for name in bundle.namelist():
        with open(os.path.join(PLUGINS, name), "wb") as target:  # <-
            target.write(bundle.read(name))
    return "ok"
""",
}

NEAR_MISSES = {
    "data-filter": """
@app.post("/plugins")
def install_plugin():
    with tarfile.open(fileobj=request.files["package"].stream) as tar:
        tar.extractall(PLUGINS, filter="data")
    return "ok"
""",
    "tar-filter-function": """
@app.post("/plugins")
def install_plugin():
    with tarfile.open(fileobj=request.files["package"].stream) as tar:
        tar.extract("plugin.toml", PLUGINS, filter=tarfile.tar_filter)
    return "ok"
""",
    "filter-set-on-the-archive": """
@app.post("/plugins")
def install_plugin():
    with tarfile.open(fileobj=request.files["package"].stream) as tar:
        tar.extraction_filter = tarfile.data_filter
        tar.extractall(PLUGINS)
    return "ok"
""",
    "members-checked-with-commonpath": """
@app.post("/plugins")
def install_plugin():
    root = os.path.realpath(PLUGINS)
    with tarfile.open(fileobj=request.files["package"].stream) as tar:
        for member in tar.getmembers():
            target = os.path.realpath(os.path.join(root, member.name))
            if os.path.commonpath([root, target]) != root or member.issym() or member.islnk():
                return "bad archive", 400
        tar.extractall(root)
    return "ok"
""",
    "members-checked-with-is-relative-to": """
@app.post("/plugins")
def install_plugin():
    root = PLUGINS.resolve()
    with tarfile.open(fileobj=request.files["package"].stream) as tar:
        for member in tar:
            if not (root / member.name).resolve().is_relative_to(root):
                return "bad archive", 400
            tar.extract(member, root)
    return "ok"
""",
    "vetted-member-list": """
def vetted(tar):
    return [m for m in tar.getmembers() if m.isfile() and not m.name.startswith("/")]

@app.post("/plugins")
def install_plugin():
    with tarfile.open(fileobj=request.files["package"].stream) as tar:
        tar.extractall(PLUGINS, members=vetted(tar))
    return "ok"
""",
    "archive-shipped-with-the-app": """
def seed_plugins():
    with tarfile.open("vendor/default-plugins.tar.gz") as tar:
        tar.extractall(PLUGINS)
""",
    "archive-named-by-the-operator": """
def restore_backup():
    with tarfile.open(os.environ["BACKUP_ARCHIVE"]) as tar:
        tar.extractall("/var/lib/app")
""",
    "zipfile-extractall-sanitises-names": """
@app.post("/plugins")
def install_plugin():
    with zipfile.ZipFile(request.files["package"].stream) as bundle:
        bundle.extractall(PLUGINS)
    return "ok"
""",
    "hand-written-zip-extraction-with-basename": """
@app.post("/plugins")
def install_plugin():
    bundle = zipfile.ZipFile(request.files["package"].stream)
    for name in bundle.namelist():
        with open(os.path.join(PLUGINS, os.path.basename(name)), "wb") as target:
            target.write(bundle.read(name))
    return "ok"
""",
}


@pytest.mark.parametrize("name", sorted(POSITIVES))
def test_untrusted_archive_extracted_without_a_filter_is_path_traversal(build, name):
    source = FLASK + POSITIVES[name]
    hits = [(h.rule_id, h.line) for h in scan(build, source)]
    assert hits == [("path-traversal", marked_line(source))]


@pytest.mark.parametrize("name", sorted(NEAR_MISSES))
def test_filtered_checked_or_trusted_extraction_is_quiet(build, name):
    assert scan(build, FLASK + NEAR_MISSES[name]) == []


def test_detail_names_the_request_source_and_the_missing_filter(build):
    hits = scan(build, FLASK + POSITIVES["extractall-of-an-uploaded-stream"])
    assert "request.files" in hits[0].detail
    assert "filter='data'" in hits[0].detail
