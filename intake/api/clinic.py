"""Clinic side of the API: intakes, invitations, answers, PDFs and questionnaire definitions."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import audit, catalog, ratelimit, services
from ..clinic.selectors import STATUS_FILTERS, list_intakes
from ..models import EarlierAnswers, Intake, QuestionnaireVersion
from ..summary import history
from ..summary.service import StoredPdfMismatch, pdf_download
from . import idempotency
from .authentication import StaffTokenAuthentication
from .errors import AlreadyCreatedSerializer
from .permissions import CanManageInvitations, CanReadAnswers, CanSeeIntakes
from .schema import (
    BAD_REQUEST,
    FORBIDDEN,
    IDEMPOTENCY_KEY,
    NOT_FOUND,
    SLUG,
    TOO_LARGE,
    UNAUTHORIZED,
    UNSUPPORTED,
    AnswersField,
    DefinitionField,
    error,
)

# Nothing on the clinic side is throttled: no 429 here.
ERRORS = {401: UNAUTHORIZED, 403: FORBIDDEN}
ONE_INTAKE_ERRORS = {**ERRORS, 404: NOT_FOUND}


def read_query(request, serializer_class: type[serializers.Serializer]) -> dict:
    """Return the query parameters as `serializer_class` validates them; 400 naming a bad one.

    A plain dict, not the QueryDict: DRF reads an empty form value ("?version=") as absent,
    and an empty value is a mistake worth a 400 here, not a silent default.
    """
    query = serializer_class(data={key: request.query_params[key] for key in request.query_params})
    query.is_valid(raise_exception=True)
    return query.validated_data


@method_decorator(never_cache, name="dispatch")  # names and answers: Cache-Control: no-store
class ClinicApi(APIView):
    """A clinic endpoint: a knox token or a signed-in session."""

    # Token first: DRF answers a caller without credentials with the first class's challenge;
    # session authentication has none, so the caller got 403 instead of 401.
    authentication_classes = [StaffTokenAuthentication, SessionAuthentication]


class IntakeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    patient_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    clinic_reference = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(
        choices=STATUS_FILTERS,
        source="effective_status",
        help_text="invited, in_progress, submitted, expired or cancelled",
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    language = serializers.CharField(
        help_text="The language the patient read the questionnaires in (`en` or `es`). Coded "
        "answers are the same in every language; free text is as the patient wrote it."
    )


class IntakePage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = IntakeSerializer(many=True)


class Pages(PageNumberPagination):
    """Pages of a list; `page` and `page_size` are checked by the view's query serializer."""

    page_size = 25
    max_page_size = 100
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise serializers.ValidationError(
                {"page": "There is no such page: it is after the last one."}
            ) from None


