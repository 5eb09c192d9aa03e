"""Database engines: SQLite (default, embedded) and PostgreSQL (asyncpg pool).

Piccolo's stock ``SQLiteEngine`` opens a new connection for every query (through aiosqlite,
one thread hop per statement) in rollback-journal mode, so concurrent writers collide on the
file lock and time out under load. ``PooledSQLiteEngine`` uses SQLite the way a server
should:

* WAL mode, so readers never block the writer and the writer never blocks readers;
* two long-lived connections: one *writer*, one *reader*. Statements run synchronously on
  the event-loop thread: in WAL mode with ``synchronous=NORMAL`` a statement takes a few
  microseconds, far less than handing it to a thread and back;
* an ``asyncio.Lock`` around the writer. A write transaction (``engine.transaction()``,
  or a single write statement) holds the lock from start to end, so a read-check-write
  sequence is serialised against every other write (this is what makes "the last 10
  places go to exactly 10 people" hold);
* group commit. Each write transaction runs in its own SAVEPOINT inside one outer
  ``BEGIN IMMEDIATE … COMMIT``. When it ends, the COMMIT is queued as a task instead of run
  at once, so every write that becomes ready while the batch still grows (one turn of the
  event loop after another) joins the same outer transaction; the queued task (or the
  128th writer) commits for all. Every caller still waits until *its* work is committed
  before it returns, so an answer is only ever given for durable data. Under load this
  turns thousands of commits per second (each appending the same index pages to the WAL
  again) into a hundred or so (~30 writes each over HTTP). The COMMIT runs on the loop: in
  WAL mode it appends the batch's pages to the WAL without an fsync, ~150 us for 30
  check-ins, less than handing it to a thread and back (measured: check-ins 3,900/s
  inline against 2,800/s on a thread, sign-ups 33 % against 31 % of the bare ceiling);
* plain ``SELECT`` statements outside a transaction use the reader, so they never see
  another coroutine's uncommitted transaction; reads that take milliseconds (counts over a
  whole event) go through ``fetch_off_loop`` to a thread with a connection of its own;
* WAL checkpoints run on a background thread with its own connection. SQLite's automatic
  checkpoint would otherwise run inside some unlucky COMMIT on the event loop, fsyncing the
  database file while every request waits (measured: a fifth of the time under load).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import functools
import sqlite3
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Any, Protocol

import msgspec
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import (
    SQLiteEngine,
    SQLiteTransaction,
    TransactionType,
    convert_datetime_in,
    convert_int_out,
    dict_factory,
)
from piccolo.querystring import QueryString

from event_ops.core.settings import Settings

# Piccolo registers process-wide sqlite3 adapters and converters. Two of them run several
# times per request (every timestamp we write, every INTEGER we read back) and take a slow
# path for the common case; these two give the same values, only faster.
_encode_json = msgspec.json.encode
# The last timestamp converted, and its text: a request usually writes one "now" several
# times (a sign-up 8 times). Holding the object keeps its id from being reused.
_last_datetime: tuple[dt.datetime | None, str] = (None, "")


def _datetime_in(value: dt.datetime) -> str:
    global _last_datetime
    last = _last_datetime
    if value is last[0]:
        return last[1]
    if value.tzinfo is dt.UTC:
        # The text piccolo stores, str(value), e.g. "2027-04-15 10:02:00.123456+00:00"
        # (no fraction when it is 0), cut from msgspec's RFC 3339 form: 3x faster.
        text = _encode_json(value).decode()  # '"2027-04-15T10:02:00.123456Z"'
        text = text[1:11] + " " + text[12:-2] + "+00:00"
    else:
        text = convert_datetime_in(value)
    _last_datetime = (value, text)
    return text


def _integer_out(value: bytes) -> int:
    try:
        return int(value)  # what SQLite stores in an INTEGER column is almost always this
    except ValueError:
        return convert_int_out(value)  # e.g. b"1.0": piccolo's rules


sqlite3.register_adapter(dt.datetime, _datetime_in)
sqlite3.register_converter("INTEGER", _integer_out)


def _reject_nul(args: Sequence[Any]) -> None:
    # PostgreSQL cannot store NUL in text (SQLite can): refuse it the same way on both, as
    # bad input rather than a server error. Found by fuzzing the API.
    for arg in args:
        if isinstance(arg, str) and "\x00" in arg:
            from event_ops.core.errors import DomainError

            raise DomainError("bad_request", "Text may not contain NUL (\\0) characters.")


def _is_read(sql: str) -> bool:
    return sql.lstrip()[:6].upper() == "SELECT"


class _SyncCursorContext:
    """Lets Piccolo's transaction code ``await conn.execute(...)`` on a sync connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, args)


