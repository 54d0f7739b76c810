"""/healthz: is the database reachable? Shows no data."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
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
