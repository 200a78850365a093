"""The bilancio sociale's training figures on hand-built data (tests/integration/planning/social_fixture.py),
their reconciliation with the registers, who may see them, and the statements they cost."""

from __future__ import annotations

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
from tests.integration.planning import social_fixture
from tests.reports_fixture import attend
from tests.support import as_user, rome
from training_hub.attendance.registers import register_data
from training_hub.core.errors import PermissionDenied, ValidationFailed
from training_hub.core.tables import CooperativeHeadcount
from training_hub.core.timeutil import to_rome
from training_hub.inclusion.tables import InclusionPathway
from training_hub.planning import social_report as service


def _figures(report: service.SocialReport) -> dict[str, object]:
    return {figure.key: figure.value for figure in report.figures}


def _rows(report: service.SocialReport, key: str) -> dict[object, tuple[object, object]]:
    table = next(t for t in report.tables if t.key == key)
    return {row["key"]: (row["minutes"], row["people"]) for row in table.rows}


async def test_consolidated_figures_match_the_hand_computed_ones():
    data = await social_fixture.build()
    report = await service.social_report(as_user(data["admin"]), 2025)
    figures, expected = _figures(report), social_fixture.EXPECTED
    for key in ("minutes", "people", "courses", "headcount", "minutes_per_worker", "mandatory_minutes",
                "voluntary_minutes", "cost", "costed_minutes", "responses"):
        assert figures[key] == expected[key], key
    assert figures["share_trained"] == pytest.approx(expected["share_trained"])
    assert figures["satisfaction"] == pytest.approx(expected["satisfaction"])
    assert _rows(report, "kind") == expected["kind"]
    assert _rows(report, "area") == expected["area"]
    assert _rows(report, "quarter") == expected["quarter"]
    assert _rows(report, "cooperatives") == expected["cooperatives"]
    assert any("l'organico dell'anno" in warning for warning in report.warnings)  # Gamma


async def test_a_cooperative_sees_its_own_people_and_no_costs():
    data = await social_fixture.build()
    report = await service.social_report(as_user(data["coordinator"]), 2025)
    figures = _figures(report)
    for key, value in social_fixture.EXPECTED["alfa"].items():
        assert figures[key] == pytest.approx(value), key
    assert "cost" not in figures and report.cooperative_name == "Cooperativa Alfa"
    assert not any(table.key == "cooperatives" for table in report.tables)
    office = await service.social_report(as_user(data["admin"]), 2025, data["alfa"].id)
    assert _figures(office)["minutes"] == figures["minutes"] and _figures(office)["cost"] == 200


async def test_hours_equal_the_registers_minutes_summed():
    data = await social_fixture.build()
    admin = as_user(data["admin"])
    register_minutes = 0
    for course in (data["k1"], data["k2"], data["k4"]):  # the courses held (K3 is a draft)
        register = await register_data(admin, course.id)
        register_minutes += sum(line.minutes or 0 for session in register.sessions
                                if to_rome(session.starts_at).year == 2025 for line in session.lines)
    report = await service.social_report(admin, 2025)
    assert _figures(report)["minutes"] == register_minutes == 1640


async def test_a_coordinator_of_another_cooperative_is_refused_and_trainers_too():
    data = await social_fixture.build()
    with pytest.raises(PermissionDenied):
        await service.social_report(as_user(data["coordinator"]), 2025, data["beta"].id)
    with pytest.raises(PermissionDenied):
        await service.social_report(as_user(await make_person("trainer")), 2025)
    with pytest.raises(PermissionDenied):
        await service.social_report(as_user(data["a"][0]), 2025)


@pytest.mark.parametrize("raw", ["20x5", "1999", "2027", "25", " 2025 1", "２０２５", "-2025"])
def test_a_bad_year_is_refused_next_to_the_field(raw):
    with pytest.raises(ValidationFailed) as caught:
        service.parse_year(raw, today=date(2026, 11, 25))
    assert caught.value.field_errors == {"year": caught.value.field_errors["year"]}


def test_years_and_quarters():
    assert service.parse_year("", today=date(2026, 11, 25)) == 2026
    assert service.parse_year("2025", today=date(2026, 11, 25)) == 2025
    assert service.window_of(2025, 4).first == date(2025, 10, 1) and service.window_of(2025, 4).last == date(2025, 12, 31)
    assert service.window_of(2025, 1).last == date(2025, 3, 31)
    with pytest.raises(ValidationFailed):
        service.parse_quarter("5")


async def _pathways(cooperative, people: list) -> None:
    for person in people:
        await InclusionPathway.insert(InclusionPathway(
            person=person.id, pathway_type="tirocinio_inclusione", host_cooperative=cooperative.id,
            eligibility_category="invalidi_fisici", starts_on=date(2025, 2, 1), ends_on=None))


async def test_inclusion_figures_only_for_groups_of_at_least_five():
    admin = as_user(await make_person("admin"))
    alfa = await make_cooperative(name="Cooperativa Inclusione")
    people = [await make_person(cooperative=alfa, full_name=f"Persona in percorso {n}") for n in range(6)]
    course = await make_course(await make_path("inclusion"))
    session = await make_session(course, rome(date(2025, 5, 6), 9), 120)
    for person in people[:5]:
        await attend(session, await make_enrolment(person, course), 120)
    await _pathways(alfa, people[:4])
    figures = _figures(await service.social_report(admin, 2025))
    assert figures["inclusion_people"] == figures["inclusion_minutes"] == service.SUPPRESSED
    await _pathways(alfa, people[4:6])  # six people: five trained, one not (a group of one is not shown)
    report = await service.social_report(admin, 2025)
    figures = _figures(report)
    assert figures["inclusion_people"] == 6 and figures["inclusion_minutes"] == 600
    assert figures["inclusion_trained"] == service.SUPPRESSED
    assert next(t for t in report.tables if t.key == "inclusion").rows[0]["count"] == 6


async def test_a_constant_number_of_statements_at_two_sizes(count_queries):
    data = await social_fixture.build()
    admin = as_user(data["admin"])
    with count_queries() as small:
        await service.social_report(admin, 2025)
    # Ten times the cooperatives, people, courses and registers.
    path = await make_path()
    for n in range(10):
        cooperative = await make_cooperative(name=f"Cooperativa in più {n}")
        await CooperativeHeadcount.insert(CooperativeHeadcount(cooperative=cooperative.id, year=2025, total=20))
        course = await make_course(path)
        session = await make_session(course, rome(date(2025, 6, 1 + n), 9), 90)
        for m in range(3):
            await attend(session, await make_enrolment(await make_person(cooperative=cooperative), course), 90)
    with count_queries() as large:
        report = await service.social_report(admin, 2025)
    assert _figures(report)["minutes"] == 1640 + 10 * 3 * 90
    assert small.count == large.count == 3
