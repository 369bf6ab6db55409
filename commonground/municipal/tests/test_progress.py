"""How progress is counted, section by section and overall."""

from __future__ import annotations

from commonground.municipal import actions
from commonground.municipal.models import (
    AgendaItem,
    Milestone,
    MunicipalSession,
    Objective,
    Participant,
    Task,
)
from commonground.municipal.sections import Checklist, load_checklist
from conftest import World


def test_a_participant_counts_once_named_and_confirmed() -> None:
    checklist = Checklist(
        MunicipalSession(),
        participants=[
            Participant(role="mayor", side="municipality", name="Ana", confirmed=True),
            Participant(role="director", side="lead", name="", confirmed=True),
            Participant(role="observer", side="observer", name="Obi", confirmed=False),
        ],
    )
    progress = checklist.by_key["participants"]
    assert (progress.done, progress.total, progress.percent) == (1, 3, 33)


def test_the_goal_counts_as_one_objective_and_each_agreed_point_as_another() -> None:
    session = MunicipalSession(goal="")
    points = [Objective(text="a", agreed=True), Objective(text="b")]
    progress = Checklist(session, objectives=points).by_key["objectives"]
    assert (progress.done, progress.total) == (1, 3)
    session.goal = "A safer city"
    progress = Checklist(session, objectives=points).by_key["objectives"]
    assert (progress.done, progress.total) == (2, 3)


def test_the_endorsement_has_three_steps() -> None:
    session = MunicipalSession()
    assert Checklist(session).by_key["endorsement"].done == 0
    session.endorsement_status = "under_review"
    assert Checklist(session).by_key["endorsement"].done == 1
    session.endorsement_status = "endorsed"
    session.document_path = "municipal/1/x.pdf"
    progress = Checklist(session).by_key["endorsement"]
    assert (progress.done, progress.total, progress.complete) == (3, 3, True)
    session.endorsement_status = "declined"
    assert Checklist(session).by_key["endorsement"].done == 2


def test_tasks_milestones_and_agenda_count_their_ticks() -> None:
    checklist = Checklist(
        MunicipalSession(),
        tasks=[Task(title="a", done=True), Task(title="b")],
        milestones=[Milestone(title="w", confirmed=True)],
        agenda=[AgendaItem(title="x", duration_minutes=10), AgendaItem(title="y", confirmed=True)],
    )
    by_key = checklist.by_key
    assert (by_key["tasks"].done, by_key["tasks"].total) == (1, 2)
    assert by_key["milestones"].complete
    assert (by_key["agenda"].done, by_key["agenda"].total) == (1, 2)


def test_overall_progress_adds_up_every_sections_items() -> None:
    checklist = Checklist(
        MunicipalSession(goal="g", endorsement_status="requested"),
        participants=[Participant(role="mayor", side="municipality", name="A", confirmed=True)],
        objectives=[Objective(text="a")],
        tasks=[Task(title="t", done=True), Task(title="u")],
    )
    overall = checklist.overall
    # participants 1/1, objectives 1/2, endorsement 1/3, tasks 1/2, timeline 0/0, agenda 0/0
    assert (overall.done, overall.total, overall.percent) == (4, 8, 50)


def test_an_empty_section_is_zero_percent_and_not_complete() -> None:
    progress = Checklist(MunicipalSession()).by_key["agenda"]
    assert (progress.percent, progress.complete) == (0, False)


def test_every_action_keeps_the_stored_overall_progress_true(world: World) -> None:
    session = actions.start_session(world.owner, world.coalition)
    checklist = load_checklist(session)
    # 4 seats, goal + 6 points, 3 endorsement steps, 7 tasks, 2 milestones, 7 agenda items
    assert (session.progress_done, session.progress_total) == (0, 30)
    assert checklist.overall.total == 30
    actions.update_session(world.owner, session, goal="Safer together")
    task = Task.objects.filter(session=session).first()
    assert task is not None
    actions.toggle_item(world.owner, task)
    actions.add_item(world.owner, session, "objectives", text="Agree a date", agreed=True)
    session.refresh_from_db()
    live = load_checklist(session).overall
    assert (session.progress_done, session.progress_total) == (live.done, live.total) == (3, 31)
    assert session.percent_done == 10
