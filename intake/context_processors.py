"""Template context every page shares."""

from django.conf import settings


def clinic(request) -> dict:
    return {"clinic_name": settings.CLINIC_NAME}
