"""Layout helpers shared by every process of a server: one per spare core, not one per web worker.

A helper of :mod:`~tracker.reports.layout_pool` started by a web worker over pipes serves that
worker alone, so a server of N workers kept N helpers (~90 MiB each once they have laid out a
large report). A shared helper listens on a Unix socket instead, one per *slot* (slot 0 lays out
a report's second piece, slot 1 its third, …), and any process of the same installation uses it:
the web workers, the report job thread, ``flask reports pdf``.

- **Where**: a folder of this user's only (mode 0700, checked on every use), named after the
  Python environment, the layout code, WeasyPrint's version and the static files, so a new
  release never hands its pieces to a helper of the old one (``REPORTS_LAYOUT_SOCKETS``
  overrides the place).
- **Who starts it**: whoever needs the slot and can lock its lock file; the lock passes to the
  helper (an inherited file) and is held for its lifetime, so a slot never has two. The helper
  warms up (WeasyPrint, fonts) and only then listens: a connection that succeeds is to a warm
  helper.
- **One piece per connection**: the helper accepts, says "R" with its process id, reads one
  piece and answers as over the pipes (status byte, length, payload). While it lays out one
  worker's piece, the next worker's connection waits in the queue: each core does one layout at
  a time either way.
- **Gone when idle**: no connection for ``REPORTS_LAYOUT_IDLE_SECONDS`` and it removes its
  socket, then exits (a connection that slips in between is refused and retried once, on a new
  helper). A helper that hangs over a piece is killed by the process that waited for it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from tracker.reports import layout_pool

#: How long a process waits for a slot's helper to be warm and listening.
START_SECONDS = 10.0
#: The longest a process waits on a helper's socket (its turn, then its piece) before giving up.
WAIT_SECONDS = 300.0
#: A slot's helper is "ready" when it greets a probe within this long (it is free and warm).
PROBE_SECONDS = 0.05
#: The modules a helper lays out with (with the static files, they name the folder).
_HELPER_CODE = ("engine.py", "layout_pool.py", "libraries.py", "shared_helpers.py")


class UnsafeFolder(RuntimeError):
    """The sockets' folder is not this user's alone: nothing is shared through it."""


@lru_cache(maxsize=1)
def installation_digest() -> str:
    """What a helper's output depends on: the Python installation (a virtual environment's folder,
    however its interpreter was called: gunicorn runs ``bin/python3``, an operator ``bin/python``),
    our layout code, WeasyPrint's version and the static files."""
    from tracker.reports.assets import assets_digest

    digest = hashlib.sha256(f"{sys.prefix}\0{sys.version}".encode())
    here = Path(__file__).resolve().parent
    for name in _HELPER_CODE:
        digest.update((here / name).read_bytes())
    digest.update(assets_digest().encode())
    return digest.hexdigest()[:16]


def default_folder() -> Path:
    return Path(tempfile.gettempdir()) / f"tracker-layout-{os.getuid()}-{installation_digest()}"


