"""The issue's load figure: a plan page of a 10,000-measure plan under ``wrk -t2 -c8 -d10s``,
gunicorn with 2 sync workers on PostgreSQL; prints req/s, p50/p99 latency and the peak memory of
the server (master and workers summed, sampled every 0.1 s). Used by bench/lists.py ``--serve``.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AGENT = "tracker-bench"


def _proc_kib(pid: int, file: str, field: str) -> int:
    """A ``field: N kB`` line of ``/proc/<pid>/<file>`` (0 once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kib(pid: int) -> int:
    return _proc_kib(pid, "status", "VmRSS:")


def _pss_kib(pid: int) -> int:
    """Proportional set size: each shared page counted once across the processes sharing it."""
    return _proc_kib(pid, "smaps_rollup", "Pss:")


def _tree(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        children += [int(c) for c in task.read_text().split()]
    return [pid, *(p for c in children for p in _tree(c))]


def _command(pid: int) -> list[bytes]:
    """A process's command line (empty once it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return []


def _interpreter_dir(command: list[bytes]) -> Path | None:
    """The folder of the interpreter a command line runs (a virtualenv's ``bin``)."""
    return Path(os.fsdecode(command[0])).parent if command and command[0] else None


def shared_helpers(interpreter_dir: Path | None = None) -> list[int]:
    """The layout helpers shared by the machine's tracker processes (``layout_pool --socket``):
    they serve the server, but the one a `flask reports pdf` started is no descendant of it.
    With ``interpreter_dir``, only those of that virtualenv (another installation's helpers, left
    idle by an earlier bench on another interpreter, are no part of this server)."""
    found = []
    for entry in Path("/proc").iterdir():
        command = _command(int(entry.name)) if entry.name.isdigit() else []
        if b"tracker.reports.layout_pool" not in command or b"--socket" not in command:
            continue
        if interpreter_dir is None or _interpreter_dir(command) == interpreter_dir:
            found.append(int(entry.name))
    return found


def _server(pid: int, helpers: bool) -> set[int]:
    if not helpers:
        return set(_tree(pid))
    return {*_tree(pid), *shared_helpers(_interpreter_dir(_command(pid)))}


def tree_rss_kib(pid: int, *, helpers: bool = False) -> int:
    """Resident memory of a process and all its descendants (a server's master, workers and
    their own layout helpers), in KiB; with ``helpers``, also the machine's shared layout helpers
    (they serve a server's reports; a lists bench leaves them out, since one left idle by an
    earlier report bench is no part of it)."""
    return sum(_rss_kib(p) for p in _server(pid, helpers))


def tree_pss_kib(pid: int, *, helpers: bool = False) -> int:
    """The same processes' memory with shared pages counted once (a forked process shares its
    parent's pages until either writes them; resident sizes count them in both)."""
    return sum(_pss_kib(p) for p in _server(pid, helpers))


class PeakMemory:
    """The highest :func:`tree_rss_kib` (``peak``) and :func:`tree_pss_kib` (``peak_pss``) of
    ``pid`` (with the shared layout helpers when ``helpers``), sampled every 0.1 s by a thread
    while in use."""

    def __init__(self, pid: int, *, helpers: bool = False) -> None:
        self.pid, self.helpers = pid, helpers
        self.peak = tree_rss_kib(pid, helpers=helpers)
        self.peak_pss = tree_pss_kib(pid, helpers=helpers)
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, tree_rss_kib(self.pid, helpers=self.helpers))
            self.peak_pss = max(self.peak_pss, tree_pss_kib(self.pid, helpers=self.helpers))
            time.sleep(0.1)

    def start(self) -> PeakMemory:
        self._sampler.start()
        return self

    def stop(self) -> None:
        self._done.set()
        self._sampler.join()

    def __enter__(self) -> PeakMemory:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _session_cookie(base: str, email: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", AGENT)]  # sessions are bound to the browser (Flask-Login)
    page = opener.open(f"{base}/login").read().decode()  # noqa: S310 (our own local server)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
    opener.open(f"{base}/login", data=form)  # noqa: S310
    return "; ".join(f"{c.name}={c.value}" for c in jar)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None


def run(database_url: str, path: str, email: str, password: str, port: int | None = None) -> None:
    port = port or int(os.environ.get("BENCH_PORT", "8017"))  # two benches side by side: own ports
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-" + "x" * 32,
        "REPORTS_WORKER": "off",
        "TRACKER_SCHEDULER": "off",
    }
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        cookie = _session_cookie(base, email, password)
        probe = urllib.request.Request(base + path, headers={"Cookie": cookie, "User-Agent": AGENT})  # noqa: S310
        opener = urllib.request.build_opener(_NoRedirect())
        with opener.open(probe) as response:  # noqa: S310
            body = response.read()
            if response.status != 200:
                raise SystemExit(f"{path}: HTTP {response.status} for the signed-in user, not 200")
        print(f"  {path}: 200, {len(body) / 1024:.0f} KB for the signed-in user")
        idle = tree_rss_kib(server.pid)
        with PeakMemory(server.pid) as memory:
            wrk = subprocess.run(  # noqa: S603
                [
                    "/usr/bin/wrk",
                    "-t2",
                    "-c8",
                    "-d10s",
                    "--latency",
                    "-H",
                    f"Cookie: {cookie}",
                    "-H",
                    f"User-Agent: {AGENT}",
                    base + path,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
        after = tree_rss_kib(server.pid)
        out = wrk.stdout
        rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
        p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
        p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        print(f"wrk -t2 -c8 -d10s {path} (gunicorn 2 sync workers, PostgreSQL), load {os.getloadavg()}")
        print(f"  {rps[1] if rps else '?'} req/s, p50 {p50[1] if p50 else '?'}, p99 {p99[1] if p99 else '?'}")
        transfer = re.search(r"Transfer/sec:\s+(\S+)", out)
        print(f"  non-2xx/3xx: {non2xx[1] if non2xx else 0}, transfer/s {transfer[1] if transfer else '?'}")
        figures = (
            f"idle {idle / 1024:.0f} MiB, peak {memory.peak / 1024:.0f} MiB, after {after / 1024:.0f} MiB"
        )
        shared_once = f"shared pages once: peak {memory.peak_pss / 1024:.0f} MiB"
        print(f"  server memory (sum of processes): {figures}; {shared_once}")
    finally:
        server.terminate()
        server.wait(timeout=30)
