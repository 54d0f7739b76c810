import pytest
pytestmark = pytest.mark.django_db

def test_probe(client, clinician, questionnaires):
    client.force_login(clinician)
    client.raise_request_exception = False
    r = client.get("/clinic/", {"q": "a\x00b"})
    print("DASHBOARD", r.status_code)