class PooledTransaction(SQLiteTransaction):
    """A write transaction on the engine's writer connection (see ``group commit`` there)."""

    # Annotations only (no class attributes): ``PooledSQLiteEngine.transaction`` is the only
    # place that makes one, so its engine and any parent are pooled ones too.
    engine: PooledSQLiteEngine
    _parent: PooledTransaction | None
    raw: sqlite3.Connection

    async def __aenter__(self) -> PooledTransaction:
        if self._parent is not None:
            return self._parent
        engine = self.engine
        self.raw = await engine._begin_write()
        self.connection = _SyncCursorContext(self.raw)
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(
        self,
        exception_type: type[BaseException] | None,
        exception: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if self._parent:
            return exception is None
        engine = self.engine
        self.engine.current_transaction.reset(self.context)
        await engine._end_write(ok=exception is None)
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
        self._checkpointer: threading.Thread | None = None
        self._stop_checkpoints = threading.Event()
        # Long reads (see ``fetch_off_loop``): one thread with its own connection.
        self._long_reads: concurrent.futures.ThreadPoolExecutor | None = None
        self._long_reader: sqlite3.Connection | None = None
        # Group commit state: the open outer transaction's future (every write in it waits
        # for that one), how many writes joined it, and whether the committing task is queued.
        self._batch: asyncio.Future[None] | None = None
        self._batch_size = 0
        self._commit_scheduled = False

    MAX_BATCH = 128

    CHECKPOINT_SECONDS = 0.5

    def _checkpoint_loop(self) -> None:
        conn = self._open()
        try:
            while not self._stop_checkpoints.wait(self.CHECKPOINT_SECONDS):
                # PASSIVE never blocks the writer or readers; it copies what it can.
                with contextlib.suppress(sqlite3.OperationalError):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            conn.close()

    def _open(self) -> sqlite3.Connection:
        kwargs = {**self.connection_kwargs, "isolation_level": None, "check_same_thread": False}
        conn = sqlite3.connect(**kwargs)
        conn.row_factory = dict_factory
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {self._synchronous}")
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA foreign_keys = 1")
        # A 64 MiB page cache and memory-mapped reads: the festival's whole working set
        # stays in memory instead of being re-read through the OS for every statement.
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute("PRAGMA mmap_size = 268435456")
        conn.execute("PRAGMA temp_store = MEMORY")
        return conn

    def write_lock(self) -> asyncio.Lock:
        # The lock belongs to one event loop; the CLI runs several loops in a row
        # (asyncio.run per command), so make a new one when the loop changes.
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._lock is None:
            self._loop = loop
            self._lock = asyncio.Lock()
        return self._lock

    async def _begin_write(self) -> sqlite3.Connection:
        lock = self.write_lock()
        await lock.acquire()
        try:
            conn = self.writer()
            if self._batch is None:
                conn.execute("BEGIN IMMEDIATE")
                self._batch = asyncio.get_running_loop().create_future()
                self._batch_size = 0
            conn.execute("SAVEPOINT write")
        except BaseException:
            lock.release()
            raise
        return conn

    async def _end_write(self, ok: bool) -> None:
        conn, lock = self.writer(), self.write_lock()
        batch = self._batch
        assert batch is not None
        try:
            if not ok:
                conn.execute("ROLLBACK TO write")
            conn.execute("RELEASE write")
        except BaseException:
            self._fail_batch(conn, lock)
            raise
        self._batch_size += 1
        if self._batch_size < self.MAX_BATCH:
            # Leave the transaction open for whoever writes next in this turn of the event
            # loop (requests that are ready now run before the queued commit does); the
            # commit is queued, so the batch is committed even if nobody else comes.
            if not self._commit_scheduled:
                self._commit_scheduled = True
                asyncio.get_running_loop().create_task(self._commit_when_free())
            lock.release()
        else:
            self._commit(conn)
            lock.release()
        if ok:
            await batch
        else:
            # A failed transaction also waits for the batch, so whatever it reads next
            # (e.g. the row that made it fail) is committed and visible to readers.
            await asyncio.wait([batch])

    async def _commit_when_free(self) -> None:
        # Give every request that is ready to write the chance to join: commit once a turn
        # of the event loop went by in which the batch did not grow. Over HTTP, requests
        # arrive a few at a time, so committing after the first turn made batches of ~14
        # where ~30 were waiting to be written; each COMMIT writes its pages once.
        size = -1
        while self._batch is not None and size != self._batch_size:
            size = self._batch_size
            await asyncio.sleep(0)
        lock = self.write_lock()
        await lock.acquire()
        try:
            self._commit_scheduled = False
            if self._batch is not None:
                self._commit(self.writer())
        finally:
            lock.release()

    def _commit(self, conn: sqlite3.Connection) -> None:
        batch, self._batch = self._batch, None
        try:
            conn.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            _settle(batch, exc)
            return
        _settle(batch, None)

    def _fail_batch(self, conn: sqlite3.Connection, lock: asyncio.Lock) -> None:
        batch, self._batch = self._batch, None
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        _settle(batch, sqlite3.OperationalError("transaction rolled back"))
        lock.release()

    @contextlib.asynccontextmanager
    async def outside_transaction(self) -> AsyncIterator[sqlite3.Connection]:
        """The writer connection with no transaction open, for statements SQLite refuses
        (or ignores) inside one, such as ``PRAGMA foreign_keys`` around a table rebuild.
        Holds the write lock throughout: a batch still open is committed first, and no
        other write starts until the block ends. The block manages its own transaction."""
        lock = self.write_lock()
        await lock.acquire()
        try:
            conn = self.writer()
            if self._batch is not None:
                self._commit(conn)
            yield conn
        finally:
            lock.release()

    def writer(self) -> sqlite3.Connection:
        if self._writer is None:
            self._writer = self._open()
            self._writer.execute("PRAGMA wal_autocheckpoint = 0")
            self._stop_checkpoints.clear()
            self._checkpointer = threading.Thread(
                target=self._checkpoint_loop, name="sqlite-checkpoint", daemon=True
            )
            self._checkpointer.start()
        return self._writer

    def reader(self) -> sqlite3.Connection:
        if self._reader is None:
            self._reader = self._open()
        return self._reader

    async def close(self) -> None:
        if self._long_reads is not None:
            self._long_reads.shutdown(wait=True)
            self._long_reads = None
        if self._long_reader is not None:
            self._long_reader.close()
            self._long_reader = None
        if self._checkpointer is not None:
            self._stop_checkpoints.set()
            self._checkpointer.join()
            self._checkpointer = None
        if self._writer is not None:
            with contextlib.suppress(sqlite3.OperationalError):
                self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        for conn in (self._writer, self._reader):
            if conn is not None:
                conn.close()
        self._writer = self._reader = None

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run one statement; ``?`` placeholders. Writes commit before this returns."""
        _reject_nul(args)
        current = self.current_transaction.get()
        if current is not None:
            # Piccolo types the context variable with its own transaction class; on this
            # engine only PooledTransactions (which have ``raw``) are ever set in it.
            return current.raw.execute(sql, args).fetchall()  # type: ignore[attr-defined]
        if _is_read(sql):
            return self.reader().execute(sql, args).fetchall()
        conn = await self._begin_write()
        try:
            rows = conn.execute(sql, args).fetchall()
        except BaseException:
            await self._end_write(ok=False)
            raise
        await self._end_write(ok=True)
        return rows

    async def fetch_off_loop(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """A read that takes milliseconds (a count over a whole event), run on a thread with
        its own connection: SQLite releases the GIL while it works, so the event loop keeps
        answering requests meanwhile. Short statements are cheaper with ``fetch``."""
        _reject_nul(args)
        if self.current_transaction.get() is not None:  # must see its own transaction
            return await self.fetch(sql, args)
        if self._long_reads is None:
            self._long_reads = concurrent.futures.ThreadPoolExecutor(
                1, thread_name_prefix="sqlite-long-read"
            )
        return await asyncio.get_running_loop().run_in_executor(
            self._long_reads, self._long_read, sql, args
        )

    def _long_read(self, sql: str, args: Sequence[Any]) -> list[dict[str, Any]]:
        if self._long_reader is None:
            self._long_reader = self._open()
        return self._long_reader.execute(sql, args).fetchall()

    async def run_querystring(
        self, querystring: QueryString, in_pool: bool = False
    ) -> list[dict[str, Any]]:
        query, args = querystring.compile_string(engine_type=self.engine_type)
        if self.log_queries:
            self.print_query(query_id=self.get_query_id(), query=str(querystring))
        return await self.fetch(query, args)

    async def run_ddl(self, ddl: str, in_pool: bool = False) -> list[dict[str, Any]]:
        return await self.fetch(ddl)

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.immediate,
        allow_nested: bool = True,
    ) -> PooledTransaction:
        return PooledTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )


def _settle(batch: asyncio.Future[None] | None, error: BaseException | None) -> None:
    if batch is None or batch.done():
        return
    if error is None:
        batch.set_result(None)
    else:
        batch.set_exception(error)
        # Mark it retrieved: a batch whose writers all failed (they wait with
        # asyncio.wait) would otherwise log "exception was never retrieved".
        batch.exception()


class PooledPostgresEngine(PostgresEngine):
    """Piccolo's PostgreSQL engine plus the same ``fetch`` hot-path helper as SQLite."""

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        _reject_nul(args)
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

    # The pool already runs every query off the event loop.
    fetch_off_loop = fetch

    _users = 0
    CLOSE_SECONDS = 5.0

    async def open(self, max_size: int) -> None:
        # Reference-counted: the app and the test-suite (or the CLI) may both hold it open.
        self._users += 1
        if self.pool is None:
            await self.start_connection_pool(max_size=max_size)

    async def close(self) -> None:
        self._users = max(self._users - 1, 0)
        if self._users == 0 and self.pool is not None:
            pool, self.pool = self.pool, None
            try:
                # close() waits for every connection to come back; one that a database
                # outage left half-used never does, and the server hung on shutdown.
                await asyncio.wait_for(pool.close(), self.CLOSE_SECONDS)
            except TimeoutError:
                pool.terminate()


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


class Database(Protocol):
    """The database as the project uses it: what ``current_engine()`` returns.

    Both engines (``PooledSQLiteEngine``, ``PooledPostgresEngine``) have these; code outside
    this module calls only these, so the two stay interchangeable. SQL is written with ``?``
    placeholders on both (the PostgreSQL engine rewrites them to ``$n``). A type only: the
    engines do not inherit from it and nothing checks it at run time.
    """

    #: ``"sqlite"`` or ``"postgres"``, for the few statements whose SQL differs.
    engine_type: str

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run one statement and return its rows as dicts (``[]`` for none). Inside
        ``transaction()`` it runs in that transaction; otherwise a write is committed before
        this returns. Text containing NUL raises ``DomainError("bad_request")``."""
        ...

    async def fetch_off_loop(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Like ``fetch``, for a read that takes milliseconds (a count over a whole event):
        it does not hold up the event loop meanwhile."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[object]:
        """``async with db.transaction():`` — every ``fetch`` inside commits together or not
        at all; a write transaction is serialised against other writes. Nested ones join
        the outer one."""
        ...

    async def close(self) -> None:
        """Release connections (``stop_engine``); the engine reopens them when used again."""
        ...


def build_engine(settings: Settings) -> PooledSQLiteEngine | PooledPostgresEngine:
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


async def start_engine(engine: Database, settings: Settings) -> None:
    if isinstance(engine, PooledPostgresEngine):
        await engine.open(settings.postgres_pool_size)


async def stop_engine(engine: Database) -> None:
    close = getattr(engine, "close", None)
    if close is not None:
        await close()


@contextlib.asynccontextmanager
async def engine_running(engine: Database, settings: Settings) -> AsyncIterator[Database]:
    await start_engine(engine, settings)
    try:
        yield engine
    finally:
        await stop_engine(engine)


def is_unique_violation(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    return type(exc).__name__ == "UniqueViolationError"


# SQLite's answers when the file cannot be used right now (another process holds the lock
# past busy_timeout, the disk failed or is full): the request may work again later.
_SQLITE_UNAVAILABLE = ("database is locked", "database table is locked", "disk i/o error",
                       "unable to open database file", "database or disk is full")
# asyncpg's: the server went away, is starting or stopping, or has no connection left.
_ASYNCPG_UNAVAILABLE = ("PostgresConnectionError", "ConnectionDoesNotExistError",
                        "ConnectionFailureError", "CannotConnectNowError", "AdminShutdownError",
                        "CrashShutdownError", "TooManyConnectionsError",
                        "ConnectionRejectionError",
                        # The driver's own state machine, confused by a connection that died
                        # mid-operation ("another operation is in progress").
                        "InternalClientError")


def is_database_unavailable(exc: BaseException) -> bool:
    """Did this fail because the database cannot be reached or used *right now* (an outage,
    a restart, a full disk), rather than because of the request or a bug? Such failures
    are answered 503 with Retry-After instead of 500 (app/errors.py). Looks through the
    exceptions it was raised from, too."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 5:
        if _unavailable_itself(current):
            return True
        current = current.__cause__ or current.__context__
        seen += 1
    return False


def _unavailable_itself(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        return str(exc).lower().startswith(_SQLITE_UNAVAILABLE)
    names = {cls.__name__ for cls in type(exc).__mro__}
    module = type(exc).__module__
    if module.startswith("asyncpg") and names & set(_ASYNCPG_UNAVAILABLE):
        return True
    if module.startswith("asyncpg") and "InterfaceError" in names:
        return "closed" in str(exc) or "connection" in str(exc).lower()
    if isinstance(exc, OSError | TimeoutError):
        # Connecting to PostgreSQL (refused, reset, timed out) raises plain OSErrors; they
        # are the database's only when they come from the driver.
        tb = exc.__traceback__
        while tb is not None:
            if "asyncpg" in tb.tb_frame.f_code.co_filename:
                return True
            tb = tb.tb_next
    return False


async def database_reachable(timeout: float = 2.0) -> bool:
    """Can the database answer a query now? (``GET /health``.)"""
    try:
        await asyncio.wait_for(current_engine().fetch("SELECT 1"), timeout)
    except Exception:
        return False
    return True


_engine: Database | None = None


def current_engine() -> Database:
    """The engine every table uses: Piccolo's ``DB`` from ``PICCOLO_CONF``
    (event_ops.core.piccolo_conf), built once from the settings."""
    global _engine
    if _engine is None:
        from piccolo.engine.finder import engine_finder

        found = engine_finder()
        if not isinstance(found, PooledSQLiteEngine | PooledPostgresEngine):
            raise RuntimeError(
                "PICCOLO_CONF must be event_ops.core.piccolo_conf (an engine from "
                f"build_engine), found {type(found).__name__}"
            )
        _engine = found
    return _engine


def dialect() -> str:
    return current_engine().engine_type


async def insert_many(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """One multi-row INSERT instead of a statement per row (each costs a round of Python and
    driver overhead; a profile showed them adding up on the sign-up path)."""
    engine = current_engine()
    for start in range(0, len(rows), 200):
        chunk = rows[start:start + 200]
        await engine.fetch(
            _insert_sql(table, tuple(columns), len(chunk)),
            [value for row in chunk for value in row],
        )


@functools.lru_cache(maxsize=256)
def _insert_sql(table: str, columns: tuple[str, ...], n_rows: int) -> str:
    one = "(" + ", ".join("?" for _ in columns) + ")"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join([one] * n_rows)
