"""The shared Redis index, against a real redis-server started for this module (127.0.0.1, no persistence)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np
import pytest
from scrapy_site.race import make_corpus, race
from scrapy_site.servers import RedisServer, free_port, running_redis

from textclean._errors import IndexMismatchError, TextCleanError
from textclean._online import IndexUnavailableError, OnlineIndexConfig, SQLiteIndex, open_index

STORY = "Rain fell on the plain for a third day on Monday, officials in the valley said on Tuesday."


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture
def redis_index(redis_server: RedisServer, request: pytest.FixtureRequest) -> Iterator[object]:
    from textclean._online_redis import RedisIndex

    index = RedisIndex(redis_server.url, namespace=f"test-{request.node.name}")
    index.clear()
    yield index
    index.close()


def test_same_answers_as_the_embedded_index(redis_server: RedisServer) -> None:
    corpus = make_corpus(clusters=10, members=3)
    with open_index(redis_server.url, namespace="same-answers") as shared, SQLiteIndex() as embedded:
        shared.clear()
        for doc_id, _, text in corpus:
            assert shared.insert_if_new(doc_id, text) == embedded.insert_if_new(doc_id, text)
        assert len(shared) == len(embedded) == 10


def test_decisions(redis_index: object) -> None:
    from textclean._online_redis import RedisIndex

    assert isinstance(redis_index, RedisIndex)
    assert redis_index.insert_if_new("https://a.example/rain", STORY).kept
    duplicate = redis_index.insert_if_new("https://b.example/rain", STORY + " More soon.")
    assert (duplicate.kept, duplicate.duplicate_of, duplicate.code) == (False, "https://a.example/rain", "D101")
    assert duplicate.similarity is not None and duplicate.similarity >= 0.8
    assert redis_index.insert_if_new("c", "A completely different story about the harbour wall and its repair.").kept
    assert redis_index.insert_if_new("empty", " ... ").kept  # no words: never a duplicate, not stored
    assert len(redis_index) == 2


def test_namespaces_are_separate(redis_server: RedisServer) -> None:
    with open_index(redis_server.url, namespace="ns-one") as one, open_index(
        redis_server.url, namespace="ns-two"
    ) as two:
        one.clear()
        two.clear()
        assert one.insert_if_new("a", STORY).kept
        assert two.insert_if_new("a", STORY).kept


def test_mismatched_parameters_are_refused(redis_server: RedisServer) -> None:
    with open_index(redis_server.url, OnlineIndexConfig(threshold=0.8), namespace="mismatch"):
        pass
    with pytest.raises(IndexMismatchError, match=r"threshold=0\.8 \(requested 0\.7\)"):
        open_index(redis_server.url, OnlineIndexConfig(threshold=0.7), namespace="mismatch")


def test_four_processes_keep_exactly_one_per_cluster(redis_server: RedisServer) -> None:
    """4 processes insert the same 200 documents (40 clusters) at once, each in its own order; 20 rounds."""
    corpus = make_corpus(clusters=40, members=5)
    cluster_of = {doc_id: cluster for doc_id, cluster, _ in corpus}
    rounds = race(redis_server.url, namespace="race-{round}", processes=4, rounds=20, corpus=corpus)
    assert sorted(rounds) == list(range(20))
    for number, per_process in rounds.items():
        outcomes = [outcome for process in per_process for outcome in process]
        assert len(outcomes) == 4 * len(corpus), number
        kept = [doc_id for doc_id, was_kept, _ in outcomes if was_kept]
        assert sorted(cluster_of[doc_id] for doc_id in kept) == list(range(40)), f"round {number}: {kept}"
        representative = {cluster_of[doc_id]: doc_id for doc_id in kept}
        for doc_id, was_kept, duplicate_of in outcomes:
            if not was_kept:
                assert duplicate_of == representative[cluster_of[doc_id]], (number, doc_id, duplicate_of)
        with open_index(redis_server.url, namespace=f"race-{number}") as index:
            assert len(index) == 40


def test_dropped_connection_is_retried(redis_index: object) -> None:
    import redis

    from textclean._online_redis import RedisIndex

    assert isinstance(redis_index, RedisIndex)
    assert redis_index.insert_if_new("first", STORY).kept
    admin = redis.Redis.from_url(redis_index.location)
    assert admin.client_kill_filter(_type="normal", skipme=True) >= 1
    decision = redis_index.insert_if_new("second", STORY)  # the old connection is dead: reconnect, retry
    assert (decision.kept, decision.duplicate_of) == (False, "first")
    admin.close()


def test_retry_after_a_lost_reply_does_not_find_itself(redis_index: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """The script ran, the reply was lost: the retry (same token) answers "kept", not "duplicate of itself"."""
    import redis

    from textclean._online_redis import RedisIndex

    assert isinstance(redis_index, RedisIndex)
    script = redis_index._insert_script
    calls = []

    def lose_first_reply(*args: object, **kwargs: object) -> object:
        reply = script(*args, **kwargs)
        calls.append(reply)
        if len(calls) == 1:
            raise redis.ConnectionError("connection reset by peer (simulated)")
        return reply

    monkeypatch.setattr(redis_index, "_insert_script", lose_first_reply)
    assert redis_index.insert_if_new("only", STORY).kept
    assert len(calls) == 2 and len(redis_index) == 1


def test_unreachable_redis_is_an_error_naming_the_url() -> None:
    pytest.importorskip("redis")
    from textclean._online_redis import RedisIndex

    url = f"redis://127.0.0.1:{free_port()}/0"
    started = time.monotonic()
    with pytest.raises(IndexUnavailableError, match=rf"cannot reach the Redis index at {url} after 3 attempts"):
        RedisIndex(url, retries=2, backoff=0.01, timeout=1.0)
    assert time.monotonic() - started < 10
    assert issubclass(IndexUnavailableError, TextCleanError)


def test_server_gone_mid_crawl_is_an_error_not_a_new_document() -> None:
    from textclean._online_redis import RedisIndex

    with running_redis() as server:
        index = RedisIndex(server.url, namespace="gone", retries=2, backoff=0.01, timeout=1.0)
        assert index.insert_if_new("a", STORY).kept
        server.stop()
        with pytest.raises(IndexUnavailableError, match="cannot reach the Redis index"):
            index.insert_if_new("b", STORY)
        server.start()  # same port, but the data is gone (no persistence)
        with pytest.raises(IndexUnavailableError, match="lost its data"):
            index.insert_if_new("b", STORY)
        index.close()


def test_password_is_not_shown_in_errors() -> None:
    pytest.importorskip("redis")
    from textclean._online_redis import RedisIndex

    with pytest.raises(IndexUnavailableError) as caught:
        RedisIndex(f"redis://user:hunter2@127.0.0.1:{free_port()}/0", retries=0, timeout=1.0)
    assert "hunter2" not in str(caught.value) and "user:***@" in str(caught.value)


def test_signature_roundtrip_is_little_endian(redis_index: object) -> None:
    from textclean._online_redis import RedisIndex

    assert isinstance(redis_index, RedisIndex)
    signature = np.arange(1, 129, dtype=np.uint32) * np.uint32(2654435761)
    assert redis_index.insert_signature_if_new("x", signature).kept
    assert redis_index.insert_signature_if_new("y", signature.astype(">u4")).duplicate_of == "x"
