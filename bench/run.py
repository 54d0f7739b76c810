"""`make bench`: every figure next to a baseline measured in the same run.

Run from the repository root: `make bench`. It uses a scratch PostgreSQL database
(BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/intake_bench, dropped and
created anew) and Redis (BENCH_REDIS_URL, default database 14), and falls back to a SQLite file
under build/ without the load figures when PostgreSQL is not reachable. Prints one table and
writes build/bench.json. `BENCH_ONLY=load` (or any of weights, queries, dashboard, pdf, load,
integrity, export, outage, worker, media, comma-separated) runs only those parts, for trying a
change. The
outage part starts a Redis of its own (redis-server) and stops it for 5 s under a paced autosave
load. The worker part starts a task worker and times the first PDF download after submission.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import io
import json
import os
import shutil
import statistics
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intake.settings")
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/intake_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def fresh_postgres(url: str) -> bool:
    """Drop and create the scratch database; return False when PostgreSQL is not reachable."""
    import psycopg

    base, name = url.rsplit("/", 1)
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        return False
    return True


ON_POSTGRES = fresh_postgres(PG_URL)
os.environ["DATABASE_URL"] = PG_URL if ON_POSTGRES else f"sqlite:///{BUILD / 'bench.sqlite3'}"
os.environ.setdefault("PRIVATE_STORAGE_DIR", str(BUILD / "bench-private"))
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

import pikepdf  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from intake import services  # noqa: E402
from intake.demo import DEMO_ANSWERS  # noqa: E402
from intake.models import Intake  # noqa: E402
from intake.summary import pdf as pdf_module  # noqa: E402
from intake.summary.document import intake_document, render_document_html  # noqa: E402
from intake.summary.service import (  # noqa: E402
    bundle_json,
    render_archive_pdf,
    summary_pdf,
)
from intake.tokens import hash_token, new_token  # noqa: E402

STATIC = ROOT / "intake" / "static" / "intake"
PAGE_BUDGET = 60 * 1024


def main() -> None:
    BUILD.mkdir(exist_ok=True)
    if not ON_POSTGRES:
        Path(settings.DATABASES["default"]["NAME"]).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("load_questionnaires", stdout=open(os.devnull, "w"))  # noqa: SIM115
    rows: list[dict] = []
    parts = os.environ.get(
        "BENCH_ONLY", "weights,queries,dashboard,pdf,integrity,export,load,outage,worker,media"
    ).split(",")
    for part, figures in [
        ("weights", page_weights),
        ("queries", queries_per_page),
        ("dashboard", dashboard_latency),
        ("pdf", pdf_timings),
        ("integrity", integrity_timing),
        ("export", export_timing),
    ]:
        if part in parts:
            rows += figures()
    if "load" in parts and ON_POSTGRES:
        from load import load_figures

        tokens = [patient_token(n) for n in range(50)]
        rows += load_figures(os.environ["DATABASE_URL"], REDIS_URL, tokens)
    elif "load" in parts:
        print("PostgreSQL not reachable: load figures skipped (they need gunicorn on PostgreSQL).")
    if "outage" in parts and ON_POSTGRES and shutil.which("redis-server"):
        from load import outage_figures

        rows += outage_figures(os.environ["DATABASE_URL"], [patient_token(n) for n in range(50)])
    elif "outage" in parts:
        print("Outage figures skipped: they need PostgreSQL and redis-server.")
    if "worker" in parts and ON_POSTGRES and redis_reachable(REDIS_URL):
        from worker import worker_figures

        rows += worker_figures(REDIS_URL, answered_intake, bench_clinician())
    elif "worker" in parts:
        print("Worker figures skipped: they need PostgreSQL and Redis (BENCH_REDIS_URL).")
    if "media" in parts:
        from media import media_figures

        rows += media_figures()
    print_table(rows)
    (BUILD / "bench.json").write_text(json.dumps(rows, indent=2))
    print(f"\nwrote {BUILD / 'bench.json'}")


def open_patient(client: Client):
    invitation = services.create_invitation(
        patient_name="Bench Person", date_of_birth=date(1970, 1, 1)
    )
    client.get(f"/i/{invitation.token}/")
    client.post("/patient/verify/", {"day": "1", "month": "1", "year": "1970"})
    return invitation


def page_weights() -> list[dict]:
    client = Client()
    assets = sum((STATIC / name).stat().st_size for name in ("intake.css", "intake.js"))
    # As production serves them (whitenoise, compressed); pages themselves go uncompressed.
    delivered = sum(
        len(gzip.compress((STATIC / name).read_bytes(), 9)) for name in ("intake.css", "intake.js")
    )
    closed_bytes = len(Client().get("/patient/step/1/").content)  # no session: link closed
    anonymous = Client()
    fresh = services.create_invitation(patient_name="Bench Fresh", date_of_birth=date(1970, 1, 1))
    anonymous.get(f"/i/{fresh.token}/")
    verify_bytes = len(anonymous.get("/patient/verify/").content)
    invitation = open_patient(client)
    for response in invitation.intake.responses.select_related("intake", "questionnaire_version"):
        slug = response.questionnaire_version.slug
        answers = heaviest_twitching() if slug == "twitch_history" else DEMO_ANSWERS[slug]
        services.save_answers(response=response, revision=0, answers=answers)
    rows = [_weight("date of birth check", verify_bytes, assets)]
    for label, url in [
        ("start", "/patient/"),
        (
            "question page (twitching 1: body map, 8 'started after' with details)",
            "/patient/step/1/",
        ),
        ("question page (legs: body map, 8 feelings with details)", "/patient/step/3/"),
        ("question page (what you tried: 8 with details)", "/patient/step/6/"),
        ("question page (scales)", "/patient/step/8/"),
        ("question page (surgeries, 2 entries)", "/patient/step/11/"),
        ("question page (medicines, 3 entries)", "/patient/step/14/"),
        ("review (full intake)", "/patient/review/"),
    ]:
        html = len(client.get(url).content)
        rows.append(_weight(label, html, assets))
        if "8" in label:
            rows.append(_weight(label, html, delivered, "CSS + JS gzip-compressed, as served"))
    assert client.post("/patient/submit/").status_code == 302
    rows.append(
        _weight("thank-you after sending", len(client.get("/patient/done/").content), assets)
    )
    rows.append(_weight("closed link", closed_bytes, assets))
    return rows


def heaviest_twitching() -> dict:
    """The demo's twitching answers with 8 choices ticked, each with its follow-ups, on the
    two pages that hold a body map and a choices-with-details item."""
    answers = dict(DEMO_ANSWERS["twitch_history"])
    started_after = ["injury", "illness", "new_medicine", "reaction", "vaccine", "surgery"]
    started_after += ["hard_exercise", "stress"]
    answers["started_after"] = started_after
    answers["started_after.details"] = {
        value: {"what": f"What happened before it began, number {n}"}
        for n, value in enumerate(started_after, start=1)
    }
    feelings = ["cramps", "tightness", "tingling", "numbness", "buzzing", "weakness", "pain"]
    feelings += ["foot_trouble"]
    answers["leg_feelings"] = feelings
    answers["leg_feelings.details"] = {
        value: {"how_often": "daily", "strength": "moderate"} for value in feelings
    }
    answers["feeling_areas"] = ["calf_left", "calf_right", "foot_left", "thigh_outer_left"]
    tried = ["stretching", "massage", "physical_therapy", "minerals", "heat", "rest", "medicine"]
    tried += ["injections"]
    answers["tried"] = tried
    answers["tried.details"] = {
        value: {"helped": "a_little", "when": "2024-05", "notes": f"Tried it, number {n}"}
        for n, value in enumerate(tried, start=1)
    }
    return answers


def _weight(label: str, html: int, assets: int, what: str = "CSS + JS") -> dict:
    total = html + assets
    return {
        "figure": f"bytes: {label} + {what}",
        "value": total,
        "unit": "bytes",
        "baseline": PAGE_BUDGET,
        "baseline_label": "budget 60 KB",
        "ratio": round(total / PAGE_BUDGET, 2),
    }


def patient_token(number: int) -> str:
    invitation = services.create_invitation(
        patient_name=f"Load Patient {number}", date_of_birth=date(1970, 1, 1)
    )
    return invitation.token


def dashboard_latency(runs: int = 40) -> list[dict]:
    add_intakes(100_000 - Intake.objects.count())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")  # so that autovacuum does not run during the load
    clinic = Client()
    clinic.force_login(bench_clinician())
    rows = []
    bare = _p95(lambda: clinic.get("/healthz"), runs)
    for label, url in [
        ("first page", "/clinic/"),
        ("name search", "/clinic/?q=person 0042"),
        ("reference search", "/clinic/?q=F-04242"),
    ]:
        clinic.get(url)  # warm
        p95 = _p95(lambda url=url: clinic.get(url), runs)
        queries = count_queries(clinic, url)
        rows.append(
            {
                "figure": f"dashboard at {Intake.objects.count():,} intakes: {label} p95"
                f" ({queries} queries)",
                "value": round(p95 * 1000, 1),
                "unit": "ms",
                "baseline": round(bare * 1000, 1),
                "baseline_label": "/healthz, same client",
                "ratio": round(p95 / bare, 1),
                "queries": queries,
            }
        )
    return rows


def integrity_timing() -> list[dict]:
    """verify_integrity over the dashboard's 100,000 intakes, each given submitted answers."""
    from integrity import integrity_figures

    add_intakes(100_000 - Intake.objects.count())
    return integrity_figures()


