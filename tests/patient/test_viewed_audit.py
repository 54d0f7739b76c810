"""Issue 11: the audit trail records that a page showed the patient's saved answers.

Once per page per visit (session), not on every reload: a reload shows what was already
recorded as shown. A new visit records again, and so does every view while the cache that
remembers "already recorded" is unreachable.
"""

from django.db import OperationalError

from intake import audit
from intake.models import AuditEvent

from .conftest import open_link
from .test_cache_sessions import redis_down


def viewed_pages() -> list[str]:
    events = AuditEvent.objects.filter(action=AuditEvent.Action.ANSWERS_VIEWED)
    return [event.detail["page"] for event in events.order_by("id")]


def test_each_page_is_recorded_once_per_visit_and_again_in_the_next(client, invitation):
    open_link(client, invitation)
    client.post("/patient/step/1/", {"revision": 0, "action": "next", "areas": ["left_calf"]})
    for url in ("/patient/step/1/", "/patient/step/1/", "/patient/review/", "/patient/step/1/"):
        assert client.get(url).status_code == 200
    assert viewed_pages() == ["twitch_history:where", "review"]
    device = AuditEvent.objects.filter(action=AuditEvent.Action.ANSWERS_VIEWED).first()
    assert device.detail["device"] and device.actor_label == "patient"

    assert client.post("/patient/finish/").status_code == 302  # the visit ends
    open_link(client, invitation)
    client.get("/patient/step/1/")
    client.get("/patient/step/1/")
    assert viewed_pages() == ["twitch_history:where", "review", "twitch_history:where"]


def test_every_view_is_recorded_while_the_cache_is_unreachable(client, invitation, settings):
    open_link(client, invitation)
    redis_down(settings)
    for _ in range(3):
        assert client.get("/patient/step/1/").status_code == 200
    assert viewed_pages() == ["twitch_history:where"] * 3


def test_a_view_whose_record_failed_is_recorded_on_the_next_view(client, invitation, monkeypatch):
    open_link(client, invitation)
    real_record = audit.record
    failures = []

    def database_gone_once(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise OperationalError("database briefly unreachable")
        return real_record(*args, **kwargs)

    monkeypatch.setattr(audit, "record", database_gone_once)
    client.raise_request_exception = False  # as a server does: the 503 page
    assert client.get("/patient/step/1/").status_code == 503  # nothing shown unrecorded
    assert viewed_pages() == []
    assert client.get("/patient/step/1/").status_code == 200
    assert viewed_pages() == ["twitch_history:where"]
