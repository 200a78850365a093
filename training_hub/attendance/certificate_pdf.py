"""The certificate of attendance (PDF) from :class:`CertificateData`: in Italian, with a QR code that
leads to the public verification page. Safety courses print the Accordo's attestato instead
(``safety/attestato.py``), which reuses :func:`qr_png` and the hours wording."""

from __future__ import annotations

import io

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from training_hub.attendance.certificates import CertificateData
from training_hub.attendance.documents import (
    CONSORTIUM_ADDRESS,
    CONSORTIUM_CITY,
    CONSORTIUM_NAME,
    RegisterDocument,
    hours_phrase,
    percent_text,
)
from training_hub.core.exports import PDF_FONT, pdf_text
from training_hub.core.i18n import format_date, language
from training_hub.core.labels import PATH_KIND_LABELS, label
from training_hub.core.tables import PathKind
from training_hub.core.wording import elide


def qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return buffer


def verification_box(pdf: FPDF, *, code: str, url: str, top: float, qr_size: float, text_size: float,
                     note: str) -> None:
    """The foot of a certificate: a rule, the QR code of ``url``, the verification code and how to check it."""
    width = pdf.w - pdf.l_margin - pdf.r_margin
    gap = qr_size + 6
    pdf.set_draw_color(180, 180, 180)
    pdf.line(pdf.l_margin, top - 4, pdf.w - pdf.r_margin, top - 4)
    pdf.image(qr_png(url), x=pdf.l_margin, y=top, w=qr_size, h=qr_size, alt_text="Codice QR per verificare l'attestato")
    pdf.set_xy(pdf.l_margin + gap, top + 2)
    pdf.set_font(PDF_FONT, "B", text_size + 1)
    pdf.cell(width - gap, 6, f"Codice di verifica: {code}", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(PDF_FONT, size=text_size)
    pdf.multi_cell(width - gap, text_size / 2 + 0.3, pdf_text(
        f"Per verificare l'autenticità di questo attestato inquadra il codice QR oppure visita {url}. {note}"
    ), align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)


def certificate_pdf(data: CertificateData) -> bytes:
    with language("it"):
        pdf = RegisterDocument(orientation="P", unit="mm", format="A4")
        pdf.set_margins(20, 18, 20)
        pdf.set_auto_page_break(False)
        pdf.set_title(pdf_text(f"Attestato di frequenza - {data.course_title}"))
        pdf.set_author(CONSORTIUM_NAME)
        pdf.set_creator("Training Hub")
        pdf.set_creation_date(data.issued_at)
        pdf.footer_left = f"{CONSORTIUM_NAME} - Attestato di frequenza - codice {data.code}"
        pdf.add_page()
        width = pdf.w - pdf.l_margin - pdf.r_margin
        progress = data.progress

        pdf.set_font(PDF_FONT, "B", 15)
        pdf.cell(width, 8, pdf_text(CONSORTIUM_NAME.upper()), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(PDF_FONT, size=10)
        pdf.cell(width, 5.5, pdf_text(CONSORTIUM_ADDRESS), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.cell(width, 5.5, "Consorzio di cooperative sociali della Lombardia", align="C",
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_draw_color(11, 90, 138)
        pdf.set_line_width(0.6)
        pdf.line(pdf.l_margin, pdf.get_y() + 4, pdf.w - pdf.r_margin, pdf.get_y() + 4)
        pdf.set_line_width(0.2)
        pdf.set_draw_color(0, 0, 0)

        pdf.set_y(62)
        pdf.set_font(PDF_FONT, "B", 26)
        pdf.cell(width, 13, "Attestato di frequenza", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(8)

        def centred(text: str, size: float, style: str = "", height: float = 7) -> None:
            pdf.set_font(PDF_FONT, style, size)
            pdf.multi_cell(width, height, pdf_text(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

        centred("Si attesta che", 12)
        pdf.ln(2)
        centred(data.full_name, 19, "B", 10)
        centred(f"Codice fiscale: {data.codice_fiscale or 'non indicato'}", 11)
        pdf.ln(4)
        centred("ha frequentato il corso", 12)
        pdf.ln(1)
        centred(f"«{data.course_title}»", 15, "B", 8)
        if data.path_kind != PathKind.INCLUSION:
            # A certificate is shown to employers: it never says the person followed an inclusion
            # pathway (for people with disabilities or in social disadvantage), only the course.
            kind = label(PATH_KIND_LABELS, data.path_kind)
            centred(f"del percorso «{data.path_title}» ({kind})", 11)
        pdf.ln(5)
        centred(
            f"per complessive {hours_phrase(progress.attended_minutes)} su {hours_phrase(progress.scheduled_minutes)} "
            f"previste ({percent_text(progress.percent)}%), raggiungendo la soglia di frequenza richiesta "
            f"del {progress.threshold}%.",
            11.5,
        )
        pdf.ln(3)
        if data.first_day and data.last_day:
            if format_date(data.first_day) == format_date(data.last_day):
                when = elide(f"Il corso si è svolto il {format_date(data.first_day)}")
            else:
                when = elide(f"Il corso si è svolto dal {format_date(data.first_day)} al {format_date(data.last_day)}")
            centred(when + (f" presso: {'; '.join(data.places)}." if data.places else "."), 11)
        pdf.ln(12)

        pdf.set_font(PDF_FONT, size=11)
        pdf.cell(width / 2, 6, pdf_text(f"{CONSORTIUM_CITY}, {format_date(data.issued_at)}"))
        pdf.cell(width / 2, 6, "Il responsabile della formazione", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(16)
        pdf.line(pdf.l_margin + width / 2 + 10, pdf.get_y(), pdf.w - pdf.r_margin - 10, pdf.get_y())

        verification_box(pdf, code=data.code, url=data.verify_url, top=pdf.h - 62, qr_size=34, text_size=9.5,
                         note="La pagina di verifica mostra solo le iniziali del nome, il corso e le ore.")
        return bytes(pdf.output())


def certificate_filename(data: CertificateData) -> str:
    return f"attestato-frequenza-{data.enrolment_id}.pdf"
