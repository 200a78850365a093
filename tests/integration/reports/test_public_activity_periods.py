"""The public activity report cannot be subtracted (issue 12, item 2): whole months, quarters and years
only, computed ahead, no per-path-kind counts where a group is under 5, a rate limit per client."""

from __future__ import annotations

from collections import deque
from datetime import date

import pytest

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_path,
    make_person,
    make_session,
)
from tests.support import rome
from training_hub.reports import activity
from training_hub.reports.period import Period, parse_period


@pytest.fixture(autouse=True)
def fresh_reports():
    activity.PUBLIC_REPORTS.clear()
    yield
    activity.PUBLIC_REPORTS.clear()


async def _people_on(kind: str, province: str, count: int, day: date) -> None:
    course = await make_course(await make_path(kind))
    await make_session(course, rome(day, 9), 120)
    cooperative = await make_cooperative(province=province)
    for _ in range(count):
        await make_enrolment(await make_person(cooperative=cooperative, area="varie"), course)


async def test_october_minus_part_of_october_is_refused(client):
    await _people_on("marketing", "MI", 6, date(2026, 10, 5))
    await _people_on("inclusion", "CO", 2, date(2026, 10, 27))
    whole = await client.get("/public/activity?from=2026-10-01&to=2026-10-31")
    assert whole.status_code == 200
    part = await client.get("/public/activity?from=2026-10-01&to=2026-10-22")
    assert part.status_code == 422
    assert "Il rapporto pubblico copre solo un mese, un trimestre o un anno interi" in part.text
    assert 'aria-invalid="true"' in part.text and 'id="from-error"' in part.text
    # A way to fix it: links to the periods that are published.
    assert 'href="/public/activity?from=2026-10-01&amp;to=2026-10-31"' in part.text
    assert (await client.get("/public/activity.pdf?from=2026-10-23&to=2026-10-31")).status_code == 422
    for ok in ("from=2026-10-01&to=2026-12-31", "from=2026-01-01&to=2026-12-31", "from=2026-02-01&to=2026-02-28"):
        assert (await client.get(f"/public/activity?{ok}")).status_code == 200, ok
    for refused in ("from=2026-11-01&to=2027-01-31", "from=2026-02-01&to=2026-04-30",
                    "from=2025-01-01&to=2026-12-31", "from=2026-10-02&to=2026-10-31"):
        assert (await client.get(f"/public/activity?{refused}")).status_code == 422, refused


async def test_no_per_kind_counts_for_a_period_with_a_group_under_five():
    await _people_on("marketing", "MI", 6, date(2026, 10, 5))
    await _people_on("inclusion", "CO", 2, date(2026, 10, 27))
    october = await activity.public_activity_report(parse_period("2026-10-01", "2026-10-31"))
    kinds = october.table("by_kind")
    assert kinds.rows == [] and "almeno un gruppo ha meno di 5 persone" in kinds.note
    await _people_on("inclusion", "MI", 5, date(2026, 11, 3))
    await _people_on("marketing", "MI", 5, date(2026, 11, 4))
    november = await activity.public_activity_report(parse_period("2026-11-01", "2026-11-30"))
    counts = {row["kind"]: row["courses"] for row in november.table("by_kind").rows}
    assert counts["inclusion"] == 1 and counts["marketing"] == 1


async def test_recent_periods_are_computed_ahead_and_served_without_queries(client, count_queries):
    await _people_on("marketing", "MI", 6, date(2026, 10, 5))
    assert await activity.precompute_public_reports() == 13 + 5 + 2
    with count_queries() as queries:
        for query in ("from=2026-10-01&to=2026-10-31", "from=2026-10-01&to=2026-12-31",
                      "from=2025-01-01&to=2025-12-31", "from=2025-11-01&to=2025-11-30"):
            assert (await client.get(f"/public/activity?{query}")).status_code == 200
    assert queries.count == 0
    periods = activity.published_periods(date(2026, 1, 15))
    assert periods[0] == Period(date(2026, 1, 1), date(2026, 1, 31))
    assert periods[12] == Period(date(2025, 1, 1), date(2025, 1, 31))
    assert periods[13] == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert periods[17] == Period(date(2025, 1, 1), date(2025, 3, 31))
    assert periods[18:] == [Period(date(2026, 1, 1), date(2026, 12, 31)), Period(date(2025, 1, 1), date(2025, 12, 31))]
    assert {activity.public_period_kind(p) for p in periods} == {"month", "quarter", "year"}


async def test_the_rate_limit_is_per_client(client, other_client, monkeypatch):
    monkeypatch.setattr(activity, "public_cache_seconds", lambda: 300)
    monkeypatch.setattr(activity, "PUBLIC_COMPUTATIONS_PER_MINUTE", 2)
    monkeypatch.setattr(activity, "_public_computed", {})
    import httpx

    other_client._transport = httpx.ASGITransport(app=other_client.app, client=("192.0.2.7", 50001))
    for query in ("from=2024-01-01&to=2024-01-31", "from=2024-02-01&to=2024-02-29"):
        assert (await client.get(f"/public/activity?{query}")).status_code == 200
    refused = await client.get("/public/activity?from=2024-03-01&to=2024-03-31")
    assert refused.status_code == 429
    # Another client is not locked out by the first one's requests.
    assert (await other_client.get("/public/activity?from=2024-03-01&to=2024-03-31")).status_code == 200
    # And what was computed is served to everyone.
    assert (await client.get("/public/activity?from=2024-03-01&to=2024-03-31")).status_code == 200
    assert isinstance(activity._public_computed["192.0.2.7"], deque)
