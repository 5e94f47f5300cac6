"""Python: peewee raw SQL (`execute_sql`, `Model.raw`, `SQL(...)` fragments) built from
request data, found through methods of objects of local classes; ruamel.yaml loaders
that construct arbitrary objects (`YAML(typ="unsafe")`, legacy `load` without a safe
Loader), with parameterised queries and safe / round-trip loaders as near misses."""

import pytest

from tests.analysis.security.python.scanning import marked_line, rules, scan

PEEWEE_REPOSITORY = """
from bottle import Bottle, request
from peewee import SQL, fn

from shop.models import Product, db

app = Bottle()


class ProductRepository:
    def __init__(self, database) -> None:
        self.db = database

    def search(self, term: str, category: str) -> list:
        sql = (
            "SELECT sku, name FROM product "
            f"WHERE category = '{category}' AND name ILIKE '%{term}%' "
            "ORDER BY name"
        )
        cursor = self.db.execute_sql(sql)  # <-
        return cursor.fetchall()
"""

PEEWEE_ROUTE = """

repo = ProductRepository(db)


@app.get("/api/products")
def search_products():
    return {"items": repo.search(request.query.get("q", ""), request.query.get("c", ""))}
"""


def test_sql_built_in_a_repository_method_is_reported_at_the_sink(build):
    source = PEEWEE_REPOSITORY + PEEWEE_ROUTE
    hits = [h for h in scan(build, source) if h.rule_id == "sql-injection"]
    assert [(h.line, h.confidence) for h in hits] == [(marked_line(source), 0.95)]
    assert "search()" in hits[0].detail and "request.query" in hits[0].detail


def test_new_route_feeding_an_unchanged_repository_is_reported_at_the_call(build):
    source = PEEWEE_REPOSITORY + PEEWEE_ROUTE
    hits = scan(build, source, before=PEEWEE_REPOSITORY)
    lines = source.strip("\n").splitlines()
    call = next(n for n, text in enumerate(lines, 1) if "repo.search(" in text)
    assert [(h.rule_id, h.line) for h in hits] == [("sql-injection", call)]


PEEWEE_POSITIVES = [
    (
        "model-raw-concatenated",
        """
@app.get("/api/by-name")
def by_name():
    name = request.query["name"]
    return list(Product.raw("SELECT * FROM product WHERE name = '" + name + "'"))  # <-
""",
    ),
    (
        "sql-fragment-in-a-where-clause",
        """
@app.get("/api/cheaper")
def cheaper():
    limit = request.query["max"]
    return list(Product.select().where(SQL(f"price_cents < {limit}")))  # <-
""",
    ),
]

PEEWEE_NEAR_MISSES = [
    (
        "execute-sql-with-params",
        """
@app.get("/api/by-category")
def by_category():
    cursor = db.execute_sql(
        "SELECT sku FROM product WHERE category = %s", (request.query["c"],)
    )
    return {"skus": [row[0] for row in cursor.fetchall()]}
""",
    ),
    (
        "sql-fragment-with-params-and-fn",
        """
@app.get("/api/named")
def named():
    term = request.query["q"]
    rows = Product.select().where(
        SQL("name ILIKE %s", [f"%{term}%"]) | (fn.LOWER(Product.sku) == term.lower())
    )
    return {"items": [r.sku for r in rows]}
""",
    ),
]

PEEWEE_HEAD = """
from bottle import Bottle, request
from peewee import SQL, fn

from shop.models import Product, db

app = Bottle()
"""


@pytest.mark.parametrize(("case", "body"), PEEWEE_POSITIVES, ids=[c[0] for c in PEEWEE_POSITIVES])
def test_peewee_raw_sql_from_the_request(build, case, body):
    source = PEEWEE_HEAD + body
    hits = scan(build, source)
    assert ("sql-injection", marked_line(source)) in {(h.rule_id, h.line) for h in hits}, hits


@pytest.mark.parametrize(
    ("case", "body"), PEEWEE_NEAR_MISSES, ids=[c[0] for c in PEEWEE_NEAR_MISSES]
)
def test_peewee_parameterised_sql_is_quiet(build, case, body):
    assert "sql-injection" not in rules(scan(build, PEEWEE_HEAD + body))


YAML_POSITIVES = [
    (
        "quart-body-into-unsafe-yaml",
        """
from quart import Quart, request
from ruamel.yaml import YAML

app = Quart(__name__)

@app.post("/import")
async def import_spec():
    raw = await request.get_data(as_text=True)
    return {"spec": YAML(typ="unsafe", pure=True).load(raw)}  # <-
""",
    ),
    (
        "module-level-unsafe-loader",
        """
from pathlib import Path

from ruamel.yaml import YAML

LOADER = YAML(typ=["unsafe"])

def read_fixture(path: Path):
    return LOADER.load(path)  # <-
""",
    ),
    (
        "pyyaml-next-to-ruamel",
        """
import yaml
from ruamel.yaml import YAML

def parse(text: str):
    return yaml.load(text, Loader=yaml.Loader)  # <-
""",
    ),
    (
        "legacy-load-with-the-unsafe-loader",
        """
import ruamel.yaml

def parse(text: str):
    return ruamel.yaml.load(text, Loader=ruamel.yaml.Loader)  # <-
""",
    ),
]

YAML_NEAR_MISSES = [
    (
        "round-trip-default",
        """
from quart import Quart, request
from ruamel.yaml import YAML

app = Quart(__name__)
yaml = YAML()

@app.post("/import")
async def import_spec():
    return {"spec": yaml.load(await request.get_data(as_text=True))}
""",
    ),
    (
        "safe-typ",
        """
from flask import Flask, request
from ruamel.yaml import YAML

app = Flask(__name__)

@app.post("/import")
def import_spec():
    return {"spec": YAML(typ="safe", pure=True).load(request.get_data(as_text=True))}
""",
    ),
    (
        "safe-wins-over-unsafe-in-a-list",
        """
from ruamel.yaml import YAML

def parse(text: str):
    return YAML(typ=["safe", "unsafe"]).load(text)
""",
    ),
    (
        "unsafe-typ-only-dumps",
        """
import sys

from ruamel.yaml import YAML

def show(data) -> None:
    YAML(typ="unsafe").dump(data, sys.stdout)
""",
    ),
    (
        "ruamel-object-parameter-named-yaml",
        """
from ruamel.yaml import YAML

def parse(yaml: YAML, text: str):
    return yaml.load(text)
""",
    ),
    (
        "legacy-load-with-round-trip-loader",
        """
from ruamel import yaml

def parse(text: str):
    return yaml.load(text, Loader=yaml.RoundTripLoader)
""",
    ),
]


@pytest.mark.parametrize(("case", "source"), YAML_POSITIVES, ids=[c[0] for c in YAML_POSITIVES])
def test_ruamel_loader_building_arbitrary_objects(build, case, source):
    hits = scan(build, source)
    found = {(h.rule_id, h.line) for h in hits}
    assert ("unsafe-deserialization", marked_line(source)) in found, hits


@pytest.mark.parametrize(("case", "source"), YAML_NEAR_MISSES, ids=[c[0] for c in YAML_NEAR_MISSES])
def test_ruamel_safe_and_round_trip_loaders_are_quiet(build, case, source):
    assert "unsafe-deserialization" not in rules(scan(build, source))


def test_request_data_into_the_unsafe_loader_is_certain(build):
    source = YAML_POSITIVES[0][1]
    [hit] = [h for h in scan(build, source) if h.rule_id == "unsafe-deserialization"]
    assert hit.confidence == 0.95 and "request.get_data" in hit.detail
