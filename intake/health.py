"""/healthz (is this process serving?), /readyz (can it serve patients?), and the 404 answer.

Neither shows any data. /healthz touches nothing: a database or Redis outage is no reason to
restart the app. /readyz checks the database, Redis (when configured) and the private storage
folder with short timeouts, so a proxy stops sending patients to a server that cannot serve them.
"""

import os

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .outages import OUTAGE_ERRORS, as_outage, note_failure


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    checks = {"database": _database(), "storage": _storage()}
    if settings.REDIS_URL:
        checks["redis"] = _redis()
    if all(state == "ok" for state in checks.values()):
        return JsonResponse({"status": "ok", "checks": checks})
    # The outage log counts database and Redis failures; a line per poll would be noise.
    return as_outage(JsonResponse({"status": "unavailable", "checks": checks}, status=503))


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except OUTAGE_ERRORS as error:
        note_failure(error)
        connection.close()  # the next request starts a fresh connection
        return "unavailable"
    return "ok"


def _redis() -> str:
    try:
        cache.get("readyz")  # bounded by REDIS_TIMEOUT_MS
    except OUTAGE_ERRORS as error:
        note_failure(error)
        return "unavailable"
    return "ok"


def _storage() -> str:
    folder = settings.MEDIA_ROOT
    if not os.path.isdir(folder):
        return "missing"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "read-only"
    return "ok"


def bare(request):
    """The benchmark's baseline: Django's request cycle and nothing else (off by default)."""
    return HttpResponse(b"ok", content_type="text/plain")


def not_found(request, exception=None):
    """A 404 that shows nothing of the request: JSON under /api/, the plain page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)
