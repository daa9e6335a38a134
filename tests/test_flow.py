"""Pacing: the per-user question limit and the per-chat progress throttle."""

from __future__ import annotations

from handlers.flow import SWEEP_ABOVE_USERS, Throttle, UserQuota


def test_rate_limiter_allows_the_limit_then_says_how_long_to_wait() -> None:
    limiter = UserQuota(3, window=60.0)
    assert [limiter.check(1, now=t) for t in (0.0, 1.0, 2.0)] == [0.0, 0.0, 0.0]
    assert limiter.check(1, now=10.0) == 50.0
    assert limiter.check(2, now=10.0) == 0.0  # other users are not affected
    assert limiter.check(1, now=60.0) == 0.0  # the first question has left the window


def test_rate_limiter_forgets_idle_users() -> None:
    limiter = UserQuota(1, window=60.0)
    for user in range(SWEEP_ABOVE_USERS + 1):
        limiter.check(user, now=0.0)
    limiter.check(-1, now=100.0)
    assert limiter.tracked_users == 1


def test_throttle_waits_an_interval_then_lets_one_through() -> None:
    throttle = Throttle(1.0, now=0.0)
    assert not throttle.ready(now=0.5)
    assert throttle.ready(now=1.0)
    assert not throttle.ready(now=1.5)
    assert throttle.ready(now=2.1)