def private_folder(folder: Path) -> Path:
    """``folder``, created if needed, after checking that only this user can reach it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise UnsafeFolder(f"{folder} is not a folder of this user's alone (mode 0700)")
    return folder


def _slot_paths(folder: Path, slot: int) -> tuple[Path, Path]:
    return folder / f"slot-{slot}.sock", folder / f"slot-{slot}.lock"


def _recv_exactly(conn: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise EOFError("layout helper closed the connection")
        data += chunk
    return bytes(data)


#: The helpers this process started (kept so that their exit is collected, not left a zombie).
_started: list[subprocess.Popen[bytes]] = []


class SharedWorker:
    """A slot's helper, as the layout pool's workers are used: ``pdf``, ``is_ready``, ``stop``."""

    def __init__(self, folder: Path, slot: int, idle_seconds: float) -> None:
        self.folder, self.slot, self.idle_seconds = folder, slot, idle_seconds
        self.socket_path, self.lock_path = _slot_paths(folder, slot)
        self.serving_pid: int | None = None

    def _connect(self) -> socket.socket | None:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(str(self.socket_path))
        except (FileNotFoundError, ConnectionRefusedError):
            conn.close()
            return None
        return conn

    def start(self) -> None:
        """Start the slot's helper unless one holds it already (it warms up on its own).

        The slot's lock is taken here and handed to the helper (the same open file, inherited):
        from the check to the helper's end there is no moment when another process could find
        the slot free and start a second helper.
        """
        for process in [p for p in _started if p.poll() is not None]:
            _started.remove(process)
        lock = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # a helper holds the slot: starting or serving
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(layout_pool.PROJECT_ROOT), env.get("PYTHONPATH")])
            )
            command = [*layout_pool.Worker.COMMAND, str(self.idle_seconds), "--socket", str(self.socket_path)]
            # Nothing else of ours is inherited: a helper outlives the process that started it, and
            # a `flask reports pdf` whose output is captured would otherwise end only with it.
            with self.socket_path.with_suffix(".log").open("wb") as log:
                _started.append(
                    subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                        [*command, "--lock-fd", str(lock)],
                        pass_fds=(lock,),
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=log,
                        env=env,
                        cwd=str(layout_pool.PROJECT_ROOT),
                        start_new_session=True,  # not stopped with the worker that started it
                    )
                )
        finally:
            os.close(lock)  # the helper's inherited copy keeps the slot locked

    def _connect_or_start(self) -> socket.socket:
        conn = self._connect()
        if conn is not None:
            return conn
        self.start()
        deadline = time.monotonic() + START_SECONDS
        next_start = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            time.sleep(0.01)
            conn = self._connect()
            if conn is not None:
                return conn
            if time.monotonic() > next_start:  # the helper we found leaving is gone, or ours died
                self.start()
                next_start = time.monotonic() + 1.0
        raise TimeoutError(f"no layout helper listening on {self.socket_path}")

    def _greeted(self, conn: socket.socket) -> None:
        if _recv_exactly(conn, 1) != layout_pool.READY:
            raise RuntimeError("layout helper spoke out of turn")
        (self.serving_pid,) = struct.unpack(">I", _recv_exactly(conn, 4))

    def is_ready(self) -> bool:
        """Warm and free: it greets a probe at once (a piece sent now would start at once)."""
        conn = self._connect()
        if conn is None:
            return False
        with conn:
            conn.settimeout(PROBE_SECONDS)
            try:
                self._greeted(conn)
            except (OSError, EOFError, RuntimeError):
                return False
            return True  # closing unread tells the helper there is no piece: it takes the next one

    def pdf(self, html: str, timeout: float = WAIT_SECONDS) -> bytes:
        data = html.encode("utf-8")
        for attempt in (1, 2):
            conn = self._connect_or_start()
            with conn:
                conn.settimeout(timeout)
                try:
                    self._greeted(conn)  # waits while the helper lays out another process's piece
                except (ConnectionError, EOFError):
                    if attempt == 1:
                        continue  # it was leaving, idle, as we came: once more, on a new one
                    raise
                conn.sendall(struct.pack(">Q", len(data)) + data)
                status = _recv_exactly(conn, 1)
                (size,) = struct.unpack(">Q", _recv_exactly(conn, 8))
                payload = _recv_exactly(conn, size)
            if status != b"0":
                raise RuntimeError(f"layout helper failed: {payload.decode('utf-8', 'replace')}")
            return payload
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Kill the helper that took our piece (it hung over it); idle ones end by themselves."""
        if self.serving_pid is not None:
            try:
                os.kill(self.serving_pid, 9)
            except ProcessLookupError:
                pass
            self.serving_pid = None


class SharedPool:
    """The server's shared helpers in ``folder``, used as the layout pool's module is
    (:class:`~tracker.reports.layout_pool.HelperPool`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def workers(
        self, count: int, idle_seconds: float = layout_pool.DEFAULT_IDLE_SECONDS
    ) -> list[SharedWorker]:
        return [SharedWorker(self.folder, slot, idle_seconds) for slot in range(count)]

    def has_ready(self, count: int) -> bool:
        return all(worker.is_ready() for worker in self.workers(count))

    def prestart(self, count: int, idle_seconds: float = layout_pool.DEFAULT_IDLE_SECONDS) -> None:
        for worker in self.workers(count, idle_seconds):
            try:
                worker.start()
            except OSError:
                layout_pool.logger.exception("could not start a shared report layout helper")

    def abandon(self, helpers: Sequence[layout_pool.Helper]) -> None:
        """Kill the helpers that took our pieces and hung over them; others serve on."""
        for helper in helpers:
            if isinstance(helper, SharedWorker):
                helper.stop()
