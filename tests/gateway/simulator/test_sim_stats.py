"""`Stats`: the last request keeps its own body when requests overlap."""

from __future__ import annotations

from gateway.simulator.stats import REDACTED, Stats


def test_body_of_an_overtaken_request_is_not_shown_with_the_later_one() -> None:
    stats = Stats()
    first = [(b"x-id", b"first")]
    second = [(b"x-id", b"second"), (b"x-api-key", b"sk-secret")]
    stats.record("POST", "/v1/messages", first)
    stats.record("POST", "/v1/chat/completions", second)
    stats.record_body(first, b'{"model": "first"}')
    last = stats.snapshot()["last_request"]
    assert (last["headers"]["x-id"], last["body"]) == ("second", None)
    stats.record_body(second, b'{"model": "second"}')
    last = stats.snapshot()["last_request"]
    assert last["body"] == {"model": "second"}
    assert last["headers"]["x-api-key"] == REDACTED
    assert stats.snapshot()["requests"] == {"/v1/messages": 1, "/v1/chat/completions": 1}
