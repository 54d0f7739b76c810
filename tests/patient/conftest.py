"""Patient fixtures: an invitation, and a browser session that has opened it."""

from datetime import date

import pytest

from intake.services import create_invitation


@pytest.fixture
def invitation(questionnaires):
    return create_invitation(
        patient_name="Robin Testperson", date_of_birth=date(1975, 6, 30), clinic_reference="T-1"
    )


@pytest.fixture
def other_invitation(questionnaires):
    return create_invitation(patient_name="Kim Otherperson", date_of_birth=date(1990, 1, 2))


def open_link(client, invitation, *, birth_date=("30", "6", "1975")):
    response = client.get(f"/i/{invitation.token}/")
    assert response.status_code == 302
    day, month, year = birth_date
    return client.post("/patient/verify/", {"day": day, "month": month, "year": year})


@pytest.fixture
def patient(client, invitation):
    """A client whose session opened the invitation and confirmed the date of birth."""
    assert open_link(client, invitation).status_code == 302
    return client
