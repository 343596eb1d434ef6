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


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        children += [int(c) for c in task.read_text().split()]
    return [pid, *(p for c in children for p in _tree(c))]


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
        idle = sum(_rss_kib(p) for p in _tree(server.pid))
        peak = [idle]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], sum(_rss_kib(p) for p in _tree(server.pid)))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample)
        sampler.start()
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
        done.set()
        sampler.join()
        after = sum(_rss_kib(p) for p in _tree(server.pid))
        out = wrk.stdout
        rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
        p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
        p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        print(f"wrk -t2 -c8 -d10s {path} (gunicorn 2 sync workers, PostgreSQL), load {os.getloadavg()}")
        print(f"  {rps[1] if rps else '?'} req/s, p50 {p50[1] if p50 else '?'}, p99 {p99[1] if p99 else '?'}")
        transfer = re.search(r"Transfer/sec:\s+(\S+)", out)
        print(f"  non-2xx/3xx: {non2xx[1] if non2xx else 0}, transfer/s {transfer[1] if transfer else '?'}")
        memory = f"idle {idle / 1024:.0f} MiB, peak {peak[0] / 1024:.0f} MiB, after {after / 1024:.0f} MiB"
        print(f"  server memory (sum of processes): {memory}")
    finally:
        server.terminate()
        server.wait(timeout=30)
