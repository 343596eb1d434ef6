"""Layout helpers shared by every process of a server (tracker/reports/shared_helpers.py): one per
spare core, reached over a Unix socket in a folder of this user's alone, gone when idle."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reports.conftest import page_count, row_numbers
from tests.reports.test_report_speed_paths import PAGE_NUMBER, status_data, words
from tracker.reports import layout_pool, parallel, render, shared_helpers, splitting
from tracker.reports.engine import write_pdf

PIECE = (
    '<!doctype html><html><head><link rel="stylesheet" href="css/report.css"></head>'
    "<body><p>Ижро ҳолати</p></body></html>"
)


def _helpers_of(folder: Path) -> list[int]:
    """The processes serving a slot of ``folder`` (shared helpers), by their command line."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
                state = (entry / "stat").read_text().split(") ", 1)[1][0]
            except OSError:
                continue
            if state != "Z" and any(str(folder).encode() in part for part in command):
                found.append(int(entry.name))
    return found


def _wait_until(condition, seconds: float = 60) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def large_html(app) -> str:  # noqa: ANN001
    with app.app_context():
        return render.render_html("reports/status.html", status_data(splitting.MIN_ROWS + 20))


@pytest.fixture
def sockets(tmp_path: Path) -> Iterator[Path]:
    """A private sockets folder; every helper serving it is stopped afterwards."""
    folder = shared_helpers.private_folder(tmp_path / "layout")
    yield folder
    for pid in _helpers_of(folder):
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass


