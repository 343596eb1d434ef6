"""Measure transliteration accuracy on real government text.

Run from the repository root::

    python -m tracker.uzbek.accuracy                  # gold word lists only
    python -m tracker.uzbek.accuracy --seeds ../shared/seeds   # plus the seed round-trips

Two measures (docs/transliteration.md reports both):

* **gold accuracy**: every word of the seed documents with its hand-checked form in the other
  script (tests/uzbek/data/gold_cyrl.tsv: Cyrillic → Latin, gold_latn.tsv: Latin → Cyrillic);
  a word counts as right when ``to_latin``/``to_cyrillic`` gives exactly the gold form.
* **round trip**: every word of the normalised seed text goes there and back
  (Cyrillic seeds: cyrillic → latin → cyrillic; seed 001, Latin: latin → cyrillic → latin).

Words excluded from the round trip, by rule: words with letters outside the source script's
Uzbek alphabet (Russian ы/щ, Kazakh ө, Arabic letters: OCR garbage or quoted Russian, which the
Uzbek alphabets cannot carry both ways), and known OCR misspellings the lexicon corrects on the
way back (январ → yanvar → январь), listed in ``ROUND_TRIP_CORRECTIONS``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tracker.uzbek import lexicon as lexicon_module
from tracker.uzbek.normalise import normalise
from tracker.uzbek.translit import to_cyrillic, to_latin
from tracker.uzbek.translit_words import clear_word_caches

__all__ = [
    "DATA_FILES_MIN",
    "official_spelling",
    "GOLD_DIR",
    "ROUND_TRIP_CORRECTIONS",
    "Score",
    "gold_score",
    "load_gold",
    "reversed_gold",
    "round_trip_score",
    "seed_words",
]

GOLD_DIR = Path(__file__).resolve().parents[2] / "tests" / "uzbek" / "data"

#: The gold files hold every word of the seeds; fewer rows means the corpus was damaged.
DATA_FILES_MIN = {"gold_cyrl.tsv": 1500, "gold_latn.tsv": 300}

# OCR spellings that come back corrected: the round trip counts the corrected form as right.
ROUND_TRIP_CORRECTIONS: dict[str, str] = {
    "январ": "январь",
    "феврал": "февраль",
    "апрел": "апрель",
    "июн": "июнь",
    "июл": "июль",
    "сентябр": "сентябрь",
    "октябр": "октябрь",
    "ноябр": "ноябрь",
    "декабр": "декабрь",
    # A Latin spelling older than the official one comes back official (seed 001).
    "byudjet": "budjet",
}

_UZ_CYRL = set("абвгдеёжзийклмнопрстуфхцчшъьэюяўқғҳ")
_WORD_RE = re.compile(r"[^\s]+")
_NUMBER_HYPHEN_RE = re.compile(r"(?<=\d)[-–](?=[^\W\d_])")


@dataclass
class Score:
    """Counts of one measurement; ``failures`` lists (input, expected, got)."""

    total: int = 0
    correct: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0

    def add(self, source: str, expected: str, got: str) -> None:
        self.total += 1
        if got == expected:
            self.correct += 1
        else:
            self.failures.append((source, expected, got))


def seed_words(text: str) -> list[str]:
    """The whitespace-separated tokens of the normalised text that contain a letter."""
    return [t for t in _WORD_RE.findall(normalise(text)) if any(ch.isalpha() for ch in t)]


def _excluded(token: str, script: str) -> bool:
    letters = [ch.lower() for ch in token if ch.isalpha() and ch not in "ʻʼ"]
    if script == "cyrl":
        cyr = [ch for ch in letters if "\u0400" <= ch <= "\u04ff"]
        foreign = [ch for ch in letters if not ("\u0400" <= ch <= "\u04ff" or "a" <= ch <= "z")]
        return bool(foreign) or any(ch not in _UZ_CYRL for ch in cyr)
    return any(not ("a" <= ch <= "z") for ch in letters)


def round_trip_score(text: str, script: str) -> tuple[Score, int]:
    """Round-trip every word of ``text`` written in ``script`` ("cyrl" or "latn").

    Returns the score and the number of words excluded by rule.

    Raises:
        ValueError: unknown ``script``.
    """
    if script not in ("cyrl", "latn"):
        raise ValueError(f"unknown script {script!r}")
    score = Score()
    excluded = 0
    # The whole text goes there and back (foreign phrases span several words); transliteration
    # changes no whitespace but the date hyphen ("2019 йил" ⇄ "2019-yil"), so with a number's
    # hyphen read as a space on both sides the words line up again afterwards.
    clean = normalise(text)
    there = to_latin(clean) if script == "cyrl" else to_cyrillic(clean)
    back = to_cyrillic(there) if script == "cyrl" else to_latin(there)
    sources, results = (_WORD_RE.findall(_NUMBER_HYPHEN_RE.sub(" ", t)) for t in (clean, back))
    if len(sources) != len(results):
        raise AssertionError("transliteration changed the number of words")
    for token, got in zip(sources, results, strict=True):
        if not any(ch.isalpha() for ch in token):
            continue
        if _excluded(token, script):
            excluded += 1
            continue
        score.add(token, official_spelling(token), got)
    return score, excluded


def official_spelling(token: str) -> str:
    """``token`` with the OCR and older spellings of ROUND_TRIP_CORRECTIONS made official."""

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        right = ROUND_TRIP_CORRECTIONS.get(word.lower())
        if right is None:
            return word
        if word.isupper() and len(word) > 1:
            return right.upper()
        return right[0].upper() + right[1:] if word[0].isupper() else right

    return re.sub(r"[\u0400-\u04ffA-Za-z]+", fix, token)


def load_gold(path: Path) -> list[tuple[str, str]]:
    """Read a gold TSV (source<TAB>expected, '#' comments) into pairs.

    Raises:
        ValueError: a line without exactly two columns.
    """
    pairs: list[tuple[str, str]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 2:
            raise ValueError(f"{path.name}:{lineno}: expected two tab-separated columns")
        pairs.append((cols[0], cols[1]))
    return pairs


def gold_score(pairs: Iterable[tuple[str, str]], direction: str) -> Score:
    """Score ``to_latin`` ("c2l") or ``to_cyrillic`` ("l2c") on (source, expected) pairs.

    Raises:
        ValueError: unknown ``direction``.
    """
    if direction not in ("c2l", "l2c"):
        raise ValueError(f"unknown direction {direction!r}")
    fn = to_latin if direction == "c2l" else to_cyrillic
    score = Score()
    for source, expected in pairs:
        score.add(source, expected, fn(source))
    return score


@contextmanager
def rules_only() -> Iterator[None]:
    """Switch the exception lexicon off (foreign vocabulary kept) to measure the bare rules."""
    full = lexicon_module.lexicon()
    empty = lexicon_module.Lexicon({}, {}, {}, {}, full.foreign, full.foreign_phrases)
    original = lexicon_module.lexicon
    lexicon_module.lexicon = lambda: empty  # type: ignore[assignment]
    clear_word_caches()
    try:
        yield
    finally:
        lexicon_module.lexicon = original
        clear_word_caches()


def reversed_gold(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(Cyrillic, Latin) gold pairs turned into (Latin, Cyrillic), OCR spellings corrected."""
    return [(lat, official_spelling(cyr)) for cyr, lat in pairs]


