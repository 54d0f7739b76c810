"""The dashboard: newest first, search by name or reference, filter by status, pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intake import services
from intake.models import Intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def intakes(questionnaires, clinician):
    made = {}
    for name, reference in [
        ("Ada Lovelace-Test", "R-1"),
        ("Ben Example", "R-2"),
        ("Cleo Sample", "R-3"),
        ("Dan Sample", "R-4"),
    ]:
        made[name] = services.create_invitation(
            patient_name=name, date_of_birth=None, clinic_reference=reference
        ).intake
    Intake.objects.filter(pk=made["Ben Example"].pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    services.cancel_invitation(intake=made["Cleo Sample"], by=clinician)
    return made


def names(response):
    return [i.patient_name for i in response.context["page"].object_list]


def test_newest_first_with_status(client, clinician, intakes):
    client.force_login(clinician)
    response = client.get("/clinic/")
    assert names(response) == ["Dan Sample", "Cleo Sample", "Ben Example", "Ada Lovelace-Test"]
    page = response.content.decode()
    assert "Expired" in page and "Cancelled" in page and "Invited" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "sample"}, ["Dan Sample", "Cleo Sample"]),
        ({"q": "r-2"}, ["Ben Example"]),
        ({"status": "expired"}, ["Ben Example"]),
        ({"status": "cancelled"}, ["Cleo Sample"]),
        ({"status": "invited"}, ["Dan Sample", "Ada Lovelace-Test"]),
        ({"q": "sample", "status": "invited"}, ["Dan Sample"]),
    ],
)
def test_search_and_filter(client, clinician, intakes, query, expected):
    client.force_login(clinician)
    assert names(client.get("/clinic/", query)) == expected


def test_pages_of_25(client, clinician, questionnaires):
    for n in range(30):
        services.create_invitation(patient_name=f"Patient {n:02d}", date_of_birth=None)
    client.force_login(clinician)
    first = client.get("/clinic/")
    assert len(names(first)) == 25
    assert "Page 1 of 2" in first.content.decode()
    assert names(client.get("/clinic/", {"page": 2})) == [
        f"Patient {n:02d}" for n in (4, 3, 2, 1, 0)
    ]


def test_queries_per_page_do_not_grow_with_rows(
    client, clinician, questionnaires, django_assert_max_num_queries
):
    for n in range(40):
        services.create_invitation(patient_name=f"Patient {n:02d}", date_of_birth=None)
    client.force_login(clinician)
    with django_assert_max_num_queries(10):
        client.get("/clinic/")


def test_a_nul_character_in_the_search_is_ignored(client, clinician, intakes):
    client.force_login(clinician)
    assert names(client.get("/clinic/", {"q": "ben\x00"})) == ["Ben Example"]


def test_a_status_that_is_not_a_filter_is_a_400_naming_it_not_every_intake(
    client, clinician, intakes
):
    client.force_login(clinician)
    response = client.get("/clinic/", {"q": "sample", "status": "AAA"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Status: choose one of the statuses in the list." in page
    assert 'value="sample"' in page  # the search is kept
    for name in intakes:
        assert name not in page
