"""API errors as JSON with the HTTP status each case deserves."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .. import services


class Gone(APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "This intake no longer takes answers."
    default_code = "gone"


class TooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class ErrorSerializer(serializers.Serializer):
    """Every error: a message, and for answers the problems keyed by item path."""

    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.CharField(), required=False)


class ConflictSerializer(serializers.Serializer):
    """A stale revision (with the current answers), or answers another device holds."""

    detail = serializers.CharField()
    revision = serializers.IntegerField(required=False)
    answers = serializers.DictField(required=False)
    sealed = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Questionnaires another device holds; never their answers.",
    )


class IncompleteSerializer(serializers.Serializer):
    detail = serializers.CharField()
    missing = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


def handle_exception(exc, context):
    """Turn domain refusals into statuses; keep DRF's handling for the rest."""
    if isinstance(exc, RequestDataTooBig):
        exc = TooLarge()
    if isinstance(exc, services.AnswersInvalid):
        return Response({"detail": str(exc), "errors": exc.errors}, status=400)
    if isinstance(exc, services.RevisionConflict):
        return Response(
            {"detail": str(exc), "revision": exc.revision, "answers": exc.answers}, status=409
        )
    if isinstance(exc, services.AnswersSealed):
        return Response({"detail": str(exc), "sealed": exc.slugs}, status=409)
    if isinstance(exc, services.IntakeIncomplete):
        return Response({"detail": str(exc), "missing": exc.missing}, status=400)
    if isinstance(exc, services.IntakeClosed):
        exc = Gone(str(exc))
    if isinstance(exc, services.UnknownQuestionnaire):
        return Response({"detail": str(exc), "errors": {"questionnaires": str(exc)}}, status=400)
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        # Field errors from a serializer: one message per field, named by the field.
        errors = {key: _first(value) for key, value in response.data.items()}
        response.data = {"detail": "The request has problems.", "errors": errors}
    elif response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(str(item) for item in response.data)}
    return response


def _first(value) -> str:
    if isinstance(value, list) and value:
        return _first(value[0])
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_first(v)}" for k, v in value.items())
    return str(value)
