"""The feed's `sequence` (CloudEvents Sequence extension): its string order is the events'
order for every pair, including across digit counts (9 < 10, 99 < 100), and it is also the
cursor (the older base64 cursors are still read)."""

import base64

from services.gateway import feed


def test_sequence_strings_order_like_their_numbers():
    numbers = [1, 2, 9, 10, 11, 99, 100, 101, 999, 1000, 10**9, 10**12 + 7, 2**63 - 1]
    pairs = [(a, b) for i, a in enumerate(numbers) for b in numbers[i + 1:]]
    assert all(feed.encode_cursor(a) < feed.encode_cursor(b) for a, b in pairs) and len(pairs) == 78
    assert [feed.decode_cursor(feed.encode_cursor(n)) for n in numbers] == numbers
    legacy = base64.urlsafe_b64encode(b"feed:42").decode().rstrip("=")
    assert feed.decode_cursor(legacy) == 42 and feed.decode_cursor("") == 0
    assert feed.served({"_id": 7, "event": {"id": "e", "sequence": "ZmVlZDo3"}}) == \
        {"id": "e", "sequence": "00000000000000000007"}
