"""Print the size of each table of a PostgreSQL database (rows as the planner counts them, the
table, its indexes, both), largest first, and the database's: the figures of docs/scale-out.md.

    python scripts/table_sizes.py postgresql+psycopg://postgres@127.0.0.1:5432/jobfair_bench_s1
"""

import sys

from sqlalchemy import text

from app.core.db import make_engine

SIZES = text(
    "SELECT c.relname, c.reltuples::bigint, pg_relation_size(c.oid), pg_indexes_size(c.oid), "
    "pg_total_relation_size(c.oid) FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 5 DESC"
)


def megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def main(url: str) -> None:
    with make_engine(url).connect() as connection:
        connection.exec_driver_sql("ANALYZE")  # row counts as of now
        print(f"{'table':<32} {'rows':>12} {'table':>10} {'indexes':>10} {'in all':>10}")
        for name, rows, table, indexes, total in connection.execute(SIZES):
            shown = f"{rows:,}" if rows >= 0 else "?"
            print(
                f"{name:<32} {shown:>12} {megabytes(table):>10} "
                f"{megabytes(indexes):>10} {megabytes(total):>10}"
            )
        database = connection.scalar(text("SELECT pg_database_size(current_database())"))
        print(f"the database: {database / 2**30:.1f} GB")


if __name__ == "__main__":
    main(sys.argv[1])
