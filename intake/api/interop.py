"""Exports for other systems: FHIR R4 resources and long-format CSV of the answers."""

from __future__ import annotations

import json

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

from .. import audit
from ..interop import exports
from ..models import Intake
from .clinic import (
    ERRORS,
    ONE_INTAKE_ERRORS,
    SLUG,
    ClinicApi,
    QuestionnaireDetailApi,
    asked_version,
)
from .permissions import CanReadAnswers, CanSeeIntakes
from .schema import BAD_REQUEST, NOT_FOUND

# A day, or empty for "no bound" (the clinic page's export form sends its empty fields).
DAY_OR_EMPTY = r"^(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))?$"

FHIR_JSON = "application/fhir+json"
CSV = "text/csv"


class _FileApi(ClinicApi):
    def perform_content_negotiation(self, request, force=False):
        # The body is not rendered by DRF: any Accept gets it; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)


def _fhir(resource: dict) -> HttpResponse:
    return HttpResponse(json.dumps(resource, ensure_ascii=False), content_type=FHIR_JSON)


def _csv(lines, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type=f"{CSV}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class QuestionnaireFhirApi(_FileApi):
    """One questionnaire version as a FHIR R4 Questionnaire: the current one, or `?version=N`."""

    permission_classes = [CanSeeIntakes]

    @extend_schema(
        operation_id="v1_questionnaires_fhir",
        parameters=[SLUG, QuestionnaireDetailApi.DetailQuery],
        responses={
            (200, FHIR_JSON): OpenApiResponse(OpenApiTypes.OBJECT),
            400: BAD_REQUEST,
            404: NOT_FOUND,
            **ERRORS,
        },
    )
    def get(self, request, slug):
        return _fhir(exports.questionnaire_resource(asked_version(request, slug)))


class IntakeFhirApi(_FileApi):
    """One intake as a FHIR R4 `collection` Bundle: questionnaires and responses."""

    permission_classes = [CanReadAnswers]

    @extend_schema(
        operation_id="v1_intakes_fhir",
        responses={(200, FHIR_JSON): OpenApiResponse(OpenApiTypes.OBJECT), **ONE_INTAKE_ERRORS},
    )
    def get(self, request, intake_id):
        intake = get_object_or_404(Intake, pk=intake_id)
        audit.record_staff(request, audit.Action.SUMMARY_VIEWED, intake=intake, via="fhir")
        response = _fhir(exports.intake_bundle(intake))
        response["Content-Disposition"] = f'attachment; filename="intake-{intake.pk}.fhir.json"'
        return response


class IntakeCsvApi(_FileApi):
    """One intake's answers as long-format CSV: one row per answer value."""

    permission_classes = [CanReadAnswers]

    @extend_schema(
        operation_id="v1_intakes_answers_csv",
        responses={(200, CSV): OpenApiResponse(OpenApiTypes.STR), **ONE_INTAKE_ERRORS},
    )
    def get(self, request, intake_id):
        intake = get_object_or_404(Intake, pk=intake_id)
        audit.record_staff(
            request, audit.Action.ANSWERS_EXPORTED, intake=intake, format="csv", via="api"
        )
        lines = exports.csv_lines(exports.intake_responses(intake))
        return _csv(lines, f"intake-{str(intake.pk)[:8]}-answers.csv")


class ExportCsvApi(_FileApi):
    """Every answer of the intakes submitted in a date range, as long-format CSV (streamed)."""

    permission_classes = [CanReadAnswers]

    class InputSerializer(serializers.Serializer):
        submitted_from = serializers.DateField(required=False)
        submitted_to = serializers.DateField(required=False)
        status = serializers.ChoiceField(
            choices=exports.EXPORT_STATUSES, required=False, default="submitted"
        )

    @extend_schema(
        operation_id="v1_exports_answers_csv",
        parameters=[
            OpenApiParameter(name, str, pattern=DAY_OR_EMPTY, description=f"{what} (YYYY-MM-DD)")
            for name, what in (
                ("submitted_from", "Submitted on or after this day"),
                ("submitted_to", "Submitted on or before this day"),
            )
        ]
        + [OpenApiParameter("status", str, enum=list(exports.EXPORT_STATUSES))],
        responses={(200, CSV): OpenApiResponse(OpenApiTypes.STR), 400: BAD_REQUEST, **ERRORS},
    )
    def get(self, request):
        given = {key: request.query_params[key] for key in request.query_params}
        for name in ("submitted_from", "submitted_to"):
            if given.get(name) == "":
                del given[name]  # an empty field of the export form: no bound
        data = self.InputSerializer(data=given)
        data.is_valid(raise_exception=True)
        filters = data.validated_data
        audit.record_staff(
            request,
            audit.Action.ANSWERS_EXPORTED,
            format="csv",
            via="api",
            submitted_from=str(filters.get("submitted_from") or ""),
            submitted_to=str(filters.get("submitted_to") or ""),
            status=filters["status"],
        )
        responses = exports.responses_for_export(
            submitted_from=filters.get("submitted_from"),
            submitted_to=filters.get("submitted_to"),
            status=filters["status"],
        )
        return _csv(exports.csv_lines(responses), "answers.csv")
