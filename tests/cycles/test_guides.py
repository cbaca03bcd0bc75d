"""Stage guides: every stage has one on the board; the Sales Effectiveness Manager edits them."""

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from cycles import services
from cycles.models import StageGuide
from cycles.stages import Stage
from sop_planner.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_the_board_shows_the_default_guide_of_the_current_stage(cycle, client, users_by_role):
    client.force_login(users_by_role[Role.DEMAND_PLANNER])
    body = client.get("/cycles/").content.decode()
    assert "upload the actuals of every territory" in body
    assert "edit the guide" not in body


def test_the_effectiveness_manager_rewrites_a_guide_and_everyone_sees_it(
    cycle, client, users_by_role
):
    editor = users_by_role[Role.SALES_EFFECTIVENESS_MANAGER]
    client.force_login(editor)
    assert "edit the guide" in client.get("/cycles/").content.decode()
    response = client.post(
        "/cycles/guides/data_gathering/",
        {"text": "Bring the numbers in.", "checklist": "Upload\n\nCheck the rejects\n"},
    )
    assert response.status_code == 302
    guide = StageGuide.objects.get(stage="data_gathering")
    assert guide.checklist == ["Upload", "Check the rejects"]
    assert AuditEvent.objects.filter(action="guide.save", actor=editor).exists()
    client.force_login(users_by_role[Role.SUPPLY_PLANNER])
    assert "Check the rejects" in client.get("/cycles/").content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.SALES_EFFECTIVENESS_MANAGER])
def test_other_roles_cannot_edit_guides(role, users_by_role, client):
    with pytest.raises(NotAllowed):
        services.stage_guide_save(
            actor=users_by_role[role], stage=Stage.SIGN_OFF, text="x", checklist=[]
        )
    client.force_login(users_by_role[role])
    assert client.post("/cycles/guides/sign_off/", {"text": "x"}).status_code == 403
    assert not StageGuide.objects.exists()


def test_an_empty_guide_is_refused(users_by_role):
    with pytest.raises(DomainError, match="needs some text"):
        services.stage_guide_save(
            actor=users_by_role[Role.SALES_EFFECTIVENESS_MANAGER],
            stage=Stage.SIGN_OFF,
            text=" ",
            checklist=[],
        )
