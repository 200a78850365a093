"""Issue 13.8: the activity report's PDF never cuts a heading mid-word ("Completame/nto")."""

import re

from tests import reports_fixture as fx
from tests.integration.reports.test_reports_outputs import QUERY, pdf_text
from tests.support import login
from training_hub.core.i18n import gettext


async def test_no_heading_or_cell_word_is_split_across_lines(client):
    await fx.build()
    await login(client, "office@example.test")
    text = pdf_text((await client.get(f"/reports/activity.pdf?{QUERY}")).content)
    words = set(re.findall(r"[A-Za-zÀ-ÿ]+", text))
    for heading in ("Completamento", "Abbandono", "Organizzazione", "Partecipanti", "Materiali"):
        if heading.lower() in text.lower().replace("\n", "").replace(" ", ""):
            assert heading in words, f"{heading} split: {[w for w in words if heading.startswith(w)]}"
    assert gettext("Completamento") in text
