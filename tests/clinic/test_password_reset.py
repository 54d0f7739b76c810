"""A forgotten password, end to end: the e-mail, its link, the new password, signing in."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-lantern-orchard-42"


@pytest.fixture
def clinician_with_email(clinician):
    clinician.email = "clinician@example.test"
    clinician.save(update_fields=["email"])
    return clinician


def reset_link_from_the_mail() -> str:
    [message] = mail.outbox
    assert message.to == ["clinician@example.test"]
    url = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    return urlsplit(url).path


def test_a_clinician_resets_a_forgotten_password_through_the_emailed_link(
    client, clinician_with_email
):
    asked = client.post("/accounts/password_reset/", {"email": "clinician@example.test"})
    assert asked["Location"] == "/accounts/password_reset/done/"
    link = reset_link_from_the_mail()

    opened = client.get(link)  # Django moves the token out of the URL into the session
    assert opened.status_code == 302
    form = client.get(opened["Location"])
    assert 'name="new_password1"' in form.content.decode()
    saved = client.post(
        opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert saved["Location"] == "/accounts/reset/done/"

    fresh = client.__class__()
    old = fresh.post(
        "/accounts/login/", {"username": "clinician", "password": "correct-horse-battery"}
    )
    assert old.status_code == 200  # the form again: the old password no longer works
    signed_in = fresh.post("/accounts/login/", {"username": "clinician", "password": NEW_PASSWORD})
    assert signed_in["Location"] == "/clinic/"
    assert fresh.get("/clinic/").status_code == 200


def test_a_used_reset_link_does_not_work_twice(client, clinician_with_email):
    client.post("/accounts/password_reset/", {"email": "clinician@example.test"})
    link = reset_link_from_the_mail()
    opened = client.get(link)
    client.post(opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.__class__().get(link, follow=True).content.decode()
    assert "This reset link has expired or was already used." in again
    assert 'name="new_password1"' not in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, clinician_with_email):
    asked = client.post("/accounts/password_reset/", {"email": "nobody@example.test"})
    assert asked["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []
