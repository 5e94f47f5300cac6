"""Names the Python taint pass knows: request data, other sources, sanitisers, propagators.

Names are fully qualified through the file's imports (`from flask import request` makes
`request.args` read as `flask.request.args`); method names are matched on the last part.
"""

from __future__ import annotations

from analysis.detectors.python.values import ALL_KINDS, DATA, SCALAR, STRINGS

# objects that hold an incoming HTTP request (Flask global, Django/Starlette/FastAPI parameter)
REQUEST_OBJECTS = frozenset(
    {
        "request",
        "req",
        "self.request",
        "flask.request",
        "quart.request",
        "bottle.request",
        "websocket",
    }
)
REQUEST_ANNOTATIONS = frozenset({"Request", "HttpRequest", "WebSocket", "HTTPConnection"})

# request attributes (and zero-argument methods) that hold client-controlled data
REQUEST_ATTRIBUTES: dict[str, str] = {
    # Flask / Werkzeug
    "args": STRINGS,
    "form": STRINGS,
    "values": STRINGS,
    "headers": STRINGS,
    "cookies": STRINGS,
    "files": STRINGS,
    "view_args": STRINGS,
    "json": DATA,
    "get_json": DATA,
    "data": DATA,
    "get_data": SCALAR,
    "stream": SCALAR,
    "url": SCALAR,
    "full_path": SCALAR,
    "query_string": SCALAR,
    "referrer": SCALAR,
    "host": SCALAR,
    # Django / Django REST framework
    "GET": STRINGS,
    "POST": STRINGS,
    "COOKIES": STRINGS,
    "FILES": STRINGS,
    "META": STRINGS,
    "body": SCALAR,
    "query_params": STRINGS,
    "get_full_path": SCALAR,
    # Starlette / FastAPI (`await request.json()`, `await request.form()`)
    "path_params": STRINGS,
    "form_data": STRINGS,
    # aiohttp.web (`request.query`, `request.match_info`, `await request.post()`)
    "query": STRINGS,
    "match_info": STRINGS,
    "post": STRINGS,
    "rel_url": SCALAR,
    "raw_path": SCALAR,
    "content": SCALAR,
    # Pyramid / Bottle / Falcon (`request.matchdict`, `request.forms`, `req.get_param()`)
    "params": STRINGS,
    "matchdict": STRINGS,
    "json_body": DATA,
    "forms": STRINGS,
    "media": DATA,
    "get_media": DATA,
    "get_param": SCALAR,
    "get_param_as_list": STRINGS,
    "get_header": SCALAR,
    # Tornado (`self.request.arguments`, `self.request.uri`)
    "arguments": STRINGS,
    "query_arguments": STRINGS,
    "body_arguments": STRINGS,
    "uri": SCALAR,
}
# Tornado `RequestHandler` methods that read the request
HANDLER_SOURCES: dict[str, str] = {
    "self.get_argument": SCALAR,
    "self.get_query_argument": SCALAR,
    "self.get_body_argument": SCALAR,
    "self.get_arguments": STRINGS,
    "self.get_query_arguments": STRINGS,
    "self.get_body_arguments": STRINGS,
    "self.get_cookie": SCALAR,
}
# methods on a mapping of strings that return one string
STRING_GETTERS = frozenset({"get", "getlist", "getone", "getall", "pop", "get_all"})

# calls that return fresh local (non-network) input
LOCAL_SOURCE_CALLS: dict[str, str] = {
    "input": "input()",
    "os.getenv": "os.getenv()",
    "os.environ.get": "os.environ",
    "sys.stdin.read": "sys.stdin",
    "sys.stdin.readline": "sys.stdin",
    "raw_input": "raw_input()",
}
LOCAL_SOURCE_ATTRIBUTES: dict[str, str] = {
    "os.environ": "os.environ",
    "sys.argv": "sys.argv",
    "sys.stdin": "sys.stdin",
}
FILE_READ_METHODS = frozenset({"read", "readline", "readlines", "read_text", "read_bytes"})

# calls whose result is safe whatever goes in (numbers, booleans, digests, ids)
CLEANING_CALLS = frozenset(
    {
        "int",
        "float",
        "bool",
        "len",
        "abs",
        "round",
        "ord",
        "hash",
        "id",
        "isinstance",
        "callable",
        "uuid.UUID",
        "UUID",
        "decimal.Decimal",
        "Decimal",
        "hmac.compare_digest",
        "secrets.compare_digest",
        "ipaddress.ip_address",
        "datetime.date.fromisoformat",
        "datetime.datetime.fromisoformat",
    }
)
CLEANING_METHODS = frozenset(
    {
        "hexdigest",
        "digest",
        "count",
        "index",
        "find",
        "rfind",
        "startswith",
        "endswith",
        "isdigit",
        "isnumeric",
        "isdecimal",
        "isalnum",
        "isalpha",
        "isidentifier",
        "is_relative_to",
        "exists",
        "is_file",
        "is_dir",
        "verify",
        "check_password",
    }
)