SEED_SCRIPTS = {"000": "cyrl", "001": "latn", "002": "cyrl", "003": "cyrl", "004": "cyrl"}


def main(argv: list[str] | None = None) -> int:
    """Print the accuracy report; exit status 1 when a measure is below 99.5 %."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD_DIR, help="directory with gold_cyrl.tsv, gold_latn.tsv")
    ap.add_argument("--seeds", type=Path, default=None, help="directory with the seed documents 000-004")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every failure")
    ap.add_argument("--rules-only", action="store_true", help="switch the lexicon off (baseline)")
    args = ap.parse_args(argv)
    if args.rules_only:
        with rules_only():
            _report(args)
        return 0
    return 0 if _report(args) else 1


def _report(args: argparse.Namespace) -> bool:
    ok = True
    gold_cyrl = load_gold(args.gold / "gold_cyrl.tsv")
    rows = [
        ("gold Cyrillic → Latin", gold_score(gold_cyrl, "c2l")),
        ("gold Latin → Cyrillic (seed 001)", gold_score(load_gold(args.gold / "gold_latn.tsv"), "l2c")),
        ("gold Latin → Cyrillic (Cyrillic seeds)", gold_score(reversed_gold(gold_cyrl), "l2c")),
    ]
    if args.seeds is not None:
        for path in sorted(args.seeds.glob("00[0-4]_*.txt")):
            script = SEED_SCRIPTS[path.name[:3]]
            score, excluded = round_trip_score(path.read_text(encoding="utf-8"), script)
            rows.append((f"round trip {path.name[:3]} ({script}, {excluded} excluded)", score))
    for name, score in rows:
        print(f"{name:45s} {score.correct:6d}/{score.total:<6d} {100 * score.accuracy:7.2f} %")
        ok = ok and score.accuracy >= 0.995
        if args.verbose:
            for source, expected, got in score.failures:
                print(f"    {source!r}: expected {expected!r}, got {got!r}")
    return ok


if __name__ == "__main__":
    sys.exit(main())
