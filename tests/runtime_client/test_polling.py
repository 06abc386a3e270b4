"""poll_until / apoll_until with an injected clock."""

from __future__ import annotations

import pytest
from acme_client._runtime import APIError, PollTimeoutError, apoll_until, poll_until

from .helpers import run


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def test_poll_until_returns_when_done_with_growing_intervals() -> None:
    clock = FakeClock()
    states = iter(["pending", "running", "running", "succeeded"])
    result = poll_until(
        lambda: next(states),
        lambda s: s == "succeeded",
        timeout=60,
        clock=clock,
        sleep=clock.sleep,
    )
    assert result == "succeeded"
    assert clock.sleeps == [0.5, 0.75, 1.125]


def test_poll_until_caps_interval_and_times_out_with_last_value() -> None:
    clock = FakeClock()
    calls = []

    def fetch() -> dict[str, str]:
        calls.append(clock.now)
        return {"status": "running"}

    with pytest.raises(PollTimeoutError) as info:
        poll_until(
            fetch,
            lambda v: v["status"] == "succeeded",
            timeout=10,
            initial_interval=1,
            max_interval=3,
            backoff=2,
            clock=clock,
            sleep=clock.sleep,
        )
    error = info.value
    assert isinstance(error, APIError)
    assert error.last_value == {"status": "running"} and error.timeout == 10
    assert clock.sleeps == [1, 2, 3, 3, 1]  # capped at 3, never past the deadline
    assert calls[-1] == 110.0  # one last look at the deadline
    assert error.attempts == len(calls) == 6
    assert "10 s" in str(error)


def test_poll_until_checks_at_least_once_with_zero_timeout() -> None:
    clock = FakeClock()
    assert poll_until(lambda: 1, lambda v: v == 1, timeout=0, clock=clock, sleep=clock.sleep) == 1
    with pytest.raises(PollTimeoutError):
        poll_until(lambda: 1, lambda v: v == 2, timeout=0, clock=clock, sleep=clock.sleep)


def test_poll_until_argument_checks() -> None:
    with pytest.raises(ValueError):
        poll_until(lambda: 1, bool, timeout=-1)
    with pytest.raises(ValueError):
        poll_until(lambda: 1, bool, timeout=1, backoff=0.5)


def test_apoll_until_success_and_timeout() -> None:
    async def main() -> None:
        clock = FakeClock()
        states = iter(["pending", "succeeded"])

        async def fetch() -> str:
            return next(states)

        assert (
            await apoll_until(
                fetch,
                lambda s: s == "succeeded",
                timeout=5,
                clock=clock,
                sleep=clock.asleep,
            )
            == "succeeded"
        )
        assert clock.sleeps == [0.5]

        async def never() -> str:
            return "pending"

        with pytest.raises(PollTimeoutError) as info:
            await apoll_until(never, lambda s: False, timeout=2, clock=clock, sleep=clock.asleep)
        assert info.value.last_value == "pending"

    run(main())


def test_apoll_until_real_sleep_is_short() -> None:
    async def main() -> int:
        count = 0

        async def fetch() -> int:
            nonlocal count
            count += 1
            return count

        return await apoll_until(fetch, lambda n: n >= 3, timeout=5, initial_interval=0.01)

    assert run(main()) == 3
