"""Layout helper processes: started on first use, kept while busy, gone after a minute idle.

A helper is a plain ``python -m tracker.reports.layout_pool`` subprocess rather than a
:mod:`multiprocessing` child: it imports nothing of the caller (no ``__main__`` re-run, no app,
no database), needs nothing but the HTML of its piece, and ends when its stdin closes (with us)
or when no piece has come for ``idle_seconds`` (``REPORTS_LAYOUT_IDLE_SECONDS``, default 60),
so a web worker does not keep 70–155 MiB of WeasyPrint alive for a report a day.

Messages on the pipes: once warm, the helper says so with one byte ("R"); then each piece is an
8-byte big-endian length and the HTML (UTF-8), and each answer one status byte ("0" PDF
follows, "1" error text follows), length and payload.
"""

from __future__ import annotations

import atexit
import logging
import os
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, ClassVar, Protocol

logger = logging.getLogger(__name__)

#: The folder holding the ``tracker`` package (the helpers' import path).
PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
#: A helper with no piece for this long exits (``REPORTS_LAYOUT_IDLE_SECONDS``).
DEFAULT_IDLE_SECONDS = 60.0
#: What a helper says once it has imported WeasyPrint and loaded the fonts.
READY = b"R"


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("layout worker pipe closed")
    return data


