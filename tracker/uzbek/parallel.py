"""Word accuracy of the transliteration on public parallel text (Cyrillic and Latin editions).

The corpus is not kept in the repository (its texts are not ours to redistribute); this module
rebuilds it from snapshots of two public GitHub repositories and measures both directions:

* ``lexuz``: titles of every act on lex.uz (presidential decrees and resolutions, Cabinet
  resolutions, ministries' orders, laws, codes, international treaties) in the Cyrillic and the
  Latin edition, as stored by ``sarvarbeksoporboyev8-debug/mylex-news-data`` (``data/<kind>_uz_Cyrl
  .json`` and ``data/<kind>_uz.json``, the same document id in both, negative in Latin);
* ``uztranslit``: the news and literature test set of ``UlugbekSalaev/UzTransliterator``
  (``test/<n>_cyr.txt`` and ``test/<n>_lat.txt``, line by line).

Run from the repository root (the paths are git directories, e.g. those ``fetch`` brings)::

    python -m tracker.uzbek.parallel --lexuz PATH/mylex-news-data --uztranslit PATH/UzTransliterator [-v N]

A word is a whitespace-separated token with the punctuation around it removed; our output is
aligned with the reference by difflib, and a reference word counts as right when the aligned
word of our output is identical but for case (the editions differ in capitals on their own),
apostrophe look-alikes made canonical and quotation marks unified on both sides first.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from tracker.uzbek.normalise import normalise
from tracker.uzbek.translit import canonical_apostrophes, to_cyrillic, to_latin

__all__ = ["Pair", "Score", "classify", "lexuz_pairs", "score", "uztranslit_pairs", "words"]

LEXUZ_KINDS = ("president", "government", "ministries", "laws", "codes", "constitution", "international")
_EDGE_PUNCT = "«»“”„\"'‘’.,;:!?()[]{}…*—–-/"
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({**dict.fromkeys("«»“”„", '"'), "\u00ad": None})


@dataclass(frozen=True)
class Pair:
    source: str
    cyrillic: str
    latin: str


@dataclass
class Score:
    words: int = 0
    right: int = 0
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: Reference words counted wrong, by kind of disagreement between the editions (see classify).
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def percent(self) -> float:
        return 100.0 * self.right / self.words if self.words else 100.0

    @property
    def disagreements(self) -> int:
        return self.kinds[VARIANT] + self.kinds[OFF_RULES]

    @property
    def percent_without_disagreements(self) -> float:
        """Accuracy on the words where the two editions agree with each other."""
        words = self.words - self.disagreements
        return 100.0 * self.right / words if words else 100.0


#: Kinds of error: the reference edition spells the same word two ways and ours is its more
#: frequent spelling; the two editions' words are not each other's transliteration either way
#: (typos, OCR slips, spellings off the 1995 rules); the reference keeps a word in the source
#: script (a name left unconverted: counted, but not a disagreement); anything else is ours.
VARIANT, OFF_RULES, KEPT, OURS = (
    "edition spells it both ways",
    "editions disagree",
    "kept unconverted",
    "ours",
)
_LATIN_LETTER = re.compile("[A-Za-z]")
_CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")


def classify(direction: str, ours: str, theirs: str, frequency: Callable[[str], int]) -> str:
    """The kind of one error: our words ``ours`` where the reference edition has ``theirs``.

    ``frequency`` counts a (space-separated, lower-case) spelling in the reference edition. The
    reference's word is compared with ours in the source script, through the other direction's
    converter (ours goes back to the source): the same word spelled two ways is a variant; a
    reference that does not go back to the source is the editions disagreeing.
    """
    source_letter = _LATIN_LETTER if direction == "l2c" else _CYRILLIC_LETTER
    if theirs and source_letter.search(theirs) and not source_letter.search(ours):
        return KEPT
    if not ours or not theirs:
        return OFF_RULES  # words one edition has and the other has not: the texts differ
    back: Callable[[str], str] = to_latin if direction == "l2c" else to_cyrillic
    if back(ours).lower() != back(theirs).lower():
        return OFF_RULES
    return VARIANT if frequency(ours) >= frequency(theirs) else OURS


def _git_show(repo: Path, path: str) -> str:
    out = subprocess.run(  # noqa: S603 (git with fixed arguments on a local snapshot)
        ["git", "--git-dir", str(repo), "show", f"HEAD:{path}"],  # noqa: S607
        capture_output=True,
        check=True,
    )
    return out.stdout.decode("utf-8", errors="replace")


def _git_dir(path: Path) -> Path:
    return path / ".git" if (path / ".git").exists() else path


def lexuz_pairs(repo: Path) -> Iterator[Pair]:
    """Title pairs of lex.uz acts, matched by document id."""
    git = _git_dir(repo)
    for kind in LEXUZ_KINDS:
        cyrillic = json.loads(_git_show(git, f"data/{kind}_uz_Cyrl.json"))
        latin = {d["id"].lstrip("-"): d["title"] for d in json.loads(_git_show(git, f"data/{kind}_uz.json"))}
        for doc in cyrillic:
            other = latin.get(doc["id"].lstrip("-"))
            if other:
                yield Pair(f"lexuz/{kind}", doc["title"], other)


def uztranslit_pairs(repo: Path) -> Iterator[Pair]:
    """Line pairs of the UzTransliterator test texts whose line counts agree."""
    git = _git_dir(repo)
    names = subprocess.run(  # noqa: S603
        ["git", "--git-dir", str(git), "ls-tree", "--name-only", "HEAD", "test/"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split()
    for name in sorted(n for n in names if n.endswith("_cyr.txt")):
        cyr = _git_show(git, name).splitlines()
        lat = _git_show(git, name.replace("_cyr.txt", "_lat.txt")).splitlines()
        if len(cyr) != len(lat):
            continue
        for cyr_line, lat_line in zip(cyr, lat, strict=True):
            if cyr_line.strip() and lat_line.strip():
                yield Pair(f"uztranslit/{Path(name).stem}", cyr_line, lat_line)


def words(text: str) -> list[str]:
    """Whitespace tokens with the punctuation around them removed, apostrophes canonical.

    Quotation marks are one mark («» in Cyrillic, “” in the Latin edition: a style, not a letter);
    soft hyphens (U+00AD, invisible) are dropped.
    """
    out = []
    for token in _SPACE.split(text.translate(_QUOTES)):
        token = token.strip(_EDGE_PUNCT)
        if token:
            out.append(canonical_apostrophes(token))
    return out


def score(pairs: Iterable[Pair], direction: str) -> Score:
    """Word accuracy of ``to_latin`` ("c2l") or ``to_cyrillic`` ("l2c") on the pairs, with the
    wrong words sorted by kind (``classify``)."""
    convert: Callable[[str], str] = to_latin if direction == "c2l" else to_cyrillic
    result = Score()
    blocks: list[tuple[str, str, int]] = []
    reference_words: Counter[str] = Counter()
    reference_lines: list[str] = []
    for pair in pairs:
        source, reference = (pair.cyrillic, pair.latin) if direction == "c2l" else (pair.latin, pair.cyrillic)
        # The reference is cleaned like any input (HTML, a Latin e inside a Cyrillic word).
        ours, theirs = words(convert(source)), words(normalise(reference))
        # The two editions differ in capitals on their own (Davlat/davlat): case is not compared.
        ours, theirs = [w.lower() for w in ours], [w.lower() for w in theirs]
        reference_words.update(theirs)
        reference_lines.append(" ".join(theirs))
        matcher = SequenceMatcher(None, ours, theirs, autojunk=False)
        right = sum(block.size for block in matcher.get_matching_blocks())
        result.words += len(theirs)
        result.right += right
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "replace" and i2 - i1 == j2 - j1:
                result.errors.update(zip(ours[i1:i2], theirs[j1:j2], strict=True))
                blocks.extend((o, t, 1) for o, t in zip(ours[i1:i2], theirs[j1:j2], strict=True))
            elif tag != "equal":
                key = (" ".join(ours[i1:i2]), " ".join(theirs[j1:j2]))
                result.errors[key] += 1
                blocks.append((*key, j2 - j1))
    text = " " + " \n ".join(reference_lines) + " "

    def frequency(spelling: str) -> int:
        return text.count(f" {spelling} ") if " " in spelling else reference_words[spelling]

    for ours_words, theirs_words, count in blocks:
        result.kinds[classify(direction, ours_words, theirs_words, frequency)] += count
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lexuz", type=Path, help="git directory of mylex-news-data")
    parser.add_argument("--uztranslit", type=Path, help="git directory of UzTransliterator")
    parser.add_argument("-v", "--verbose", type=int, default=0, help="show the N most frequent errors")
    args = parser.parse_args(argv)
    corpora: list[tuple[str, list[Pair]]] = []
    if args.lexuz:
        corpora.append(("lex.uz titles", list(lexuz_pairs(args.lexuz))))
    if args.uztranslit:
        corpora.append(("UzTransliterator news and literature", list(uztranslit_pairs(args.uztranslit))))
    for name, pairs in corpora:
        for direction in ("c2l", "l2c"):
            result = score(pairs, direction)
            print(f"{name}: {direction} {result.percent:.2f} % of {result.words} words ({len(pairs)} pairs)")
            kinds = ", ".join(f"{kind} {result.kinds[kind]}" for kind in (VARIANT, OFF_RULES, KEPT, OURS))
            print(f"  wrong words: {kinds}")
            print(f"  without the editions' disagreements: {result.percent_without_disagreements:.2f} %")
            for (ours, theirs), count in result.errors.most_common(args.verbose):
                print(f"  {count:5d}  {ours!r} ≠ {theirs!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
