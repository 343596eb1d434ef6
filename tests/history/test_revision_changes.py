"""Before approving a revision the director sees what changed: added, removed, field by field."""

from __future__ import annotations

from tests.conftest import login, soup_of
from tracker.core.permissions import Role
from tracker.plans import services as plan_services


def test_the_director_sees_added_removed_and_changed_fields(app, db, make_plan, make_user):
    plan = make_plan(
        measures=[
            {"number": "1", "title": "Маъруза тайёрлаш", "deadline_text": "2024 йил март"},
            {"number": "2", "title": "Семинар ўтказиш"},
        ]
    )
    controller, director = make_user(Role.CONTROLLER), make_user(Role.DIRECTOR)
    first, second = plan.measures
    plan_services.revise_plan(plan, actor=controller)
    plan_services.update_measure(
        first,
        plan_services.MeasureData(number="1", title="Маъруза тайёрлаш", deadline_text="2024 йил май"),
        actor=controller,
        expected_version=None,
    )
    plan_services.delete_measure(second, actor=controller)
    plan_services.add_measure(
        plan, plan_services.MeasureData(number="3", title="Сўровнома"), actor=controller
    )
    plan_services.submit_plan(plan, actor=controller)
    db.session.commit()

    client = app.test_client()
    login(client, director)
    show = soup_of(client.get(f"/plans/{plan.id}"))
    link = show.find("a", href=f"/plans/{plan.id}/changes")
    assert link is not None
    page = soup_of(client.get(link["href"]))
    assert [td.get_text() for td in page.select("#added td")][:2] == ["3", "Сўровнома"]
    assert [td.get_text() for td in page.select("#removed td")][:2] == ["2", "Семинар ўтказиш"]
    changed = [
        [td.get_text(" ", strip=True) for td in tr.select("td")] for tr in page.select("#changed tbody tr")
    ]
    assert len(changed) == 1 and changed[0][0] == "1" and changed[0][2:] == ["2024 йил март", "2024 йил май"]
