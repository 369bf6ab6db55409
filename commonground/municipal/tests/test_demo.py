"""The demo's Jakarta checklist: started, half done, loaded once."""

from __future__ import annotations

from commonground.demo import load_demo, load_jakarta_municipal_session
from commonground.municipal.models import MunicipalSession, Participant
from commonground.municipal.sections import load_checklist


def test_the_demo_gives_jakarta_a_half_complete_checklist(db: None) -> None:
    assert load_jakarta_municipal_session() is False  # no Jakarta coalition yet
    load_demo()
    assert load_jakarta_municipal_session() is True
    session = MunicipalSession.objects.get(coalition__slug="jakarta")
    overall = load_checklist(session).overall
    assert 0.3 <= overall.done / overall.total <= 0.7
    assert (session.progress_done, session.progress_total) == (overall.done, overall.total)
    linked = Participant.objects.filter(session=session, contact__isnull=False)
    assert {p.contact.coalition_id for p in linked if p.contact} == {session.coalition_id}
    assert session.endorsement_status == "requested"
    assert load_jakarta_municipal_session() is False  # once only
