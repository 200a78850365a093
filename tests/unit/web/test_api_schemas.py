"""Response structs: instants in Europe/Rome whatever the service hands over, and nothing else added."""

from datetime import UTC, datetime

import msgspec
from litestar.serialization import encode_json, get_serializer

from training_hub.core.schemas import Instant, to_struct
from training_hub.web.schemas import TYPE_ENCODERS


class When(msgspec.Struct):
    at: Instant
    until: Instant | None = None


class Flags(msgspec.Struct):
    id: int
    active: bool
    rate: float | None


def written(value: object) -> dict:
    """What the API sends: Litestar's JSON encoder with the plugin's type encoders."""
    return msgspec.json.decode(encode_json(value, get_serializer(TYPE_ENCODERS)))


def test_instants_carry_the_rome_offset_of_their_own_day():
    assert written(to_struct({"at": datetime(2026, 10, 30, 8, 0, tzinfo=UTC)}, When)) == {
        "at": "2026-10-30T09:00:00+01:00", "until": None}
    summer = to_struct({"at": datetime(2026, 7, 1, 7, 0, tzinfo=UTC)}, When)
    assert written(summer)["at"] == "2026-07-01T09:00:00+02:00"


def test_the_two_half_past_twos_of_the_dst_night_stay_apart():
    first = to_struct({"at": datetime(2026, 10, 25, 0, 30, tzinfo=UTC)}, When)
    second = to_struct({"at": datetime(2026, 10, 25, 1, 30, tzinfo=UTC)}, When)
    assert written(first)["at"] == "2026-10-25T02:30:00+02:00"
    assert written(second)["at"] == "2026-10-25T02:30:00+01:00"


def test_seconds_precision_naive_means_utc_and_strings_are_read_back():
    assert written(to_struct({"at": datetime(2026, 11, 25, 7, 0, 5, 999999, tzinfo=UTC)}, When))["at"] == (
        "2026-11-25T08:00:05+01:00")
    assert written(to_struct({"at": datetime(2026, 11, 25, 7, 0)}, When))["at"] == "2026-11-25T08:00:00+01:00"
    assert written(to_struct({"at": "2026-11-25T08:00:00+01:00", "until": "2026-11-25T07:30:00Z"}, When)) == {
        "at": "2026-11-25T08:00:00+01:00", "until": "2026-11-25T08:30:00+01:00"}
    # An Instant made by hand (not through to_struct) is written the same way.
    by_hand = When(at=Instant(2026, 11, 25, 7, 0, 0, 250, tzinfo=UTC))
    assert written(by_hand)["at"] == "2026-11-25T08:00:00+01:00"


def test_only_the_struct_fields_go_out_and_flags_read_the_same_on_both_engines():
    row = {"id": 3, "active": 1, "rate": 1, "password_hash": "segreto"}  # SQLite's 1 for true
    out = written(to_struct(row, Flags))
    assert out == {"id": 3, "active": True, "rate": 1.0}
    assert written(to_struct([{"id": 1, "active": False, "rate": None}], list[Flags])) == [
        {"id": 1, "active": False, "rate": None}]
