"""Exports for other systems: FHIR R4 resources and long-format CSV of the answers."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

from .. import audit
from ..interop import exports
from ..models import Intake, QuestionnaireVersion
from .clinic import ERRORS, SLUG, ClinicApi
from .errors import ErrorSerializer
from .permissions import CanReadAnswers, CanSeeIntakes

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
        parameters=[SLUG, OpenApiParameter("version", int)],
        responses={(200, FHIR_JSON): OpenApiResponse(OpenApiTypes.OBJECT), **ERRORS},
    )
    def get(self, request, slug):
        versions = QuestionnaireVersion.objects.filter(slug=slug)
        version = request.query_params.get("version", "")
        if version:
            versions = versions.filter(version=int(version) if version.isdecimal() else -1)
        found = versions.order_by("-version").first()
        if found is None:
            raise Http404
        return _fhir(exports.questionnaire_resource(found))


class IntakeFhirApi(_FileApi):
    """One intake as a FHIR R4 `collection` Bundle: questionnaires and responses."""

    permission_classes = [CanReadAnswers]

    @extend_schema(
        operation_id="v1_intakes_fhir",
        responses={(200, FHIR_JSON): OpenApiResponse(OpenApiTypes.OBJECT), **ERRORS},
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
        responses={(200, CSV): OpenApiResponse(OpenApiTypes.STR), **ERRORS},
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
        parameters=[InputSerializer],
        responses={(200, CSV): OpenApiResponse(OpenApiTypes.STR), 400: ErrorSerializer, **ERRORS},
    )
    def get(self, request):
        data = self.InputSerializer(data=request.query_params)
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
