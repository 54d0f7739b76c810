"""Patient side of the API, authenticated by the invitation token in a header."""

from __future__ import annotations

import re

from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import audit, ratelimit, services
from ..clinic.selectors import STATUS_FILTERS
from ..models import Intake
from ..patient.device import device_hash, valid_key
from ..questionnaires.translations import localize_definition
from .authentication import PatientTokenAuthentication
from .errors import ConflictSerializer, Gone, IncompleteSerializer, conflict_response
from .permissions import IsPatient
from .schema import (
    ACCEPT_LANGUAGE,
    BIRTH_DATE,
    FORBIDDEN,
    GONE,
    IF_MATCH,
    PATIENT_UNAUTHORIZED,
    SLUG,
    TOO_LARGE,
    TOO_MANY,
    UNSUPPORTED,
    AnswersField,
    DefinitionField,
    error,
)

HEADERS = [BIRTH_DATE]
DEVICE_HEADER = "HTTP_X_INTAKE_DEVICE"
IF_MATCH_HEADER = "HTTP_IF_MATCH"
ETAG_VALUE = re.compile(r'(?:W/)?"(\d{1,10})"')
ERRORS = {401: PATIENT_UNAUTHORIZED, 403: FORBIDDEN, 410: GONE, 429: TOO_MANY}


@method_decorator(never_cache, name="dispatch")  # answers: Cache-Control: no-store
class PatientApi(APIView):
    authentication_classes = [PatientTokenAuthentication]
    permission_classes = [IsPatient]

    def open_intake(self) -> Intake:
        """Return the caller's intake if it still takes answers; 410 otherwise."""
        intake = self.request.auth
        if not intake.accepts_answers:
            raise Gone(str(services.IntakeClosed(intake)))
        if self.request.META.get("HTTP_ACCEPT_LANGUAGE"):  # the language the patient reads
            services.record_language(intake=intake, language=self.request.LANGUAGE_CODE)
        return intake

    def device(self, *, required: bool) -> str:
        """Return the hash of the caller's device key; '' (holds nothing) when it sent none."""
        key = self.request.META.get(DEVICE_HEADER, "")
        if valid_key(key):
            return device_hash(key)
        if required:  # reading or sending with no valid key simply holds nothing
            raise ValidationError(
                {"X-Intake-Device": "Send a random key of 32 to 100 letters, digits, - or _."}
            )
        return ""


class QuestionnaireAnswersSerializer(serializers.Serializer):
    questionnaire = serializers.CharField(source="questionnaire_version.slug")
    version = serializers.IntegerField(source="questionnaire_version.version")
    title = serializers.CharField(
        source="localized_title", help_text="In the response's language (Content-Language)."
    )
    revision = serializers.IntegerField()
    sealed = serializers.BooleanField(
        help_text="Another device holds these answers: they are kept but not shown or changed."
    )
    answers = AnswersField(help_text="Empty when sealed.")
    definition = DefinitionField(
        source="localized_definition",
        help_text="Its texts in the response's language (Content-Language), from the version's "
        "own translation; item ids and option values are the same in every language.",
    )


class PatientIntakeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUS_FILTERS, source="effective_status")
    expires_at = serializers.DateTimeField()
    questionnaires = QuestionnaireAnswersSerializer(many=True)


class PatientIntakeApi(PatientApi):
    """The questionnaires to answer, in order, with the answers saved so far.

    The definitions come in the language `Accept-Language` asks for first among English and
    Spanish (English otherwise), named by the `Content-Language` header.
    """

    @extend_schema(
        parameters=[*HEADERS, ACCEPT_LANGUAGE],
        responses={
            200: OpenApiResponse(
                PatientIntakeSerializer,
                description="The intake; texts in the language of `Content-Language`",
            ),
            **ERRORS,
        },
    )
    def get(self, request):
        intake = self.open_intake()
        device = self.device(required=False)
        responses = list(
            intake.responses.select_related("questionnaire_version").order_by("position")
        )
        for response in responses:
            response.sealed = response.is_sealed_for(device)
            version = response.questionnaire_version
            response.localized_definition = localize_definition(
                version.definition, request.LANGUAGE_CODE
            )
            response.localized_title = response.localized_definition["title"]
            if response.sealed:
                response.answers = {}
        audit.record(
            audit.Action.ANSWERS_VIEWED,
            intake=intake,
            actor_label="patient",
            ip_address=ratelimit.client_ip(request),
            page="api",
            device=device[:8],
        )
        return Response(
            {
                "status": intake.effective_status,
                "expires_at": intake.expires_at,
                "questionnaires": QuestionnaireAnswersSerializer(responses, many=True).data,
            }
        )