class IntakeListApi(ClinicApi):
    """List intakes (newest first), or create an invitation."""

    def get_permissions(self):
        if self.request.method == "POST":
            return [CanManageInvitations()]
        return [CanSeeIntakes()]

    class ListQuery(serializers.Serializer):
        """The list's query parameters: a value the API cannot honour is a 400 naming it."""

        q = serializers.CharField(
            required=False,
            allow_blank=True,
            trim_whitespace=False,
            help_text="Part of the name, or the exact reference",
        )
        status = serializers.ChoiceField(choices=STATUS_FILTERS, required=False)
        page = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
        page_size = serializers.IntegerField(
            min_value=1, max_value=Pages.max_page_size, required=False
        )

    class InvitationInput(serializers.Serializer):
        patient_name = serializers.CharField(max_length=200)
        date_of_birth = serializers.DateField(required=False, allow_null=True)
        clinic_reference = serializers.CharField(max_length=64, required=False, allow_blank=True)
        questionnaires = serializers.ListField(
            child=serializers.SlugField(max_length=63),
            required=False,
            min_length=1,
            max_length=20,
            help_text="Questionnaire slugs in order, each once; all current ones if left out.",
        )
        expires_in_days = serializers.IntegerField(min_value=1, max_value=90, required=False)

        def validate_date_of_birth(self, value):
            problem = services.birth_date_problem(value, today=timezone.localdate())
            if problem:
                raise serializers.ValidationError(problem)
            return value

        def validate_questionnaires(self, value):
            repeated = sorted({slug for slug in value if value.count(slug) > 1})
            if repeated:
                raise serializers.ValidationError(
                    f"Each questionnaire can be asked once: {', '.join(repeated)} is repeated."
                )
            return value

    class CreatedInvitation(IntakeSerializer):
        link = serializers.URLField(help_text="The patient's link. Returned only once.")

    @extend_schema(
        operation_id="v1_intakes_list",
        parameters=[ListQuery],
        responses={200: IntakePage, 400: BAD_REQUEST, **ERRORS},
    )
    def get(self, request):
        query = read_query(request, self.ListQuery)
        intakes = list_intakes(search=query.get("q", "")[:100], status=query.get("status", ""))
        pages = Pages()
        page = pages.paginate_queryset(intakes, request, view=self)
        return pages.get_paginated_response(IntakeSerializer(page, many=True).data)

    @extend_schema(
        operation_id="v1_intakes_create",
        request=InvitationInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: OpenApiResponse(CreatedInvitation, description="The invitation, with its link"),
            400: error(
                "A field the API cannot honour; `errors` names it",
                "invalid",
                "parse_error",
                "unknown_questionnaire",
            ),
            409: OpenApiResponse(
                AlreadyCreatedSerializer,
                description="Retried with the same Idempotency-Key (code: `already_created`)",
            ),
            413: TOO_LARGE,
            415: UNSUPPORTED,
            422: error("The Idempotency-Key was used with another body", "idempotency_key_reused"),
            **ERRORS,
        },
    )
    def post(self, request):
        data = self.InvitationInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        claim = idempotency.claim(request, request.data)
        try:
            invitation = self._create(request, fields)
        except BaseException:
            if claim:
                claim.release()
            raise
        if claim:
            claim.record(str(invitation.intake.pk))
        body = {**IntakeSerializer(invitation.intake).data, "link": invitation.link}
        location = reverse("api:intake", kwargs={"intake_id": invitation.intake.pk})
        headers = {"Location": request.build_absolute_uri(location)}
        return Response(body, status=201, headers=headers)

    def _create(self, request, fields: dict) -> services.Invitation:
        return services.create_invitation(
            patient_name=fields["patient_name"],
            date_of_birth=fields.get("date_of_birth"),
            clinic_reference=fields.get("clinic_reference", ""),
            questionnaire_slugs=fields.get("questionnaires"),
            expires_in_days=fields.get("expires_in_days"),
            created_by=request.user,
            ip_address=ratelimit.client_ip(request),
        )


class ResponseSerializer(serializers.Serializer):
    questionnaire = serializers.CharField(source="questionnaire_version.slug")
    version = serializers.IntegerField(source="questionnaire_version.version")
    title = serializers.CharField(source="questionnaire_version.title")
    revision = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    answers_sha256 = serializers.CharField(allow_blank=True)
    answers = AnswersField(help_text="Answers keyed by item id, as stored.")


class ReissueSerializer(serializers.Serializer):
    """A re-issue of the link: when, by whom, and what was saved after it (plain facts)."""

    reissued_at = serializers.DateTimeField(source="at")
    reissued_by = serializers.CharField(source="by")
    questionnaires_changed_after = serializers.ListField(
        source="changed", child=serializers.CharField()
    )
    questionnaires_answered_again_after = serializers.ListField(
        source="answered_again", child=serializers.CharField()
    )


class EarlierAnswersSerializer(serializers.Serializer):
    questionnaire = serializers.CharField(source="response.questionnaire_version.slug")
    replaced_at = serializers.DateTimeField()
    answers = AnswersField(
        help_text="Answers the patient replaced by answering again from another device."
    )


class IntakeDetailSerializer(IntakeSerializer):
    responses = ResponseSerializer(many=True)
    link_reissues = ReissueSerializer(many=True)
    earlier_answers = EarlierAnswersSerializer(many=True)


class IntakeDetailApi(ClinicApi):
    """Read one intake with every answer (clinicians)."""

    permission_classes = [CanReadAnswers]

    @extend_schema(responses={200: IntakeDetailSerializer, **ONE_INTAKE_ERRORS})
    def get(self, request, intake_id):
        intake = get_object_or_404(Intake, pk=intake_id)
        responses = intake.responses.select_related("questionnaire_version").order_by("position")
        audit.record_staff(request, audit.Action.SUMMARY_VIEWED, intake=intake, via="api")
        data = IntakeSerializer(intake).data
        data["responses"] = ResponseSerializer(responses, many=True).data
        titles = {r.questionnaire_version.slug: r.questionnaire_version.slug for r in responses}
        data["link_reissues"] = ReissueSerializer(history.reissues(intake, titles), many=True).data
        earlier = EarlierAnswers.objects.filter(response__intake=intake).select_related(
            "response__questionnaire_version"
        )
        data["earlier_answers"] = EarlierAnswersSerializer(earlier, many=True).data
        return Response(data)


