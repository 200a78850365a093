"""The closing report: planned (cancelled excluded), attended, percent, trained, hours × cost."""

from decimal import Decimal

from training_hub.funding.closing import (
    DEFAULT_TRAINED_THRESHOLD,
    Enrolled,
    SessionPlan,
    closing_report,
    cost_of,
    is_trained,
    percent_of,
)

# A 10-hour action: five 2-hour sessions, the third cancelled → 8 planned hours (480 minutes).
SESSIONS = [SessionPlan(id_, 1, 120, cancelled=(id_ == 13)) for id_ in (11, 12, 13, 14, 15)]


def attended(*minutes: int) -> dict[int, int]:
    return dict(zip((11, 12, 14, 15), minutes, strict=True))


def test_the_issue_figures_5h36_of_8h_is_trained_5h35_is_not():
    assert DEFAULT_TRAINED_THRESHOLD == 70
    report = closing_report(SESSIONS, [
        Enrolled(1, 100, 1, attended(120, 120, 96, 0)),  # 336 minutes = 5 h 36
        Enrolled(2, 100, 1, attended(120, 120, 95, 0)),  # 335 minutes = 5 h 35
    ])
    first, second = report.participants
    assert (first.figures.planned_minutes, first.figures.attended_minutes, first.figures.trained) == (480, 336, True)
    assert (second.figures.planned_minutes, second.figures.attended_minutes, second.figures.trained) == (480, 335, False)
    assert first.figures.percent == Decimal("70.0")
    assert second.figures.percent == Decimal("69.7")  # 69.79…, rounded down: never shows 70


def test_minutes_of_a_cancelled_session_are_neither_planned_nor_attended():
    report = closing_report(SESSIONS, [Enrolled(1, 100, 1, {11: 120, 13: 120})])
    (row,) = report.participants
    assert (row.figures.planned_minutes, row.figures.attended_minutes) == (480, 120)


def test_attended_minutes_never_exceed_the_session():
    report = closing_report(SESSIONS, [Enrolled(1, 100, 1, {11: 150, 12: -5})])
    assert report.participants[0].figures.attended_minutes == 120


def test_exact_integer_arithmetic_and_edge_cases():
    assert is_trained(336, 480) and not is_trained(335, 480)
    assert is_trained(432, 480, 90) and not is_trained(431, 480, 90)
    assert is_trained(7, 10, Decimal(70)) and not is_trained(0, 0)
    assert percent_of(1, 3) == Decimal("33.3") and percent_of(5, 0) is None


def test_nothing_planned_is_nobody_trained():
    report = closing_report([SessionPlan(1, 9, 120, cancelled=True)], [Enrolled(1, 100, 9, {1: 120})])
    figures = report.participants[0].figures
    assert (figures.planned_minutes, figures.percent, figures.trained) == (0, None, False)


def test_a_participant_in_two_actions_is_one_row_with_each_action_decided_too():
    sessions = [*SESSIONS, SessionPlan(21, 2, 240)]
    report = closing_report(sessions, [
        Enrolled(1, 100, 1, attended(120, 120, 120, 120)),
        Enrolled(1, 100, 2, {21: 60}),
    ])
    (row,) = report.participants
    assert (row.figures.planned_minutes, row.figures.attended_minutes, row.figures.trained) == (720, 540, True)
    assert [(action.course_id, action.figures.trained) for action in row.actions] == [(1, True), (2, False)]


def test_cost_is_attended_hours_times_hourly_cost_rounded_half_up():
    assert cost_of(336, Decimal("18.50")) == Decimal("103.60")  # 5.6 h × 18.50
    assert cost_of(7, Decimal("10.00")) == Decimal("1.17")  # 1.1666…
    assert cost_of(3, Decimal("0.10")) == Decimal("0.01")  # 0.005: half-up, not half-even
    assert cost_of(60, None) is None


def test_companies_add_up_their_participants():
    report = closing_report(SESSIONS, [
        Enrolled(1, 100, 1, attended(120, 120, 96, 0), Decimal("18.50")),
        Enrolled(2, 100, 1, attended(120, 120, 95, 0), Decimal("20.00")),
        Enrolled(3, 200, 1, attended(120, 120, 120, 120)),
    ])
    aurora, sollievo = report.companies
    assert (aurora.cooperative_id, aurora.participants, aurora.trained) == (100, 2, 1)
    assert (aurora.planned_minutes, aurora.attended_minutes, aurora.percent) == (960, 671, Decimal("69.8"))
    assert aurora.cost == Decimal("103.60") + Decimal("111.67") and aurora.cost_complete
    assert (sollievo.cost, sollievo.cost_complete) == (Decimal("0.00"), False)


def test_as_dict_shows_costs_only_when_asked():
    report = closing_report(SESSIONS, [Enrolled(1, 100, 1, attended(120, 120, 96, 0), Decimal("18.50"))])
    public = report.as_dict()
    assert public["participants"] == [{"person_id": 1, "cooperative_id": 100, "planned_minutes": 480,
                                       "attended_minutes": 336, "percent": 70.0, "trained": True}]
    assert "cost" not in public["companies"][0]
    admin = report.as_dict(include_cost=True)
    assert admin["participants"][0]["cost"] == "103.60"
    assert admin["companies"][0]["cost"] == "103.60" and admin["companies"][0]["cost_complete"]
