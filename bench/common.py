"""Shared by the benchmarks: a PostgreSQL database that exists and is migrated."""

from __future__ import annotations


def ensure_database(url: str) -> None:
    """Create the database named in ``url`` if it is missing (benchmarks only)."""
    import dj_database_url
    import psycopg2

    cfg = dj_database_url.parse(url)
    conn = psycopg2.connect(dbname="postgres", user=cfg["USER"], host=cfg["HOST"],
                            port=cfg["PORT"] or 5432, password=cfg["PASSWORD"] or None)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    conn.close()
