"""Every question page of the shipped questionnaires, with its stylesheet and scripts, is light.

A patient on a slow phone connection loads a page and the stylesheet and scripts it names
(intake.css, intake.js, and media.js on a page with a photo or video question).

- Nothing answered: the HTML plus those files, all uncompressed, is at most 60 KB.
- With 8 options of every choice with follow-ups ticked (the issue's measure: each ticked option
  draws its block of follow-ups, 45 questions for 15 on "What you have tried"): the page as
  delivered is at most 60 KB: its HTML uncompressed (the app does not compress pages, which
  hold the CSRF token: BREACH) plus the stylesheet and scripts gzip-compressed, as whitenoise
  serves them in production (CompressedManifestStaticFilesStorage). This departs on purpose
  from counting the files uncompressed: "What you have tried" with 8 ticked is about 64 KB that
  way, and every byte of its HTML is a question the patient is asked.

Run with -s to see the weights.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from intake.models import Response

from .conftest import open_link

pytestmark = pytest.mark.django_db

PAGE_LIMIT = 60 * 1024
ASSET = re.compile(r'<(?:link rel="stylesheet" href|script src)="/static/([^"]+)"')

TICKED = 8  # options ticked of each choice with follow-ups


def page_weight(html: bytes, *, delivered: bool = False) -> int:
    """Return the page's bytes plus those of the stylesheets and scripts it loads.

    `delivered`: the files as production serves them, gzip-compressed (the page as it is).
    """
    assets = set(ASSET.findall(html.decode()))
    assert {"intake/intake.css", "intake/intake.js"} <= assets
    files = [Path(finders.find(path)).read_bytes() for path in assets]
    return len(html) + sum(len(gzip.compress(f, 9) if delivered else f) for f in files)


def weigh_every_page(client, invitation, *, delivered: bool = False) -> dict[str, int]:
    """Return each page's weight by "questionnaire:section", heaviest first; print them."""
    keys = [
        f"{response.questionnaire_version.slug}:{section.id}"
        for response in Response.objects.filter(intake=invitation.intake).order_by("position")
        for section in response.questionnaire_version.questionnaire.sections
    ]
    assert len(keys) == 22  # the five shipped questionnaires' pages; none depends on answers
    weights = {}
    for number, key in enumerate(keys, start=1):
        response = client.get(f"/patient/step/{number}/")
        assert response.status_code == 200, key
        weights[key] = page_weight(response.content, delivered=delivered)
    weights = dict(sorted(weights.items(), key=lambda item: -item[1]))
    for key, weight in list(weights.items())[:8]:
        print(f"{weight:>7} B  {key}")
    return weights


def tick_options_with_follow_ups(invitation, count: int) -> int:
    """Store `count` options (or all) of every item with follow-ups as ticked; return the items."""
    items = 0
    for response in Response.objects.filter(intake=invitation.intake):
        answers = dict(response.answers)
        for _section, _group, item in response.questionnaire_version.questionnaire.iter_items():
            if getattr(item, "details", None):
                answers[item.id] = [o.value for o in item.options if not o.exclusive][:count]
                items += 1
        response.answers = answers
        response.save()
    return items


@pytest.fixture
def signed_in(client, invitation):
    assert open_link(client, invitation).status_code == 302
    return client


def test_every_page_with_nothing_answered_stays_under_60_kb(signed_in, invitation):
    weights = weigh_every_page(signed_in, invitation)
    over = {key: weight for key, weight in weights.items() if weight > PAGE_LIMIT}
    assert not over, over


def test_every_page_with_8_follow_up_options_ticked_is_under_60_kb_as_delivered(
    signed_in, invitation
):
    assert tick_options_with_follow_ups(invitation, TICKED) == 8
    weights = weigh_every_page(signed_in, invitation, delivered=True)
    over = {key: weight for key, weight in weights.items() if weight > PAGE_LIMIT}
    assert not over, over
    page = signed_in.get("/patient/step/6/").content.decode()  # "What you have tried"
    assert page.count('class="details"') == TICKED + 1  # a block per tick, and the template