class CancelApi(ClinicApi):
    permission_classes = [CanManageInvitations]

    @extend_schema(
        request=None,
        responses={
            200: IntakeSerializer,
            410: error("Already closed", "intake_closed"),
            **ONE_INTAKE_ERRORS,
        },
    )
    def post(self, request, intake_id):
        intake = get_object_or_404(Intake, pk=intake_id)
        intake = services.cancel_invitation(
            intake=intake, by=request.user, ip_address=ratelimit.client_ip(request)
        )
        return Response(IntakeSerializer(intake).data)


class ReissueApi(ClinicApi):
    permission_classes = [CanManageInvitations]

    @extend_schema(
        request=None,
        responses={
            200: IntakeListApi.CreatedInvitation,
            410: error("Submitted, cancelled or expired", "intake_closed"),
            **ONE_INTAKE_ERRORS,
        },
    )
    def post(self, request, intake_id):
        intake = get_object_or_404(Intake, pk=intake_id)
        invitation = services.reissue_invitation(
            intake=intake, by=request.user, ip_address=ratelimit.client_ip(request)
        )
        return Response({**IntakeSerializer(invitation.intake).data, "link": invitation.link})


PDF = OpenApiResponse(OpenApiTypes.BINARY, description="The summary PDF, as an attachment")


def wants_octet_stream(accept: str) -> bool:
    """Whether the caller asked for plain bytes rather than `application/pdf`."""
    return "application/octet-stream" in accept and "application/pdf" not in accept


class SummaryPdfApi(ClinicApi):
    """The summary PDF (a draft until the intake is submitted)."""

    permission_classes = [CanReadAnswers]

    def perform_content_negotiation(self, request, force=False):
        # The PDF is not rendered by DRF: `Accept: application/pdf` (as Swagger UI sends) must
        # not give 406. Errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="v1_intakes_summary_pdf_retrieve",
        responses={
            (200, "application/pdf"): PDF,
            # The same bytes for `Accept: application/octet-stream`, which generators read.
            (200, "application/octet-stream"): PDF,
            409: error("The stored PDF does not match its record", "stored_pdf_mismatch"),
            **ONE_INTAKE_ERRORS,
        },
    )
    def get(self, request, intake_id):
        intake = get_object_or_404(Intake, pk=intake_id)
        try:
            response = pdf_download(request, intake, via="api")
        except StoredPdfMismatch as mismatch:
            return Response({"code": "stored_pdf_mismatch", "detail": str(mismatch)}, status=409)
        if wants_octet_stream(request.headers.get("Accept", "")):
            response["Content-Type"] = "application/octet-stream"
        return response


class QuestionnaireSerializer(serializers.Serializer):
    slug = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    content_hash = serializers.CharField()


class QuestionnaireDetailSerializer(QuestionnaireSerializer):
    definition = DefinitionField(help_text="See questionnaire_defs/schema.json.")


class QuestionnaireListApi(ClinicApi):
    """The current version of each questionnaire, in the clinic's order."""

    permission_classes = [CanSeeIntakes]

    @extend_schema(responses={200: QuestionnaireSerializer(many=True), **ERRORS})
    def get(self, request):
        return Response(QuestionnaireSerializer(catalog.current_versions(), many=True).data)


class QuestionnaireDetailApi(ClinicApi):
    """One questionnaire's definition: the current version, or `?version=N`."""

    permission_classes = [CanSeeIntakes]

    class DetailQuery(serializers.Serializer):
        version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)

    @extend_schema(
        parameters=[SLUG, DetailQuery],
        responses={200: QuestionnaireDetailSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, **ERRORS},
    )
    def get(self, request, slug):
        return Response(QuestionnaireDetailSerializer(asked_version(request, slug)).data)


def asked_version(request, slug: str) -> QuestionnaireVersion:
    """Return the version `?version=N` names, else the current one; 400 or 404 otherwise."""
    query = read_query(request, QuestionnaireDetailApi.DetailQuery)
    versions = QuestionnaireVersion.objects.filter(slug=slug)
    if "version" in query:
        versions = versions.filter(version=query["version"])
    found = versions.order_by("-version").first()
    if found is None:
        raise Http404
    return found
