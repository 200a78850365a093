"""JSON API and files of inclusion pathways (DESIGN.md "Inclusion"): 404 for anyone but admins, the
pathway's tutors and (for their own project) the person; every read by someone else is audited."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, patch, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from training_hub.inclusion import aggregates, documents, outcomes, records, reviews
from training_hub.inclusion.access import Access
from training_hub.inclusion.schemas import (
    CompetenceIn,
    CreatedOut,
    OutcomeIn,
    OwnPathwayOut,
    PathwayCountsOut,
    PathwayIn,
    PathwayListItemOut,
    PathwayOut,
    PathwayPatch,
    ReviewIn,
    competence_input,
    counts_out,
    list_item_out,
    outcome_input,
    patched_input,
    pathway_input,
    pathway_out,
    review_input,
)
from training_hub.web.auth import CurrentUser, provide_user, requires_admin, requires_login

DEPENDENCIES = {"user": Provide(provide_user, sync_to_thread=False)}


class PersonPathwaysApi(Controller):
    path = "/api/people"
    tags = ["inclusion"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES  # noqa: RUF012

    @post("/{person_id:int}/inclusion-pathways", status_code=HTTP_201_CREATED,
          summary="Registra il percorso di inclusione di una persona (ufficio formazione; tutor che la seguono)")
    async def create(self, user: NamedDependency[CurrentUser], person_id: FromPath[int],
                     data: JSONBody[PathwayIn]) -> CreatedOut:
        return CreatedOut(await records.create_pathway(user, person_id, pathway_input(data)))


class PathwaysApi(Controller):
    path = "/api/inclusion-pathways"
    tags = ["inclusion"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/", summary="I percorsi che posso vedere (ufficio: tutti; tutor: i propri; la persona: il suo)")
    async def list_pathways(self, user: NamedDependency[CurrentUser]) -> list[PathwayListItemOut]:
        return [list_item_out(item) for item in await records.list_pathways(user)]

    @get("/counts", guards=[requires_admin],
         summary="Percorsi per tipo, esito e provincia (gruppi sotto 5 accorpati)")
    async def counts(self, user: NamedDependency[CurrentUser], year: FromQuery[int | None] = None) -> PathwayCountsOut:
        return counts_out(await aggregates.pathway_counts(user, year))

    @get("/{pathway_id:int}", summary="Un percorso (completo per ufficio e tutor; la persona vede il suo progetto)")
    async def detail(self, user: NamedDependency[CurrentUser], pathway_id: FromPath[int]) -> OwnPathwayOut | PathwayOut:
        return pathway_out(await records.get_pathway(user, pathway_id))

    @patch("/{pathway_id:int}", summary="Correggi un percorso")
    async def update(self, user: NamedDependency[CurrentUser], pathway_id: FromPath[int],
                     data: JSONBody[PathwayPatch]) -> OwnPathwayOut | PathwayOut:
        # The person may read their project but never change it: the same 404 as anyone else.
        current = await records.get_pathway(user, pathway_id, need=Access.FULL)
        await records.update_pathway(user, pathway_id, patched_input(records.input_from_row(current), data))
        return pathway_out(await records.get_pathway(user, pathway_id))

    @post("/{pathway_id:int}/reviews", status_code=HTTP_201_CREATED, summary="Registra una verifica periodica")
    async def add_review(self, user: NamedDependency[CurrentUser], pathway_id: FromPath[int],
                         data: JSONBody[ReviewIn]) -> CreatedOut:
        return CreatedOut(await reviews.add_review(user, pathway_id, review_input(data)))

    @post("/{pathway_id:int}/competences", status_code=HTTP_201_CREATED,
          summary="Registra una competenza acquisita, con la sua evidenza")
    async def add_competence(self, user: NamedDependency[CurrentUser], pathway_id: FromPath[int],
                             data: JSONBody[CompetenceIn]) -> CreatedOut:
        return CreatedOut(await outcomes.add_competence(user, pathway_id, competence_input(data)))

    @put("/{pathway_id:int}/outcome", summary="Registra l'esito del percorso (vuoto: riapre il percorso)")
    async def outcome(self, user: NamedDependency[CurrentUser], pathway_id: FromPath[int],
                      data: JSONBody[OutcomeIn]) -> OwnPathwayOut | PathwayOut:
        await outcomes.record_outcome(user, pathway_id, outcome_input(data))
        return pathway_out(await records.get_pathway(user, pathway_id))


def _file(document: documents.Document) -> Response[bytes]:
    return Response(content=document.content, media_type=documents.MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{document.filename}"',
        "Cache-Control": "private, no-store",  # special-category data: never kept by a cache
    })


class PathwayFiles(Controller):
    """The pathway's PDFs (session cookie or bearer token)."""

    path = "/inclusion-pathways"
    tags = ["inclusion"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/{pathway_id:int}/project.pdf", summary="Progetto personalizzato da firmare (PDF)",
         media_type="application/pdf")
    async def project(self, user: NamedDependency[CurrentUser], pathway_id: FromPath[int]) -> Response[bytes]:
        return _file(await documents.pathway_document(user, pathway_id, documents.Kind.PROJECT))

    @get("/{pathway_id:int}/record.pdf", summary="Scheda individuale riservata (PDF; ufficio e tutor)",
         media_type="application/pdf")
    async def record(self, user: NamedDependency[CurrentUser], pathway_id: FromPath[int]) -> Response[bytes]:
        return _file(await documents.pathway_document(user, pathway_id, documents.Kind.RECORD))

    @get("/{pathway_id:int}/competences.pdf", summary="Attestazione finale delle competenze (PDF)",
         media_type="application/pdf")
    async def competences(self, user: NamedDependency[CurrentUser], pathway_id: FromPath[int]) -> Response[bytes]:
        return _file(await documents.pathway_document(user, pathway_id, documents.Kind.COMPETENCES))

    @get("/{pathway_id:int}/attendance-sheet.pdf", summary="Foglio presenze mensile della formazione (PDF)",
         media_type="application/pdf")
    async def attendance_sheet(self, user: NamedDependency[CurrentUser], pathway_id: FromPath[int],
                               month: FromQuery[str]) -> Response[bytes]:
        return _file(await documents.pathway_document(user, pathway_id, documents.Kind.ATTENDANCE, month))


ROUTES: list[Any] = [PersonPathwaysApi, PathwaysApi, PathwayFiles]
