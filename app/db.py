"""Database engines: SQLite (default, embedded) and PostgreSQL (asyncpg pool).

Piccolo's stock ``SQLiteEngine`` opens a new connection for every query (through aiosqlite,
one thread hop per statement) in rollback-journal mode, so concurrent writers collide on the
file lock and time out under load. ``PooledSQLiteEngine`` uses SQLite the way a server
should:

* WAL mode, so readers never block the writer and the writer never blocks readers;
* two long-lived connections: one *writer*, one *reader*. Statements run synchronously on
  the event-loop thread: in WAL mode with ``synchronous=NORMAL`` a statement takes a few
  microseconds, far less than handing it to a thread and back;
* an ``asyncio.Lock`` around the writer. Transactions (``engine.transaction()``) run
  ``BEGIN IMMEDIATE`` on the writer and hold the lock until they end, so a
  read-check-write sequence is serialised against every other write (this is what makes
  "the last 10 places go to exactly 10 people" hold);
* plain ``SELECT`` statements outside a transaction use the reader, so they never see
  another coroutine's uncommitted transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Sequence
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory
from piccolo.querystring import QueryString

from app.settings import Settings


def _is_read(sql: str) -> bool:
    return sql.lstrip()[:6].upper() == "SELECT"


class _SyncCursorContext:
    """Lets Piccolo's transaction code ``await conn.execute(...)`` on a sync connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, args)


class PooledTransaction(SQLiteTransaction):
    """A transaction on the engine's writer connection, holding the write lock throughout."""

    async def __aenter__(self) -> PooledTransaction:
        if self._parent is not None:
            return self._parent
        engine: PooledSQLiteEngine = self.engine  # type: ignore[assignment]
        lock = engine.write_lock()
        await lock.acquire()
        try:
            self.raw = engine.writer()
            self.connection = _SyncCursorContext(self.raw)  # type: ignore[assignment]
            await self.begin()
        except BaseException:
            lock.release()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        engine: PooledSQLiteEngine = self.engine  # type: ignore[assignment]
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            self.engine.current_transaction.reset(self.context)
            engine.write_lock().release()
        return exception is None


class PooledSQLiteEngine(SQLiteEngine):
    """SQLite with WAL, one lock-serialised writer connection and one reader connection."""

    def __init__(self, path: str, *, synchronous: str = "NORMAL") -> None:
        super().__init__(path=path)
        self._synchronous = synchronous
        self._writer: sqlite3.Connection | None = None
        self._reader: sqlite3.Connection | None = None
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _open(self) -> sqlite3.Connection:
        kwargs = {**self.connection_kwargs, "isolation_level": None, "check_same_thread": False}
        conn = sqlite3.connect(**kwargs)
        conn.row_factory = dict_factory
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {self._synchronous}")
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA foreign_keys = 1")
        return conn

    def write_lock(self) -> asyncio.Lock:
        # The lock belongs to one event loop; the CLI runs several loops in a row
        # (asyncio.run per command), so make a new one when the loop changes.
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._lock is None:
            self._loop = loop
            self._lock = asyncio.Lock()
        return self._lock

    def writer(self) -> sqlite3.Connection:
        if self._writer is None:
            self._writer = self._open()
        return self._writer

    def reader(self) -> sqlite3.Connection:
        if self._reader is None:
            self._reader = self._open()
        return self._reader

    async def close(self) -> None:
        for conn in (self._writer, self._reader):
            if conn is not None:
                conn.close()
        self._writer = self._reader = None

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run one statement; ``?`` placeholders. Writes commit before this returns."""
        current = self.current_transaction.get()
        if current is not None:
            return current.raw.execute(sql, args).fetchall()  # type: ignore[attr-defined]
        if _is_read(sql):
            return self.reader().execute(sql, args).fetchall()
        async with self.write_lock():
            return self.writer().execute(sql, args).fetchall()

    async def run_querystring(self, querystring: QueryString, in_pool: bool = False):
        query, args = querystring.compile_string(engine_type=self.engine_type)
        if self.log_queries:
            self.print_query(query_id=self.get_query_id(), query=str(querystring))
        return await self.fetch(query, args)

    async def run_ddl(self, ddl: str, in_pool: bool = False):
        return await self.fetch(ddl)

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.immediate,
        allow_nested: bool = True,
    ) -> PooledTransaction:
        return PooledTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )


class PooledPostgresEngine(PostgresEngine):
    """Piccolo's PostgreSQL engine plus the same ``fetch`` hot-path helper as SQLite."""

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        # Hot-path SQL is written with ``?`` placeholders (SQLite style); asyncpg wants $n.
        sql = _question_marks_to_dollars(sql)
        current = self.current_transaction.get()
        if current is not None:
            rows = await current.connection.fetch(sql, *args)
        elif self.pool is not None:
            async with self.pool.acquire() as conn:
                rows = await conn.fetch(sql, *args)
        else:
            conn = await self.get_new_connection()
            try:
                rows = await conn.fetch(sql, *args)
            finally:
                await conn.close()
        return [dict(row) for row in rows]

    _users = 0

    async def open(self, max_size: int) -> None:
        # Reference-counted: the app and the test-suite (or the CLI) may both hold it open.
        self._users += 1
        if self.pool is None:
            await self.start_connection_pool(max_size=max_size)

    async def close(self) -> None:
        self._users = max(self._users - 1, 0)
        if self._users == 0 and self.pool is not None:
            await self.close_connection_pool()
            self.pool = None


def _question_marks_to_dollars(sql: str) -> str:
    out: list[str] = []
    n = 0
    in_string = False
    for ch in sql:
        if ch == "'":
            in_string = not in_string
        if ch == "?" and not in_string:
            n += 1
            out.append(f"${n}")
        else:
            out.append(ch)
    return "".join(out)


def build_engine(settings: Settings) -> Engine:
    if settings.is_sqlite:
        path = settings.sqlite_path
        path.parent.mkdir(parents=True, exist_ok=True)
        return PooledSQLiteEngine(str(path), synchronous=settings.sqlite_synchronous)
    if settings.database_url.startswith(("postgres://", "postgresql://")):
        return PooledPostgresEngine(config={"dsn": settings.database_url})
    raise SystemExit(
        f"EVENTOPS_DATABASE_URL must start with sqlite:/// or postgresql://, "
        f"got {settings.database_url.split(':', 1)[0]}:…"
    )


async def start_engine(engine: Engine, settings: Settings) -> None:
    if isinstance(engine, PooledPostgresEngine):
        await engine.open(settings.postgres_pool_size)


async def stop_engine(engine: Engine) -> None:
    close = getattr(engine, "close", None)
    if close is not None:
        await close()


@contextlib.asynccontextmanager
async def engine_running(engine: Engine, settings: Settings) -> AsyncIterator[Engine]:
    await start_engine(engine, settings)
    try:
        yield engine
    finally:
        await stop_engine(engine)


def is_unique_violation(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    return type(exc).__name__ == "UniqueViolationError"


def current_engine() -> Engine:
    """The engine every table uses (built once from the settings in app.piccolo_conf)."""
    from event_ops.events.tables import Event

    return Event._meta.db


def dialect() -> str:
    return current_engine().engine_type