def export_timing() -> list[dict]:
    """The bulk CSV export over the dashboard's 100,000 intakes, each with submitted answers."""
    from exports import export_figures
    from integrity import submit_fillers

    add_intakes(100_000 - Intake.objects.count())
    submit_fillers()
    return export_figures()


def _p95(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[int(len(times) * 0.95) - 1]


def add_intakes(count: int) -> None:
    now = timezone.now()
    Intake.objects.bulk_create(
        [
            Intake(
                patient_name=f"Filler Person {n:05d}",
                clinic_reference=f"F-{n:05d}",
                token_hash=hash_token(new_token()),
                expires_at=now + timedelta(days=14),
                created_at=now - timedelta(minutes=n),
            )
            for n in range(count)
        ],
        batch_size=5000,
    )


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def bench_clinician():
    staff, created = get_user_model().objects.get_or_create(username="bench-clinician")
    if created:
        staff.groups.add(Group.objects.get(name="Clinicians"))
    return staff


def queries_per_page() -> list[dict]:
    staff = bench_clinician()
    clinic = Client()
    clinic.force_login(staff)
    patient = Client()
    open_patient(patient)
    urls = {
        "patient question page": "/patient/step/1/",
        "patient review": "/patient/review/",
        "clinician dashboard": "/clinic/",
        "clinician search": "/clinic/?q=person",
    }
    existing = Intake.objects.count()
    add_intakes(10 - existing)
    small = {
        label: count_queries(patient if label.startswith("patient") else clinic, url)
        for label, url in urls.items()
    }
    add_intakes(10_000 - 10)
    rows = []
    for label, url in urls.items():
        large = count_queries(patient if label.startswith("patient") else clinic, url)
        rows.append(
            {
                "figure": f"queries: {label} at 10,000 intakes",
                "value": large,
                "unit": "queries",
                "baseline": small[label],
                "baseline_label": "same page at 10 intakes",
                "ratio": round(large / small[label], 2),
            }
        )
    return rows


def redis_reachable(url: str) -> bool:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False
    return True


def answered_intake() -> Intake:
    """Return a new intake with the demo answers to every questionnaire, not yet submitted."""
    invitation = services.create_invitation(
        patient_name="Casey Placeholder", date_of_birth=date(1966, 2, 27)
    )
    for response in invitation.intake.responses.select_related("intake", "questionnaire_version"):
        services.save_answers(
            response=response, revision=0, answers=DEMO_ANSWERS[response.questionnaire_version.slug]
        )
    return invitation.intake


V1_DEMO_PAGES = 4  # "no more pages than today's" (issue 13)


def pdf_timings(runs: int = 25) -> list[dict]:
    # Submitted in process (no REDIS_URL): the PDF is rendered and kept at submission.
    intake = services.submit_intake(intake=answered_intake())
    bundle = bundle_json(intake)
    document = replace(intake_document(intake), data_sha256=hashlib.sha256(bundle).hexdigest())
    html = render_document_html(document)
    render_archive_pdf(intake)  # warm the font and stylesheet caches once

    def ours():
        render_archive_pdf(intake)

    def weasyprint_alone():
        from weasyprint import HTML

        css = pdf_module._stylesheet(settings.SUMMARY_PAGE_SIZE)  # same parsed stylesheet
        # The same PDF/A-3a variant, attachment and identifier: only our own work differs.
        attached = pdf_module.DataFile(
            "bundle.fhir.json", bundle, "application/fhir+json", "FHIR", intake.submitted_at
        )
        HTML(string=html).write_pdf(
            stylesheets=[css],
            font_config=pdf_module._font_config(),
            **pdf_module.pdf_options((attached,), intake.pk.bytes),
        )

    full, alone = _interleaved_medians(ours, weasyprint_alone, runs)
    with pikepdf.open(io.BytesIO(render_archive_pdf(intake))) as rendered:
        pages = len(rendered.pages)
    summary_pdf(intake)  # build and keep
    intake.refresh_from_db()
    cached = _median(lambda: summary_pdf(intake), 50)
    staff = bench_clinician()
    client = Client()
    client.force_login(staff)
    url = f"/clinic/intakes/{intake.pk}/summary.pdf"
    served = _median(lambda: client.get(url), 30)
    return [
        {
            "figure": f"PDF: full demo summary, median render ({runs} runs, CPU time)",
            "value": round(full * 1000, 1),
            "unit": "ms",
            "baseline": round(alone * 1000, 1),
            "baseline_label": "WeasyPrint alone, same HTML",
            "ratio": round(full / alone, 2),
        },
        {
            "figure": "PDF: pages of the full demo summary (questionnaires v2)",
            "value": pages,
            "unit": "pages",
            "baseline": V1_DEMO_PAGES,
            "baseline_label": "the version 1 demo when issue 13 was written (fixed)",
            "ratio": round(pages / V1_DEMO_PAGES, 2),
        },
        {
            "figure": "PDF: served again from storage, median",
            "value": round(cached * 1000, 2),
            "unit": "ms",
            "baseline": round(full * 1000, 1),
            "baseline_label": "full render",
            "ratio": round(cached / full, 4),
        },
        {
            "figure": "PDF: download view (auth, audit, stored file)",
            "value": round(served * 1000, 2),
            "unit": "ms",
            "baseline": round(full * 1000, 1),
            "baseline_label": "full render",
            "ratio": round(served / full, 4),
        },
    ]


def _interleaved_medians(first, second, runs: int) -> tuple[float, float]:
    """Time two functions in turn, so that drift in the machine affects both alike.

    CPU time of this process, not wall time: both are single-threaded and CPU-bound, and on a
    shared machine wall time also counts the moments another process had the core.
    """
    firsts, seconds = [], []
    for _ in range(runs):
        for function, times in ((first, firsts), (second, seconds)):
            gc.collect()  # neither pays for the garbage the other left
            started = time.process_time()
            function()
            times.append(time.process_time() - started)
    return statistics.median(firsts), statistics.median(seconds)


def _median(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def print_table(rows: list[dict]) -> None:
    width = max(len(row["figure"]) for row in rows)
    print(f"\n{'figure':<{width}}  {'value':>14}  {'baseline':>10}  ratio   baseline is")
    for row in rows:
        value = f"{row['value']:,} {row['unit']}"
        baseline = f"{row['baseline']:,}"
        print(
            f"{row['figure']:<{width}}  {value:>12}  {baseline:>12}  {row['ratio']:<6}  "
            f"{row['baseline_label']}"
        )


if __name__ == "__main__":
    main()
