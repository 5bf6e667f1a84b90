from datetime import UTC, datetime, timedelta, timezone

from newsdesk.ingest.entries import parse_iso_time


def test_iso_times_become_aware_utc() -> None:
    assert parse_iso_time("2026-11-24") == datetime(2026, 11, 24, tzinfo=UTC)
    assert parse_iso_time(" 2026-11-24T11:25:00Z ") == datetime(2026, 11, 24, 11, 25, tzinfo=UTC)
    plus_two = datetime(2026, 11, 24, 13, 25, tzinfo=timezone(timedelta(hours=2)))
    assert parse_iso_time("2026-11-24T13:25:00+02:00") == plus_two


def test_anything_else_is_none() -> None:
    for value in (None, "", "yesterday", "2026-13-40", 1795725980, ["2026-11-24"]):
        assert parse_iso_time(value) is None
