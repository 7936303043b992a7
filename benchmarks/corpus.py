"""A streaming generator of realistic scraped pages (for the throughput benchmark).

Each page is what a naive scraper gives: a header band (menu, hit counter, cookie notice),
article paragraphs (some pages print their intro twice), and a footer band (share buttons,
RSS footer, author box, copyright). Text is generated from word lists in several languages,
so nothing third-party is shipped. Deterministic for a given seed; constant memory.

    python benchmarks/corpus.py --docs 10000 -o /tmp/pages.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator

WORDS = {
    "en": (
        "the council voted on tuesday to close old ferry pier after three years of debate residents "
        "said engineers found timber piles had lost strength repair would cost more than new landing "
        "river commuters morning boat temporary pontoon market operator crossings walk petition shop "
        "owners meeting cafés quarter garden competition demolition fallback plan approved year"
    ).split(),
    "de": (
        "der stadtrat hat am dienstag beschlossen den alten fähranleger nach drei jahren debatte zu "
        "schließen anwohner sagten ingenieure hätten festgestellt dass die pfähle an festigkeit verloren "
        "reparatur würde mehr kosten als ein neuer anleger am fluss pendler boot markt"
    ).split(),
    "fr": (
        "le conseil municipal a voté mardi la fermeture du vieux quai des ferries après trois années de "
        "débat les habitants ont dit que les ingénieurs avaient trouvé des pieux fragiles la réparation "
        "coûterait plus cher qu'un nouvel embarcadère sur la rivière"
    ).split(),
    "ru": (
        "городской совет во вторник проголосовал за закрытие старого паромного причала после трёх лет "
        "споров жители сказали что инженеры обнаружили ослабленные сваи ремонт обойдётся дороже нового "
        "причала на реке"
    ).split(),
}
CJK = "市議会は火曜日に古いフェリー桟橋の閉鎖を決めた。三年間の議論の後、技術者は木製の杭が弱くなったと報告した。"
HEADER = [
    "Home | News | Sport | Weather | Contact",
    "free website hit counter {title} – Riverwatch",
    "We use cookies to improve your experience. Accept all",
    "Skip to main content",
    "Menu",
    "Search",
]
FOOTER = [
    "Share this: Facebook | X | Email | Print",
    "The post {title} appeared first on Riverwatch Weekly.",
    "About admin",
    "© 2024 Riverwatch Media. All rights reserved.",
    "Related articles",
    "Subscribe to our newsletter",
    "Leave a comment",
]


def _sentence(rng: random.Random, words: list[str]) -> str:
    chosen = [rng.choice(words) for _ in range(rng.randint(8, 24))]
    return " ".join(chosen).capitalize() + rng.choice([".", ".", ".", "?", "!"])


def _paragraph(rng: random.Random, language: str) -> str:
    if language == "ja":
        return CJK * rng.randint(1, 3)
    words = WORDS[language]
    text = " ".join(_sentence(rng, words) for _ in range(rng.randint(1, 5)))
    if rng.random() < 0.1:
        text = text.replace(" ", "\u00a0", 2)
    return text


def generate_page(rng: random.Random, number: int) -> dict[str, object]:
    """One page as a JSONL record ``{"id", "text"}``."""
    language = rng.choice(["en", "en", "en", "de", "fr", "ru", "ja"])
    title = _sentence(rng, WORDS["en"])[:60].rstrip(".?!")
    paragraphs = [_paragraph(rng, language) for _ in range(rng.randint(4, 18))]
    if rng.random() < 0.3:
        paragraphs[2:2] = paragraphs[:2]
    header = [line.format(title=title) for line in rng.sample(HEADER, rng.randint(1, 4))]
    footer = [line.format(title=title) for line in rng.sample(FOOTER, rng.randint(1, 5))]
    lines = [*header, title, *paragraphs, *footer]
    separator = "\n\n" if rng.random() < 0.5 else "\n"
    return {"id": f"page-{number}", "text": separator.join(lines) + "\n"}


def generate(docs: int, seed: int = 1) -> Iterator[dict[str, object]]:
    """Stream ``docs`` pages."""
    rng = random.Random(seed)
    for number in range(docs):
        yield generate_page(rng, number)


def main(argv: list[str] | None = None) -> int:
    """Write a generated corpus as JSONL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args(argv)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")  # noqa: SIM115
    with out:
        for record in generate(args.docs, args.seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
