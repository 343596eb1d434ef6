"""Instructions one request of a page costs (valgrind's callgrind), to compare two trees.

Wall and CPU times of a 40 ms page vary by ±15 % from run to run on a shared machine, more than
most changes save; the number of instructions the interpreter executes does not (the same
figure twice, whatever else the machine is doing). This counts them for one page of the
database ``bench/lists.py --keep`` leaves (``bench_lists``: 10,000 measures, 100 units), in the
tree given and, with ``--before``, in another checkout of the project (``git worktree add
/tmp/before HEAD~1``), two valgrind processes at a time:

    .venv/bin/python bench/instructions.py /inbox director --before /tmp/before

Each tree is counted twice, after ``--few`` and after ``--many`` requests (and a warm-up); the
difference divided by the extra requests is the cost of one request, start-up cancelled out.
Only this process's instructions are counted, not PostgreSQL's. Needs ``valgrind``
(``apt-get install valgrind``); about two minutes a count, most of it the app's start under
valgrind. Figures only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lists import database_url  # the database bench/lists.py --keep leaves

ROOT = Path(__file__).resolve().parent.parent

#: What each valgrind process runs: the app of the tree ``sys.argv[1]``, signed in, then requests.
REQUESTS = """
import sys, tempfile
root, database, url, who, count = sys.argv[1:6]
sys.path[:0] = [root, root + "/bench"]
from inbox_bench import PASSWORD
from timed_requests import sign_in
from tracker import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "bench",
                  "REPORTS_DIR": tempfile.mkdtemp(), "REPORTS_WORKER": "off", "TRACKER_SCHEDULER": "off"})
client = sign_in(app, who + "@bench.uz", PASSWORD)
for _ in range(3 + int(count)):
    assert client.get(url).status_code == 200, url
"""


def instructions(tree: Path, url: str, who: str, count: int) -> int:
    """Instructions of the whole process: start, sign-in, warm-up and ``count`` requests."""
    run = subprocess.run(  # noqa: S603 (valgrind from the PATH, checked in main; our interpreter)
        [  # noqa: S607
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            REQUESTS,
            str(tree),
            database_url(),
            url,
            who,
            str(count),
        ],
        capture_output=True,
        text=True,
        cwd=tree,
        # The same hash seed in every run: dict and set layouts, and with them the count, repeat.
        env={**os.environ, "PYTHONHASHSEED": "0"},
        check=False,
    )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if run.returncode != 0 or found is None:
        raise SystemExit(f"valgrind run failed in {tree}:\n{run.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("url", help="a page of the bench database, e.g. /inbox or /plans/1")
    parser.add_argument("who", choices=["director", "controller"])
    parser.add_argument("--before", type=Path, help="another checkout of the project to compare with")
    parser.add_argument("--few", type=int, default=5)
    parser.add_argument("--many", type=int, default=25)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: apt-get install valgrind")
    trees = [t for t in (args.before, ROOT) if t is not None]
    jobs = [(tree, count) for tree in trees for count in (args.few, args.many)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = pool.map(lambda job: instructions(job[0], args.url, args.who, job[1]), jobs)
        counted = dict(zip(jobs, counts, strict=True))
    for tree in trees:
        per_request = (counted[(tree, args.many)] - counted[(tree, args.few)]) / (args.many - args.few)
        print(f"{args.url} as {args.who}, {tree}: {per_request / 1e6:.2f} million instructions a request")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