class SaveAnswersApi(PatientApi):
    """Replace one questionnaire's answers, if `revision` is still the current one."""

    class SaveAnswersInput(serializers.Serializer):
        revision = serializers.IntegerField(
            min_value=0,
            max_value=2**31 - 1,
            required=False,
            help_text="The revision being replaced; or send it as `If-Match`.",
        )
        answers = AnswersField()

    class SavedAnswers(serializers.Serializer):
        revision = serializers.IntegerField()
        answers = AnswersField()

    @extend_schema(
        parameters=[*HEADERS, IF_MATCH, SLUG],
        request=SaveAnswersInput,
        responses={
            200: OpenApiResponse(SavedAnswers, description="Saved: the new revision"),
            400: error(
                "Invalid answers (`errors` by item path), no revision, or no device key",
                "answers_invalid",
                "invalid",
                "parse_error",
            ),
            404: error("The intake has no such questionnaire", "not_found"),
            409: OpenApiResponse(
                ConflictSerializer,
                description="A stale `revision` (code: `revision_conflict`, with the current "
                "answers), or answers another device holds (code: `answers_sealed`)",
            ),
            412: OpenApiResponse(
                ConflictSerializer,
                description="A stale `If-Match` (code: `revision_conflict`)",
            ),
            413: TOO_LARGE,
            415: UNSUPPORTED,
            **ERRORS,
        },
    )
    def put(self, request, slug):
        intake = self.open_intake()
        response = (
            intake.responses.select_related("intake", "questionnaire_version")
            .filter(questionnaire_version__slug=slug)
            .first()
        )
        if response is None:
            detail = f"This intake has no questionnaire '{slug[:63]}'."
            return Response({"code": "not_found", "detail": detail}, status=404)
        device = self.device(required=True)
        data = self.SaveAnswersInput(data=request.data)
        data.is_valid(raise_exception=True)
        if_match = request.META.get(IF_MATCH_HEADER)
        revision = revision_to_replace(data.validated_data.get("revision"), if_match)
        try:
            saved, _ = services.save_answers(
                response=response,
                answers=data.validated_data["answers"],
                revision=revision,
                device=device,
                ip_address=ratelimit.client_ip(request),
            )
        except services.RevisionConflict as conflict:
            if if_match is None:
                raise
            return conflict_response(conflict, status=412)
        body = {"revision": saved.revision, "answers": saved.answers}
        return Response(body, headers={"ETag": f'"{saved.revision}"'})


def revision_to_replace(revision: int | None, if_match: str | None) -> int:
    """Return the revision named by the body or by `If-Match` (`"3"`); 400 if neither or both
    disagree."""
    if if_match is None:
        if revision is None:
            raise ValidationError({"revision": "Send the revision, or an If-Match header."})
        return revision
    found = ETAG_VALUE.fullmatch(if_match.strip())
    if found is None:
        raise ValidationError({"If-Match": 'Send the ETag of the answers, such as "3".'})
    tagged = int(found.group(1))
    if revision is not None and revision != tagged:
        raise ValidationError({"If-Match": "It names another revision than the body's."})
    return tagged


class SubmitApi(PatientApi):
    """Submit every questionnaire; submitting again returns the same result."""

    class Submitted(serializers.Serializer):
        status = serializers.ChoiceField(choices=STATUS_FILTERS)
        submitted_at = serializers.DateTimeField()

    @extend_schema(
        parameters=HEADERS,
        request=None,
        responses={
            200: OpenApiResponse(Submitted, description="Submitted (or already submitted)"),
            400: OpenApiResponse(
                IncompleteSerializer,
                description="Required questions unanswered (code: `intake_incomplete`)",
            ),
            409: OpenApiResponse(
                ConflictSerializer,
                description="Answers another device holds (code: `answers_sealed`)",
            ),
            **ERRORS,
        },
    )
    def post(self, request):
        intake = services.submit_intake(
            intake=request.auth,
            device=self.device(required=False),
            ip_address=ratelimit.client_ip(request),
        )
        return Response({"status": intake.status, "submitted_at": intake.submitted_at})
