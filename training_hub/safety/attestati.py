"""Issuing the certificates: the file for one enrolment, and the course's list of who gets one.

* :func:`certificate_document` — the PDF of one enrolment: for a safety course the attestato of the
  Accordo (:mod:`.attestato`), for any other course today's "Attestato di frequenza"; either one signed
  PAdES when a certificate is configured (``core.signing``). Who may have it and whether it is due is
  ``attendance.certificates.certificate_for``'s rule (threshold AND, where there is one, a passed test).
* :func:`course_attestati` — per confirmed participant: attendance, test outcome, whether an attestato
  is due, for the trainers and the office (the course's attendance takers), in a fixed number of
  statements whatever the number of participants.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from training_hub.assessment.results import test_results_by_enrolment
from training_hub.attendance.access import require_attendance_taker
from training_hub.attendance.certificate_pdf import certificate_filename, certificate_pdf
from training_hub.attendance.certificates import CertificateData, certificate_for
from training_hub.attendance.progress import course_progress
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.signing import sign_document, signing_config
from training_hub.core.timeutil import utcnow
from training_hub.safety.attestato import attestato_filename, attestato_pdf, training_body
from training_hub.safety.course_types import find_course_type


def render_certificate(data: CertificateData, *, signed: bool) -> tuple[bytes, str]:
    """The unsigned PDF of a certificate and its file name (synchronous: run it in a thread)."""
    if find_course_type(data.safety_course_type) is not None:
        return attestato_pdf(data, training_body(), signed=signed), attestato_filename(data)
    return certificate_pdf(data), certificate_filename(data)


async def certificate_document(user: CurrentUser, enrolment_id: int, *, now: datetime | None = None
                               ) -> tuple[bytes, str]:
    """The certificate of one enrolment as sent: PDF bytes (signed when configured) and file name."""
    data = await certificate_for(user, enrolment_id, now=now)
    return await signed_certificate(data)


async def signed_certificate(data: CertificateData) -> tuple[bytes, str]:
    config = signing_config()
    content, filename = await asyncio.to_thread(render_certificate, data, signed=config is not None)
    body = training_body()
    signed = await sign_document(content, reason="Attestato di frequenza", location=body.city, config=config)
    return signed, filename


async def course_attestati(user: CurrentUser, course_id: int, *, now: datetime | None = None) -> dict[str, Any]:
    """Each confirmed participant of the course with attendance, test outcome and whether the attestato
    is due; only for who takes the course's attendance (trainers, the office)."""
    await require_attendance_taker(user, course_id, N_("Gli attestati del corso li vedono i suoi formatori e "
                                                        "l'ufficio formazione."))
    now = now or utcnow()
    progress = await course_progress(user, course_id, now=now)
    results = await test_results_by_enrolment(course_id)
    rows = []
    for row in progress["rows"]:
        p = row["progress"]
        passed = results.test_passed(row["enrolment_id"])
        result = results.by_enrolment.get(row["enrolment_id"])
        rows.append({
            "enrolment_id": row["enrolment_id"], "full_name": row["full_name"], "progress": p,
            "percent": p.percent, "threshold": p.threshold, "reached": p.reached,
            "test_required": results.required, "test_passed": passed,
            "test_score": result.score_percent if result else None,
            "eligible": bool(p.eligible and passed is not False),
        })
    course = progress["course"]
    return {"course": course, "safety_course": find_course_type(course.get("safety_course_type")),
            "rows": rows, "eligible_count": sum(1 for r in rows if r["eligible"]),
            "scheduled_minutes": progress["scheduled_minutes"]}