# sanitisers that make data safe for some sinks only
PARTIAL_SANITISERS: dict[str, frozenset[str]] = {
    "shlex.quote": frozenset({"shell"}),
    "re.escape": frozenset({"regex"}),
    "pipes.quote": frozenset({"shell"}),
    "html.escape": frozenset({"xss"}),
    "cgi.escape": frozenset({"xss"}),
    "markupsafe.escape": frozenset({"xss"}),
    "flask.escape": frozenset({"xss"}),
    "jinja2.escape": frozenset({"xss"}),
    "django.utils.html.escape": frozenset({"xss"}),
    "django.utils.html.conditional_escape": frozenset({"xss"}),
    "django.utils.html.strip_tags": frozenset({"xss"}),
    "bleach.clean": frozenset({"xss"}),
    "bleach.linkify": frozenset({"xss"}),
    "xml.sax.saxutils.escape": frozenset({"xss", "xpath"}),
    "os.path.basename": frozenset({"path"}),
    "werkzeug.utils.secure_filename": frozenset({"path"}),
    "werkzeug.secure_filename": frozenset({"path"}),
    "pathvalidate.sanitize_filename": frozenset({"path"}),
    "werkzeug.utils.safe_join": frozenset({"path"}),
    "flask.safe_join": frozenset({"path"}),
    "ldap.filter.escape_filter_chars": frozenset({"ldap"}),
    "ldap3.utils.conv.escape_filter_chars": frozenset({"ldap"}),
    "psycopg2.sql.Identifier": frozenset({"sql"}),
    "psycopg2.sql.Literal": frozenset({"sql"}),
    "psycopg.sql.Identifier": frozenset({"sql"}),
    "psycopg.sql.Literal": frozenset({"sql"}),
    "pymysql.converters.escape_string": frozenset({"sql"}),
    "MySQLdb.escape_string": frozenset({"sql"}),
    "urllib.parse.quote": frozenset({"xss", "shell", "sql", "ldap", "xpath"}),
    "urllib.parse.quote_plus": frozenset({"xss", "shell", "sql", "ldap", "xpath", "path"}),
    "base64.b64encode": frozenset({"xss", "shell", "sql", "ldap", "xpath", "path", "code"}),
    "json.dumps": frozenset({"code", "template"}),
}
PARTIAL_SANITISER_METHODS: dict[str, frozenset[str]] = {
    "escape_string": frozenset({"sql"}),
    "escape_literal": frozenset({"sql"}),
    "escape_identifier": frozenset({"sql"}),
    "quote_ident": frozenset({"sql"}),
}
FULL = ALL_KINDS

# JSON decoders: the result is structured data (a dict of client-chosen keys when the
# text came from a request), whatever the shape of the text that went in
JSON_DECODERS = frozenset(
    {
        "json.loads",
        "json.load",
        "orjson.loads",
        "ujson.loads",
        "ujson.load",
        "simplejson.loads",
        "simplejson.load",
        "rapidjson.loads",
        "msgspec.json.decode",
    }
)

# calls that pass their arguments' data through unchanged
PROPAGATORS = frozenset(
    {
        "str",
        "bytes",
        "repr",
        "format",
        "list",
        "tuple",
        "set",
        "dict",
        "sorted",
        "reversed",
        "next",
        "iter",
        "min",
        "max",
        "base64.b64decode",
        "base64.urlsafe_b64decode",
        "binascii.unhexlify",
        "urllib.parse.unquote",
        "urllib.parse.unquote_plus",
        "urllib.parse.urljoin",
        "urllib.parse.urlparse",
        "urllib.parse.urlsplit",
        "urllib.parse.parse_qs",
        "os.path.join",
        "os.path.normpath",
        "os.path.abspath",
        "os.path.realpath",
        "os.path.expanduser",
        "os.fspath",
        "posixpath.join",
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.PosixPath",
        "Path",
        "textwrap.dedent",
        "copy.copy",
        "copy.deepcopy",
        "typing.cast",
        "io.BytesIO",
        "io.StringIO",
    }
)
