"""Time the Uzbek language engine on 100,000-character inputs (target: < 0.5 s each).

Run from the repository root: ``python bench/uzbek_speed.py``. Prints one line per input and
function: the CPU seconds this process spent (wall time would count other processes on a busy
machine). The inputs are government prose in both scripts, a single 100,000-character word, and
shapes that used to make a regular expression backtrack (long dotted names, an endless URL, an
e-mail-like run, a long run of digits and dashes, thousands of apostrophes).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.uzbek import normalise, search_key, to_cyrillic, to_latin  # noqa: E402

SIZE = 100_000
TARGET_SECONDS = 0.5

CYRILLIC = (
    "Ўзбекистон Республикаси Президентининг 2019 йил 12 сентябрдаги ПФ-5822-сон Фармони ижросини "
    "таъминлаш мақсадида «Очиқ маълумотлар» порталида (https://data.egov.uz) 2025 йил 1 апрелгача "
    "маълумотлар тўплами эълон қилинсин; ТДЮУ ва ЎзА билан ҳамкорликда коррупцияга қарши "
    "курашиш бўйича медальон, подъезд ва маъно сўзлари ҳам ишлатилади. "
)
LATIN = to_latin(CYRILLIC)


def repeat_to(text: str, size: int = SIZE) -> str:
    return (text * (size // len(text) + 1))[:size]


INPUTS: dict[str, str] = {
    "Cyrillic prose": repeat_to(CYRILLIC),
    "Latin prose": repeat_to(LATIN),
    "one Cyrillic word": repeat_to("коррупцияга"),
    "one Latin word": repeat_to("oʻzbekiston"),
    "dotted name": repeat_to("a."),
    "endless URL": "https://" + repeat_to("a", SIZE - 8),
    "e-mail-like run": repeat_to("a@b-"),
    "domain-like run": repeat_to("x-"),
    "digits and dashes": repeat_to("12-"),
    "apostrophes": repeat_to("o'"),
    "numbers and years": repeat_to("2019 йил 12 "),
}
FUNCTIONS: dict[str, Callable[[str], str]] = {
    "normalise": normalise,
    "to_latin": to_latin,
    "to_cyrillic": to_cyrillic,
    "search_key": search_key,
}


def main() -> int:
    to_latin("warm up the lexicon")
    slowest = 0.0
    for name, text in INPUTS.items():
        for label, function in FUNCTIONS.items():
            # CPU time of this process: the machine may be busy with other work.
            start = time.process_time()
            function(text)
            seconds = time.process_time() - start
            slowest = max(slowest, seconds)
            flag = "" if seconds < TARGET_SECONDS else "   <-- over the target"
            print(f"{name:20s} {label:12s} {len(text):7d} chars {seconds:8.3f} s{flag}")
    print(f"slowest: {slowest:.3f} s (target {TARGET_SECONDS} s)")
    return 0 if slowest < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
