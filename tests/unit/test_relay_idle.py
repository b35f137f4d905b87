"""The relay's look at the outbox at rest: every interval while records flow, stretching to four
intervals after rounds that found nothing (services/common/relay.py, idle_wait)."""

from services.common.relay import IDLE_STRETCH, idle_wait


def test_the_wait_doubles_at_rest_up_to_four_intervals():
    assert [idle_wait(rounds, 0.5) for rounds in range(6)] == [0.5, 0.5, 1.0, 2.0, 2.0, 2.0]
    assert IDLE_STRETCH == 4 and idle_wait(1000, 0.2) == 0.8
