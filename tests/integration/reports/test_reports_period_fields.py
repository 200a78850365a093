"""Issue 13.16: the report's date fields show the period in force, not empty ones."""

import re

from tests import reports_fixture as fx
from tests.support import login


def field_value(html, name):
    return re.search(rf'<input id="{name}" name="{name}" type="date" value="([^"]*)"', html).group(1)


async def test_the_default_period_is_shown_in_the_fields(client):
    await fx.build()
    await login(client, "office@example.test")
    for url in ("/reports", "/reports/activity"):
        html = (await client.get(url)).text
        assert (field_value(html, "from"), field_value(html, "to")) == ("2026-01-01", "2026-12-31"), url


async def test_a_typed_period_stays_as_typed(client):
    await fx.build()
    await login(client, "office@example.test")
    html = (await client.get("/reports?from=2025-01-01&to=2025-06-30")).text
    assert (field_value(html, "from"), field_value(html, "to")) == ("2025-01-01", "2025-06-30")
