"""Several processes racing to insert the same corpus of planted near-duplicate clusters into one index.

``make_corpus`` builds clusters whose members are mutual near-duplicates (estimated Jaccard
well above 0.8) while distinct clusters share almost no shingles. ``race`` starts the worker
processes once; in each round they open a fresh index (Redis namespace or SQLite file), wait at
a barrier, and insert every document of the corpus in their own shuffled order.
"""

from __future__ import annotations

import multiprocessing
import random
from typing import Any

from textclean._online import OnlineIndexConfig, open_index

Outcome = tuple[str, bool, "str | None"]


def make_corpus(
    clusters: int = 40, members: int = 5, words: int = 400, seed: int = 3
) -> list[tuple[str, int, str]]:
    """Return ``(doc_id, cluster, text)``: each member is its cluster's base text with one word replaced."""
    rng = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(20000)]
    corpus = []
    for cluster in range(clusters):
        base = [rng.choice(vocabulary) for _ in range(words)]
        for member in range(members):
            text = list(base)
            text[rng.randrange(words)] = f"edit{cluster}x{member}"
            corpus.append((f"c{cluster}-m{member}", cluster, " ".join(text)))
    return corpus


def _worker(
    number: int,
    location: str,
    namespace: str,
    rounds: int,
    corpus: list[tuple[str, int, str]],
    config: OnlineIndexConfig,
    barrier: Any,
    results: Any,
) -> None:
    rng = random.Random(1000 + number)
    with open_index(location.format(round=0), config, namespace=namespace.format(round=0)) as index:
        signatures = {doc_id: index.signature(text) for doc_id, _, text in corpus}
    for round_number in range(rounds):
        order = [doc_id for doc_id, _, _ in corpus]
        rng.shuffle(order)
        with open_index(
            location.format(round=round_number), config, namespace=namespace.format(round=round_number)
        ) as index:
            barrier.wait(timeout=60)
            outcomes = []
            for doc_id in order:
                decision = index.insert_signature_if_new(doc_id, signatures[doc_id])
                outcomes.append((doc_id, decision.kept, decision.duplicate_of))
        results.put((round_number, number, outcomes))


def race(
    location: str,
    *,
    namespace: str = "race-{round}",
    processes: int = 4,
    rounds: int = 20,
    corpus: list[tuple[str, int, str]],
    config: OnlineIndexConfig | None = None,
) -> dict[int, list[list[Outcome]]]:
    """Run the race; return, per round, each process's outcomes ``(doc_id, kept, duplicate_of)``.

    ``location`` and ``namespace`` may contain ``{round}`` (a fresh index per round).
    """
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results = context.Queue()
    config = config or OnlineIndexConfig()
    workers = [
        context.Process(
            target=_worker, args=(n, location, namespace, rounds, corpus, config, barrier, results), daemon=True
        )
        for n in range(processes)
    ]
    for worker in workers:
        worker.start()
    collected: dict[int, list[list[Outcome]]] = {}
    try:
        for _ in range(processes * rounds):
            round_number, _, outcomes = results.get(timeout=120)
            collected.setdefault(round_number, []).append(outcomes)
    finally:
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.terminate()
    return collected
