"""Time a resource's filtered, sorted list over 100,000 rows, beside the same query run bare.

    python bench/bench_list.py [--stacks flask-sqlite-none,flask-postgres-none] [--rows 100000]

For each stack: generate the project, add a resource with `scaffold add resource`, install it,
migrate, insert --rows rows, boot it with its documented run command, then time
GET /api/items?status=b&price__gte=50.00&sort=-price&limit=20 over HTTP (median of 30), and
the SQL that list runs, straight through the database driver (median of 30). Prints both, their
ratio, and the database's plan for the query (target: under 50 ms, using an index).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.bench_load import Databases, stack_named  # noqa: E402
from tests.e2e import harness  # noqa: E402

FIELDS = ["name:str{60}:index", "price:decimal{10,2}:index", "status:enum{a,b,c}:index", "stock:int=0"]
# One the price index serves alone (filter, order and count), and one that adds a filter on a
# second column, so that the count must read every row in the price range.
QUERIES = ["price__gte=90.00&sort=-price&limit=20", "status=b&price__gte=50.00&sort=-price&limit=20"]

# Run with the project's own Python: fill the table, then time and explain the list's own SQL.
PROBE = r"""
import json, random, statistics, sys, time
from decimal import Decimal
from sqlalchemy import create_engine, insert, text
from PKG.config import Settings
from PKG.resources.items.models import ItemRow
from PKG.resources.items import service
from PKG.resources.listing import parse_query
from PKG.models import utcnow

rows, queries = int(sys.argv[1]), sys.argv[2:]
url = Settings().database_url.replace("+asyncpg", "+psycopg")
engine = create_engine(url)
random.seed(7)
now = utcnow()
with engine.begin() as connection:
    batch = []
    for n in range(rows):
        batch.append({"name": f"item {n}", "price": Decimal(random.randint(0, 10000)) / 100,
                      "status": random.choice("abc"), "stock": n, "created_at": now, "updated_at": now})
        if len(batch) == 5000:
            connection.execute(insert(ItemRow), batch)
            batch = []
    if engine.dialect.name == "postgresql":
        connection.execute(text("ANALYZE items"))
    else:
        connection.execute(text("ANALYZE"))
found = {}
for query in queries:
    pairs = [tuple(p.split("=", 1)) for p in query.split("&")]
    count, page = service.statements(ItemRow, parse_query(pairs, service.FILTERABLE, service.SORTABLE))
    times = []
    with engine.connect() as connection:
        for _ in range(30):
            start = time.perf_counter()
            connection.execute(page).all()
            connection.execute(count).scalar()
            times.append(time.perf_counter() - start)
        compiled = str(page.compile(engine, compile_kwargs={"literal_binds": True}))
        explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
        plan = [" ".join(str(c) for c in row) for row in connection.execute(text(explain + compiled))]
    sql = " ".join(compiled.split())
    found[query] = {"sql_ms": statistics.median(times) * 1000, "sql": sql, "plan": plan}
print(json.dumps(found))
"""


def measure(stack: harness.Stack, rows: int, work: Path, databases: Databases) -> dict[str, object]:
    (work / stack.name).mkdir()
    project = harness.generate_project(stack, "listing", work / stack.name)
    harness.run(
        [sys.executable, "-m", "scaffold", "add", "resource", "items", *FIELDS, "--path", project.path],
        cwd=ROOT, timeout=60,
    )  # fmt: skip
    extra = {}
    url = databases.url(stack, "list") if stack.database != "sqlite" else None
    if url:
        extra["DATABASE_URL"] = url
    for command in harness.languages.driver("python").install_attempts(project.path)[0]:
        harness.run(command, cwd=project.path, env=harness.clean_env(extra), timeout=600)
    env = harness.tool_env(project, extra)
    harness.run([".venv/bin/alembic", "upgrade", "head"], cwd=project.path, env=env)
    probe = harness.run(
        [".venv/bin/python", "-c", PROBE.replace("PKG", project.package), str(rows), *QUERIES],
        cwd=project.path, env=env, timeout=900,
    )  # fmt: skip
    sql = json.loads(probe.stdout.strip().splitlines()[-1])
    server = harness.boot_project(project, work, url)
    try:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            for query in QUERIES:
                first = client.get(f"/api/items?{query}")
                assert first.status_code == 200, first.text
                times = []
                for _ in range(30):
                    start = time.perf_counter()
                    client.get(f"/api/items?{query}").raise_for_status()
                    times.append(time.perf_counter() - start)
                sql[query].update(http_ms=statistics.median(times) * 1000, total=first.json()["total"])
    finally:
        server.stop()
    return {"stack": stack.name, "rows": rows, "queries": sql}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", default="flask-sqlite-none,flask-postgres-none")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        databases = Databases(work)
        try:
            names = args.stacks.split(",")
            results = [measure(stack_named(name), args.rows, work, databases) for name in names]
        finally:
            databases.stop()
    for result in results:
        print(f"{result['stack']}: {result['rows']:,} rows")
        for query, figures in result["queries"].items():  # type: ignore[attr-defined]
            ratio = figures["http_ms"] / figures["sql_ms"]
            print(f"  GET /api/items?{query}: {figures['total']:,} match")
            print(
                f"    over HTTP {figures['http_ms']:.1f} ms, the same SQL bare {figures['sql_ms']:.1f} ms"
                f" (median of 30; HTTP / bare = {ratio:.2f}; target < 50 ms)"
            )
            print(f"    SQL: {figures['sql']}")
            for line in figures["plan"]:
                print(f"    plan: {line}")


if __name__ == "__main__":
    main()
