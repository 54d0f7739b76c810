"""API errors as JSON with the HTTP status each case deserves."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .. import services
from .fields import AnswersField
from .idempotency import AlreadyCreated


class Gone(APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "This intake no longer takes answers."
    default_code = "intake_closed"


class TooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class ErrorSerializer(serializers.Serializer):
    """Every error: a stable code, a message, and for answers the problems keyed by item path."""

    code = serializers.CharField(
        help_text="Stable and machine-readable (`revision_conflict`, `intake_closed`, ...); "
        "each response lists the codes it can carry."
    )
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.CharField(), required=False)


class ConflictSerializer(serializers.Serializer):
    """A stale revision (with the current answers), or answers another device holds."""

    code = serializers.ChoiceField(choices=["revision_conflict", "answers_sealed"])
    detail = serializers.CharField()
    revision = serializers.IntegerField(required=False)
    answers = AnswersField(required=False)
    sealed = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Questionnaires another device holds; never their answers.",
    )


class IncompleteSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["intake_incomplete"])
    detail = serializers.CharField()
    missing = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class AlreadyCreatedSerializer(serializers.Serializer):
    """A retried create: the intake made the first time (null while that is still running)."""

    code = serializers.ChoiceField(choices=["already_created"])
    detail = serializers.CharField()
    intake_id = serializers.UUIDField(allow_null=True)


def handle_exception(exc, context):
    """Turn domain refusals into statuses; keep DRF's handling for the rest; add `code`."""
    response = _domain_response(exc)
    if response is not None:
        return response
    if isinstance(exc, RequestDataTooBig):
        exc = TooLarge()
    if isinstance(exc, services.IntakeClosed):
        exc = Gone(str(exc))
    if isinstance(exc, Http404):
        exc = NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(response.data, dict) and "detail" not in response.data:
        # Field errors from a serializer: one message per field, named by the field.
        errors = {key: _first(value) for key, value in response.data.items()}
        response.data = {"detail": "The request has problems.", "errors": errors}
    elif isinstance(response.data, list):
        response.data = {"detail": " ".join(str(item) for item in response.data)}
    response.data = {"code": _code(exc), **response.data}
    return response


def _domain_response(exc) -> Response | None:
    if isinstance(exc, AlreadyCreated):
        body = {"code": "already_created", "detail": str(exc.detail), "intake_id": exc.intake_id}
        return Response(body, status=409)
    if isinstance(exc, services.AnswersInvalid):
        body = {"code": "answers_invalid", "detail": str(exc), "errors": exc.errors}
        return Response(body, status=400)
    if isinstance(exc, services.RevisionConflict):
        return conflict_response(exc)
    if isinstance(exc, services.AnswersSealed):
        body = {"code": "answers_sealed", "detail": str(exc), "sealed": exc.slugs}
        return Response(body, status=409)
    if isinstance(exc, services.IntakeIncomplete):
        body = {"code": "intake_incomplete", "detail": str(exc), "missing": exc.missing}
        return Response(body, status=400)
    if isinstance(exc, services.UnknownQuestionnaire):
        body = {
            "code": "unknown_questionnaire",
            "detail": str(exc),
            "errors": {"questionnaires": str(exc)},
        }
        return Response(body, status=400)
    return None


def conflict_response(exc: services.RevisionConflict, status: int = 409) -> Response:
    """The stale-revision body: the current revision and answers (409, or 412 for If-Match)."""
    body = {
        "code": "revision_conflict",
        "detail": str(exc),
        "revision": exc.revision,
        "answers": exc.answers,
    }
    return Response(body, status=status, headers={"ETag": f'"{exc.revision}"'})


def _code(exc) -> str:
    """DRF's code for the error: one string, 'invalid' for field errors."""
    codes = exc.get_codes() if isinstance(exc, APIException) else "error"
    return codes if isinstance(codes, str) else "invalid"


def _first(value) -> str:
    if isinstance(value, list) and value:
        return _first(value[0])
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_first(v)}" for k, v in value.items())
    return str(value)
