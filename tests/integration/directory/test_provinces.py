"""All twelve provinces of Lombardy (issue 13, item 10): Lecco, Lodi, Monza e Brianza, Sondrio and
Varese were missing from the cooperative and the location forms."""

import pytest

from tests.support import login, post_form
from training_hub.core.labels import PROVINCE_LABELS
from training_hub.core.tables import Cooperative, Province

LOMBARDY = {"BG": "Bergamo", "BS": "Brescia", "CO": "Como", "CR": "Cremona", "LC": "Lecco", "LO": "Lodi",
            "MN": "Mantova", "MI": "Milano", "MB": "Monza e Brianza", "PV": "Pavia", "SO": "Sondrio",
            "VA": "Varese"}


def test_the_twelve_provinces_with_their_names():
    assert {p.value for p in Province} == set(LOMBARDY)
    assert PROVINCE_LABELS == LOMBARDY


async def test_cooperative_form_offers_and_saves_the_new_provinces(client, admin):
    await login(client, admin.email)
    form = await client.get("/admin/cooperatives/new")
    for code, name in LOMBARDY.items():
        assert f'value="{code}"' in form.text and name in form.text
    for code in ("LC", "LO", "MB", "SO", "VA"):
        saved = await post_form(client, "/admin/cooperatives/new", {"name": f"Coop {code}", "province": code})
        assert saved.status_code in (302, 303), saved.text
    rows = await Cooperative.select(Cooperative.province).where(Cooperative.name.like("Coop %"))
    assert sorted(r["province"] for r in rows) == ["LC", "LO", "MB", "SO", "VA"]


@pytest.mark.parametrize("code", ["XX", "TO"])
async def test_a_province_outside_lombardy_is_refused(client, admin, code):
    await login(client, admin.email)
    refused = await post_form(client, "/admin/cooperatives/new", {"name": "Coop fuori", "province": code})
    assert refused.status_code == 400 or "Scegli una provincia" in refused.text
    assert not await Cooperative.exists().where(Cooperative.name == "Coop fuori")
