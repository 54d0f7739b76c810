"""Request limits (body size, the absolute length of a staff session) and the
Permissions-Policy header."""

import re
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.template.response import SimpleTemplateResponse


class RequestSizeLimit:
    """Refuse request bodies over MAX_REQUEST_BYTES with 413, before anything reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_BYTES
        if _is_media_upload(request):
            limit = settings.MEDIA_REQUEST_MAX_BYTES
        if length > limit:
            message = f"The request is too large (over {limit:,} bytes)."
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "too_large", "detail": message}, status=413)
            response = SimpleTemplateResponse("too_large.html", {"message": message}, status=413)
            return response.render()
        return self.get_response(request)


def _is_media_upload(request) -> bool:
    """A patient's page or API call that may carry a photo or video (files go to disk)."""
    return (
        request.method == "POST"
        and request.content_type == "multipart/form-data"
        and re.match(settings.MEDIA_UPLOAD_PATHS, request.path) is not None
    )


class StaffSessionLimits:
    """End a signed-in staff session 12 hours after sign-in, however active it was.

    The idle limit (30 minutes) is the session cookie's age, renewed on every request.
    """

    KEY = "staff_signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(self.KEY, now)
            if now - started > settings.STAFF_SESSION_MAX_HOURS * 3600:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class PermissionsPolicy:
    """Switch off, on every response, the browser features no page uses (PERMISSIONS_POLICY_OFF).

    A feature a page comes to need (the camera, for a photo item) is taken off the list then.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_OFF)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response