class Worker:
    """One helper process that turns pieces into PDFs, one at a time."""

    #: The helper program (tests run a dying or hanging program in its place).
    COMMAND: ClassVar[list[str]] = [sys.executable, "-m", "tracker.reports.layout_pool"]

    def __init__(self, idle_seconds: float = DEFAULT_IDLE_SECONDS) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
        self.idle_seconds = idle_seconds
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [*self.COMMAND, str(idle_seconds)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=str(PROJECT_ROOT),
        )
        self.lock = threading.Lock()
        self.last_used = time.monotonic()
        self.is_warm = False

    def _await_warm(self, timeout: float | None) -> bool:
        """Read the helper's "warm" byte if it has come (waiting up to ``timeout``; None: forever)."""
        if not self.is_warm:
            stdout = self.process.stdout
            assert stdout is not None
            ready, _, _ = select.select([stdout.fileno()], [], [], timeout)
            if ready:
                if _read_exactly(stdout, 1) != READY:
                    raise RuntimeError("layout worker spoke out of turn")
                self.is_warm = True
        return self.is_warm

    def is_ready(self) -> bool:
        """Warm (fonts loaded, WeasyPrint imported) and fresh: a piece sent now starts at once."""
        if not self.lock.acquire(blocking=False):
            return False  # busy with another report's piece
        try:
            return self.is_fresh() and self._await_warm(0)
        except (EOFError, RuntimeError, OSError):
            return False
        finally:
            self.lock.release()

    def alive(self) -> bool:
        return self.process.poll() is None

    def is_fresh(self) -> bool:
        """Alive, and not about to exit for idleness (it may be doing so as we speak)."""
        margin = min(5.0, self.idle_seconds / 2)
        return self.alive() and time.monotonic() - self.last_used < self.idle_seconds - margin

    def pdf(self, html: str) -> bytes:
        data = html.encode("utf-8")
        with self.lock:
            stdin, stdout = self.process.stdin, self.process.stdout
            assert stdin is not None and stdout is not None
            self._await_warm(None)
            stdin.write(struct.pack(">Q", len(data)) + data)
            stdin.flush()
            status = _read_exactly(stdout, 1)
            (size,) = struct.unpack(">Q", _read_exactly(stdout, 8))
            payload = _read_exactly(stdout, size)
            self.last_used = time.monotonic()
        if status != b"0":
            raise RuntimeError(f"layout worker failed: {payload.decode('utf-8', 'replace')}")
        return payload

    def stop(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


_workers: list[Worker] = []
_workers_lock = threading.Lock()


def workers(count: int, idle_seconds: float = DEFAULT_IDLE_SECONDS) -> list[Worker]:
    """``count`` running helpers: fresh ones are reused, idle-expired ones replaced."""
    with _workers_lock:
        for worker in [w for w in _workers if not w.is_fresh()]:
            worker.stop()
            _workers.remove(worker)
        while len(_workers) < count:
            _workers.append(Worker(idle_seconds))
        return _workers[:count]


def has_ready(count: int) -> bool:
    """Whether ``count`` helpers are warm and not about to leave (a piece would start at once)."""
    with _workers_lock:
        return sum(1 for w in _workers if w.is_ready()) >= count


def running() -> list[Worker]:
    """The helpers this process holds and that are still running."""
    with _workers_lock:
        return [w for w in _workers if w.alive()]


def prestart(count: int, idle_seconds: float = DEFAULT_IDLE_SECONDS) -> None:
    """Start the helpers now (they warm up on their own), so the next large report finds them ready."""
    try:
        workers(count, idle_seconds)
    except OSError:
        logger.exception("could not start a report layout worker")


def stop_workers() -> None:
    with _workers_lock:
        for worker in _workers:
            worker.stop()
        _workers.clear()


def abandon(helpers: Sequence[Helper]) -> None:
    """A helper hung over a piece: stop this process's helpers (killing it ends the blocked read)."""
    stop_workers()


class Helper(Protocol):
    """A layout helper as the parallel layout uses it: this process's (:class:`Worker`) or one
    shared by the server (:class:`~tracker.reports.shared_helpers.SharedWorker`)."""

    def pdf(self, html: str) -> bytes: ...


class HelperPool(Protocol):
    """Where a report's helpers come from: this module (each process its own, over pipes) or a
    :class:`~tracker.reports.shared_helpers.SharedPool` (the server's, over Unix sockets)."""

    def workers(self, count: int, idle_seconds: float = ...) -> Sequence[Helper]: ...

    def has_ready(self, count: int) -> bool: ...

    def prestart(self, count: int, idle_seconds: float = ...) -> None: ...

    def abandon(self, helpers: Sequence[Helper]) -> None: ...


atexit.register(stop_workers)


def serve(stdin: IO[bytes], stdout: IO[bytes], idle_seconds: float = DEFAULT_IDLE_SECONDS) -> None:
    """The helper's loop: a piece in, its PDF out, until stdin closes or nothing comes for a while."""
    from tracker.reports.engine import piece_pdf, warm_up

    warm_up()
    stdout.write(READY)
    stdout.flush()
    while True:
        ready, _, _ = select.select([stdin.fileno()], [], [], idle_seconds)
        if not ready:
            return  # idle: give the memory back
        head = stdin.read(8)
        if len(head) < 8:
            return
        (size,) = struct.unpack(">Q", head)
        html = _read_exactly(stdin, size).decode("utf-8")
        status, payload = _piece(piece_pdf, html)
        stdout.write(status + struct.pack(">Q", len(payload)) + payload)
        stdout.flush()


def serve_socket(
    socket_path: Path, idle_seconds: float = DEFAULT_IDLE_SECONDS, lock_fd: int | None = None
) -> None:
    """A shared helper's loop (:mod:`~tracker.reports.shared_helpers`): hold the slot (the lock
    its starter took and passed on as ``lock_fd``), warm up, then listen, one piece per
    connection, until nothing comes for ``idle_seconds``."""
    import fcntl
    import socket

    from tracker.reports.engine import piece_pdf, warm_up

    lock = (
        lock_fd
        if lock_fd is not None
        else os.open(socket_path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    )
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # ours already when passed on
    except BlockingIOError:
        return  # another helper holds this slot
    warm_up()
    socket_path.unlink(missing_ok=True)  # a helper that was killed left it
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(socket_path))
    listener.listen(16)
    listener.settimeout(idle_seconds)
    greeting = READY + struct.pack(">I", os.getpid())
    try:
        while True:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                return  # idle: give the memory back
            with conn, conn.makefile("rb") as stream:
                conn.settimeout(None)
                try:
                    conn.sendall(greeting)
                    head = stream.read(8)
                    if len(head) < 8:
                        continue  # a probe, or a caller that went away
                    (size,) = struct.unpack(">Q", head)
                    html = _read_exactly(stream, size).decode("utf-8")
                    status, payload = _piece(piece_pdf, html)
                    conn.sendall(status + struct.pack(">Q", len(payload)) + payload)
                except (OSError, EOFError):
                    continue  # the caller gave up waiting
    finally:
        socket_path.unlink(missing_ok=True)  # before the lock goes: the next caller starts a new one
        listener.close()


def _piece(piece_pdf: Callable[[str], bytes], html: str) -> tuple[bytes, bytes]:
    try:
        return b"0", piece_pdf(html)
    except Exception as error:  # noqa: BLE001 (reported to the caller, which falls back)
        return b"1", f"{type(error).__name__}: {error}".encode()


def main(argv: list[str]) -> None:
    logging.basicConfig(level=logging.WARNING)
    # the PDFs go out on the original stdout; anything else printed goes to stderr
    protocol = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    idle = float(argv[1]) if len(argv) > 1 else DEFAULT_IDLE_SECONDS
    if "--socket" in argv:  # a helper shared by every process of the server
        lock_fd = int(argv[argv.index("--lock-fd") + 1]) if "--lock-fd" in argv else None
        serve_socket(Path(argv[argv.index("--socket") + 1]), idle, lock_fd)
    else:
        serve(sys.stdin.buffer, protocol, idle)
    # Every PDF is down the pipe. The interpreter's teardown of WeasyPrint's objects and modules
    # (60-110 ms) is skipped: the process that closed our stdin waits for us to end, and a
    # one-shot `flask reports pdf` would end that much later.
    protocol.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv)
