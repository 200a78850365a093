"""The JSON depth check of web/requests.py: exact at the limit, blind to brackets inside strings."""

from training_hub.web.requests import MAX_JSON_DEPTH, json_too_deep


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_depth_at_the_limit_passes_one_more_is_refused():
    assert not json_too_deep(nested(MAX_JSON_DEPTH))
    assert json_too_deep(nested(MAX_JSON_DEPTH + 1))
    assert json_too_deep(b'{"a":' * 1000 + b"1" + b"}" * 1000)


def test_brackets_inside_strings_and_wide_bodies_are_not_depth():
    assert not json_too_deep(b'{"title": "' + b"[" * 500 + b'\\" {{{"}')
    assert not json_too_deep(b"[" + b",".join([b'{"a": [1, 2]}'] * 5000) + b"]")
    assert not json_too_deep(b"[[[[ not json")  # left to the decoder, which says it is malformed
