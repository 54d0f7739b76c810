"""The management commands a clinic's IT person runs."""

import json
import re
import subprocess
import sys
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from intake import services
from intake.models import AuditEvent, Intake

from .conftest import ROOT
from .pdf_text import assert_demo_summary

pytestmark = pytest.mark.django_db


def test_render_summary_writes_a_pdf(submitted_intake, tmp_path, capsys):
    out = tmp_path / "summary.pdf"
    call_command("render_summary", str(submitted_intake.pk), "-o", str(out))
    assert_demo_summary(out.read_bytes(), patient="Casey Placeholder", reference="CHART-42")
    assert "wrote" in capsys.readouterr().out


def test_render_summary_names_an_unknown_intake(db, tmp_path):
    with pytest.raises(CommandError, match="No intake with id nope"):
        call_command("render_summary", "nope", "-o", str(tmp_path / "x.pdf"))


def test_create_demo_prints_logins_and_links_as_json_and_can_run_twice(questionnaires, capsys):
    call_command("create_demo", "--json")
    call_command("create_demo", "--json")
    result = json.loads(capsys.readouterr().out.split("\n}\n")[-2] + "\n}")
    assert result["logins"]["clinician"]["username"] == "demo-clinician"
    statuses = {p["status"] for p in result["patients"]}
    assert statuses == {"invited", "in_progress", "submitted", "expired", "cancelled"}
    assert Intake.objects.count() == 5
    submitted = Intake.objects.get(clinic_reference="DEMO-003")
    assert submitted.status == "submitted"
    assert all(r.answers for r in submitted.responses.all())


def test_demo_clinician_can_use_the_admin(questionnaires, client):
    call_command("create_demo")
    signed_in = client.post(
        "/accounts/login/", {"username": "demo-clinician", "password": "demo-clinician-pass-2026"}
    )
    assert signed_in["Location"] == "/clinic/"
    admin_list = client.get("/admin/intake/intake/")
    assert admin_list.status_code == 200
    assert "5 intakes" in admin_list.content.decode()
    dashboard = client.get("/clinic/").content.decode()
    for reference in ("DEMO-001", "DEMO-002", "DEMO-003", "DEMO-004", "DEMO-005"):
        assert reference in dashboard, reference


def test_create_demo_prints_an_administrator_login_with_a_new_password_each_run(
    questionnaires, client, capsys
):
    call_command("create_demo")
    printed = capsys.readouterr().out
    password = re.search(r"administrator +demo-admin / (\S+)", printed).group(1)
    assert "/admin/ (administrator login, development only)" in printed
    call_command("create_demo", "--json")
    again = json.loads(capsys.readouterr().out)["logins"]["administrator"]["password"]
    assert again != password and len(again) >= 16

    old_password = client.post("/admin/login/", {"username": "demo-admin", "password": password})
    assert old_password.status_code == 200  # the form again: refused
    signed_in = client.post("/admin/login/", {"username": "demo-admin", "password": again})
    assert signed_in.status_code == 302
    users = client.get("/admin/auth/user/")
    assert users.status_code == 200
    assert "demo-clinician" in users.content.decode()


def test_create_demo_makes_no_administrator_in_production(questionnaires, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="create_demo is for development"):
        call_command("create_demo")
    assert not get_user_model().objects.filter(username="demo-admin").exists()


def test_purge_expired_refuses_a_negative_day_count_and_removes_nothing(questionnaires):
    expired = services.create_invitation(patient_name="Old Invite", date_of_birth=date(1970, 1, 1))
    Intake.objects.filter(pk=expired.intake.pk).update(
        expires_at=timezone.now() - timedelta(days=3)
    )
    still_open = services.create_invitation(patient_name="Open Invite", date_of_birth=None)
    with pytest.raises(CommandError, match=r"^--days must be 0 or more \(got -1\); nothing was"):
        call_command("purge_expired", "--days", "-1")
    assert set(Intake.objects.values_list("pk", flat=True)) == {
        expired.intake.pk,
        still_open.intake.pk,
    }
    assert not AuditEvent.objects.filter(action="intake_purged").exists()


def test_purge_expired_with_a_negative_day_count_fails_on_the_command_line():
    run = subprocess.run(
        [sys.executable, "manage.py", "purge_expired", "--days", "-1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 1
    assert "--days must be 0 or more (got -1); nothing was removed." in run.stderr
