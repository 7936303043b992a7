"""Generate a synthetic web corpus with planted near-duplicates and exact-Jaccard ground truth.

Each *family* is an original document plus edited copies. Edit types: ``replace`` (a share of
words replaced), ``prefix`` (a sentence inserted at the start), ``append`` (sentences added at
the end), ``truncate`` (the end cut off), ``drop_paragraph`` and ``boilerplate`` (navigation and
footer lines added). The truth file holds, per family, the exact Jaccard similarity (word
5-grams of lowercase ``\\w+`` words, computed with Python sets) of every pair of its members.
Documents of different families share no 5-gram beyond chance.

Usage::

    python benchmarks/dedup_corpus.py --docs 100000 -o corpus.jsonl --truth truth.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from collections.abc import Iterator

import regex

EDITS = ("replace", "prefix", "append", "truncate", "drop_paragraph", "boilerplate")
_WORD = regex.compile(r"\w+")
_CHROME = [
    "Home",
    "News",
    "Sport",
    "Weather",
    "Sign in",
    "Subscribe now",
    "Share this article",
    "Cookie settings",
    "All rights reserved.",
    "Related stories",
    "Most read",
    "Follow us",
]


def shingle_set(text: str, ngram: int = 5) -> set[str]:
    """The reference shingle set: word n-grams of lowercase ``\\w+`` words (one if shorter)."""
    words = _WORD.findall(text.lower())
    if not words:
        return set()
    return {" ".join(words[i : i + ngram]) for i in range(max(1, len(words) - ngram + 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    """Exact Jaccard similarity (1.0 for two empty sets)."""
    return len(a & b) / len(a | b) if a or b else 1.0


class Writer:
    """Makes pseudo-words with Zipfian frequencies, sentences and paragraphs."""

    def __init__(self, rng: random.Random, vocabulary: int = 50000) -> None:
        syllables = ["ka", "lo", "mi", "ren", "sta", "vo", "ter", "an", "is", "ul", "bro", "den", "qui", "za"]
        words = {"".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(vocabulary * 2)}
        self.words = sorted(words)[:vocabulary]
        rng.shuffle(self.words)
        self.cumulative = list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(self.words))))
        self.rng = rng

    def sentence(self) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=self.rng.randint(6, 24))
        return " ".join(words).capitalize() + self.rng.choice([".", ".", ".", "!", "?"])

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 5)))

    def document(self) -> str:
        return "\n\n".join(self.paragraph() for _ in range(self.rng.randint(1, 7)))


def edit(writer: Writer, text: str, kind: str) -> str:
    """Return an edited copy of ``text``; the amount of editing is random."""
    rng = writer.rng
    if kind == "replace":
        words = text.split(" ")
        for i in rng.sample(range(len(words)), k=max(1, int(len(words) * rng.uniform(0.005, 0.06)))):
            words[i] = rng.choice(writer.words)
        return " ".join(words)
    if kind == "prefix":
        return writer.sentence() + "\n\n" + text
    if kind == "append":
        return text + "\n\n" + " ".join(writer.sentence() for _ in range(rng.randint(1, 3)))
    if kind == "truncate":
        return text[: max(1, int(len(text) * rng.uniform(0.7, 0.98)))]
    if kind == "drop_paragraph":
        paragraphs = text.split("\n\n")
        if len(paragraphs) > 1:
            del paragraphs[rng.randrange(len(paragraphs))]
        return "\n\n".join(paragraphs)
    top = "\n".join(rng.sample(_CHROME, k=rng.randint(2, 5)))
    return top + "\n\n" + text + "\n\n" + "\n".join(rng.sample(_CHROME, k=rng.randint(1, 3)))


def families(docs: int, seed: int, duplicate_share: float = 0.3) -> Iterator[list[tuple[str, str, str]]]:
    """Yield families of ``(id, text, edit kind)`` until ``docs`` documents were made."""
    rng = random.Random(seed)
    writer = Writer(rng)
    made, number = 0, 0
    while made < docs:
        original = writer.document()
        family = [(f"d{number}", original, "original")]
        if rng.random() < duplicate_share:
            for copy in range(rng.randint(1, 3)):
                kind = rng.choice(EDITS)
                family.append((f"d{number}-{copy}-{kind}", edit(writer, original, kind), kind))
        family = family[: docs - made]
        made += len(family)
        number += 1
        yield family


def truth_of(family: list[tuple[str, str, str]]) -> dict[str, object]:
    """The exact Jaccard similarity of every pair of a family's members."""
    sets = [shingle_set(text) for _, text, _ in family]
    pairs = [[family[i][0], family[j][0], round(jaccard(sets[i], sets[j]), 6)]
             for i, j in itertools.combinations(range(len(family)), 2)]  # fmt: skip
    return {"members": [[doc_id, kind] for doc_id, _, kind in family], "pairs": pairs}


def main(argv: list[str] | None = None) -> int:
    """Write the corpus (JSONL, shuffled by families) and its ground truth."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--duplicate-share", type=float, default=0.3, help="share of originals with copies")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--truth", help="ground-truth JSONL (one line per family with copies)")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str]] = []
    with open(args.truth or "/dev/null", "w", encoding="utf-8") as truth:
        for family in families(args.docs, args.seed, args.duplicate_share):
            rows.extend((doc_id, text) for doc_id, text, _ in family)
            if len(family) > 1 and args.truth:
                truth.write(json.dumps(truth_of(family)) + "\n")
    random.Random(args.seed + 1).shuffle(rows)  # copies are not next to their original
    with open(args.output, "w", encoding="utf-8") as out:
        for doc_id, text in rows:
            out.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