def test_two_callers_at_once_share_one_helper(sockets):
    """Two web workers' pieces go to the slot's one helper, one after the other; starting it at
    the same moment, they start one helper, not two."""
    callers = [shared_helpers.SharedPool(sockets).workers(1, 60)[0] for _ in range(2)]
    results: list[bytes] = []

    def lay_out(caller) -> None:  # noqa: ANN001
        results.append(caller.pdf(PIECE))

    threads = [threading.Thread(target=lay_out, args=(c,)) for c in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 2 and all(pdf.startswith(b"%PDF") for pdf in results)
    assert callers[0].serving_pid == callers[1].serving_pid
    assert _helpers_of(sockets) == [callers[0].serving_pid]
    assert shared_helpers.SharedPool(sockets).has_ready(1)  # warm and free again


def test_a_helper_for_a_slot_already_held_leaves_at_once(sockets):
    (caller,) = shared_helpers.SharedPool(sockets).workers(1, 60)
    caller.pdf(PIECE)
    second = subprocess.run(  # noqa: S603 (our interpreter and module)
        [*layout_pool.Worker.COMMAND, "60", "--socket", str(sockets / "slot-0.sock")],
        cwd=layout_pool.PROJECT_ROOT,
        capture_output=True,
        timeout=60,
    )
    assert second.returncode == 0, second.stderr
    assert _helpers_of(sockets) == [caller.serving_pid]  # the first still serves the slot
    assert caller.pdf(PIECE).startswith(b"%PDF")


def test_an_idle_helper_leaves_and_the_next_piece_starts_a_new_one(sockets):
    (caller,) = shared_helpers.SharedPool(sockets).workers(1, idle_seconds=1)
    caller.pdf(PIECE)
    first = caller.serving_pid
    assert _wait_until(lambda: not _helpers_of(sockets))
    assert not (sockets / "slot-0.sock").exists()  # removed before it let go of the slot
    assert not shared_helpers.SharedPool(sockets).has_ready(1)
    assert caller.pdf(PIECE).startswith(b"%PDF")
    assert caller.serving_pid not in (None, first)


def test_a_socket_left_by_a_dead_helper_is_replaced(sockets):
    (caller,) = shared_helpers.SharedPool(sockets).workers(1, 60)
    caller.pdf(PIECE)
    os.kill(caller.serving_pid, 9)  # no chance to remove its socket
    assert _wait_until(lambda: not _helpers_of(sockets))
    assert (sockets / "slot-0.sock").exists()
    assert caller.pdf(PIECE).startswith(b"%PDF")
    assert _helpers_of(sockets) == [caller.serving_pid]


def test_a_folder_others_can_enter_is_refused_and_each_process_keeps_its_own(app, tmp_path, monkeypatch):
    shared = tmp_path / "open-to-all"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    with pytest.raises(shared_helpers.UnsafeFolder):
        shared_helpers.private_folder(shared)
    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_SHARED", True)
    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_SOCKETS", str(shared))
    with app.app_context():
        assert render.helper_pool() is layout_pool
    assert list(shared.iterdir()) == []


def test_the_server_and_the_command_line_find_the_same_helpers():
    """gunicorn runs the virtual environment's ``python3``, an operator types ``python``: one
    installation, one folder (they used to get one each, and two helpers)."""
    script = "from tracker.reports import shared_helpers; print(shared_helpers.default_folder())"
    folders = {
        subprocess.run(  # noqa: S603 (the environment's own interpreters)
            [str(Path(sys.executable).with_name(name)), "-c", script],
            cwd=layout_pool.PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for name in ("python", "python3")
        if Path(sys.executable).with_name(name).exists()
    }
    assert folders == {str(shared_helpers.default_folder())}


def test_a_new_release_gets_its_own_helpers(monkeypatch):
    """The folder is named after the code and static files a helper lays out with."""
    from tracker.reports import assets

    shared_helpers.installation_digest.cache_clear()
    before = shared_helpers.default_folder()
    monkeypatch.setattr(assets, "assets_digest", lambda: "another report.css")
    shared_helpers.installation_digest.cache_clear()
    try:
        assert shared_helpers.default_folder() != before
        assert str(os.getuid()) in before.name
    finally:
        monkeypatch.undo()
        shared_helpers.installation_digest.cache_clear()


def test_a_report_laid_out_with_a_shared_helper_reads_like_one_laid_out_alone(
    app, large_html, read_pdf, sockets, monkeypatch
):
    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_SHARED", True)
    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_SOCKETS", str(sockets))
    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_PROCESSES", 2)
    layout_pool.stop_workers()  # none of this process's own, from earlier tests
    with app.app_context():
        assert isinstance(render.helper_pool(), shared_helpers.SharedPool)
        merged = render.html_to_pdf(large_html)
    single = write_pdf(large_html)
    assert len(_helpers_of(sockets)) == 1 and layout_pool.running() == []  # shared, not this process's
    merged_text, single_text = read_pdf(merged), read_pdf(single)
    assert page_count(merged) >= page_count(single) and PAGE_NUMBER.search(merged_text)
    assert row_numbers(read_pdf(merged, layout=True)) == row_numbers(read_pdf(single, layout=True))
    assert set(words(merged_text)) == set(words(single_text))


HANGING_HELPER = """
import os, socket, struct, sys, time
path = sys.argv[sys.argv.index("--socket") + 1]
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(path)
listener.listen(4)
conn, _ = listener.accept()
conn.sendall(b"R" + struct.pack(">I", os.getpid()))
time.sleep(600)
"""


def test_a_hung_shared_helper_is_killed_and_the_report_falls_back(
    app, large_html, read_pdf, sockets, monkeypatch
):
    monkeypatch.setattr(layout_pool.Worker, "COMMAND", [sys.executable, "-c", HANGING_HELPER])
    monkeypatch.setattr(parallel, "PIECE_TIMEOUT_SECONDS", 1)
    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_SHARED", True)
    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_SOCKETS", str(sockets))
    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_PROCESSES", 2)
    with app.app_context():
        pdf = render.html_to_pdf(large_html)
    assert PAGE_NUMBER.search(read_pdf(pdf))  # laid out in this process instead
    assert _wait_until(lambda: not _helpers_of(sockets), 30)  # the hung helper was killed
