"""The register PDF with the fonts read once per process: every name prints exactly, whether all its
letters are in the common repertoire or not, and one document's glyphs never leak into the next."""

import io
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader

from training_hub.attendance import documents
from training_hub.attendance.registers import RegisterData, RegisterLine, RegisterSession, RegisterTotal
from training_hub.attendance.rules import Progress
from training_hub.core import exports


def _register(names: list[str], sessions: int = 3) -> RegisterData:
    start = datetime(2026, 11, 2, 8, tzinfo=UTC)
    register_sessions = [
        RegisterSession(
            id=week, starts_at=start + timedelta(weeks=week), ends_at=start + timedelta(weeks=week, hours=4),
            minutes=240, topics="Modulo: " + "strumenti e casi di studio del lavoro sociale " * (1 + week * 3),
            trainer_name="Marco Bianchi", place="Aula 1, Milano",
            lines=[RegisterLine(number=index + 1, enrolment_id=index, full_name=name, codice_fiscale="RSSMRA80A01H501U",
                                cooperative="Società Cooperativa Sociale Spazio Aperto Onlus", status="present",
                                arrived_at=None, left_at=None, minutes=240) for index, name in enumerate(names)],
        )
        for week in range(sessions)
    ]
    progress = Progress(720, 720, 0, 70, True, 100.0, True, False, True)
    return RegisterData(
        course_id=1, course_title="Comunicare con le famiglie", path_title="Percorso", path_kind="other",
        funder_plan_code="FON-1", threshold=70, trainers=["Marco Bianchi"], sessions=register_sessions,
        totals=[RegisterTotal(name, "RSSMRA80A01H501U", "Coop", progress) for name in names],
        generated_at=start,
    )


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_names_in_and_beyond_the_common_repertoire_print_exactly():
    latin = ["Nicolò Làzzari", "Nguyễn Thị Hà", "Łukasz Nowak"]
    text = _text(documents.register_pdf(_register(latin)))
    assert all(name in text for name in latin)
    assert "Pagina 1 di " in text and "{nb}" not in text
    beyond = [*latin, "Дмитрий Иванов", "Σοφία Παππά"]
    text = _text(documents.register_pdf(_register(beyond)))
    assert all(name in text for name in beyond)


def test_documents_share_the_parsed_face_not_their_glyphs():
    first = documents.register_pdf(_register(["Дмитрий Иванов"]))
    second = documents.register_pdf(_register(["Anna Rossi"]))
    assert "Дмитрий" in _text(first) and "Anna Rossi" in _text(second)
    assert len(second) < len(first)  # the second embeds no Cyrillic glyph
    a, b = exports.UnicodePDF(), exports.UnicodePDF()
    assert a.fonts["dejavusanscondensed"].cw is b.fonts["dejavusanscondensed"].cw
    assert a.fonts["dejavusanscondensed"].subset is not b.fonts["dejavusanscondensed"].subset


def test_long_topics_wrap_to_at_most_three_lines():
    text = _text(documents.register_pdf(_register(["Anna Rossi"], sessions=4)))
    assert "Argomenti:" in text and "..." in text
