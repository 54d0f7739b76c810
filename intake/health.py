"""/healthz (is the database reachable? shows no data), and the plain not-found answer."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means: not healthy
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def bare(request):
    """The benchmark's baseline: Django's request cycle and nothing else (off by default)."""
    return HttpResponse(b"ok", content_type="text/plain")


def not_found(request, exception=None):
    """A 404 that shows nothing of the request: JSON under /api/, the plain page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)
