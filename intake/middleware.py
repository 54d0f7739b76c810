"""Refuse request bodies over MAX_REQUEST_BYTES with 413, before anything reads them."""

from django.conf import settings
from django.http import JsonResponse
from django.template.response import SimpleTemplateResponse


class RequestSizeLimit:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            message = f"The request is too large (over {settings.MAX_REQUEST_BYTES:,} bytes)."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            response = SimpleTemplateResponse("too_large.html", {"message": message}, status=413)
            return response.render()
        return self.get_response(request)
