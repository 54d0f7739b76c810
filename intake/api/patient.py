"""Patient side of the API, authenticated by the invitation token in a header."""

from __future__ import annotations

from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import audit, ratelimit, services
from ..models import Intake
from ..patient.device import device_hash, valid_key
from .authentication import PatientTokenAuthentication
from .clinic import SLUG
from .errors import ConflictSerializer, ErrorSerializer, Gone, IncompleteSerializer
from .permissions import IsPatient

HEADERS = [
    OpenApiParameter(
        "X-Intake-Birth-Date",
        OpenApiTypes.DATE,
        OpenApiParameter.HEADER,
        description="The patient's date of birth, when the invitation has one.",
    ),
    OpenApiParameter(
        "X-Intake-Device",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description=(
            "A random key (32 to 100 characters of A-Z, a-z, 0-9, '-' and '_') the app makes "
            "once and keeps. Answers are shown back, changed and sent only with the key of the "
            "device that saved them; required to save."
        ),
    ),
]
DEVICE_HEADER = "HTTP_X_INTAKE_DEVICE"
ERRORS = {401: ErrorSerializer, 403: ErrorSerializer, 410: ErrorSerializer, 429: ErrorSerializer}


@method_decorator(never_cache, name="dispatch")  # answers: Cache-Control: no-store
class PatientApi(APIView):
    authentication_classes = [PatientTokenAuthentication]
    permission_classes = [IsPatient]

    def open_intake(self) -> Intake:
        """Return the caller's intake if it still takes answers; 410 otherwise."""
        intake = self.request.auth
        if not intake.accepts_answers:
            raise Gone(str(services.IntakeClosed(intake)))
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
    title = serializers.CharField(source="questionnaire_version.title")
    revision = serializers.IntegerField()
    sealed = serializers.BooleanField(
        help_text="Another device holds these answers: they are kept but not shown or changed."
    )
    answers = serializers.DictField(help_text="Empty when sealed.")
    definition = serializers.DictField(source="questionnaire_version.definition")


class PatientIntakeSerializer(serializers.Serializer):
    status = serializers.CharField(source="effective_status")
    expires_at = serializers.DateTimeField()
    questionnaires = QuestionnaireAnswersSerializer(many=True)


class PatientIntakeApi(PatientApi):
    """The questionnaires to answer, in order, with the answers saved so far."""

    @extend_schema(parameters=HEADERS, responses={200: PatientIntakeSerializer, **ERRORS})
    def get(self, request):
        intake = self.open_intake()
        device = self.device(required=False)
        responses = list(
            intake.responses.select_related("questionnaire_version").order_by("position")
        )
        for response in responses:
            response.sealed = response.is_sealed_for(device)
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
        revision = serializers.IntegerField(min_value=0, max_value=2**31 - 1)
        answers = serializers.DictField(
            help_text="Answers keyed by item id; see the questionnaire's definition."
        )

    class SavedAnswers(serializers.Serializer):
        revision = serializers.IntegerField()
        answers = serializers.DictField()

    @extend_schema(
        parameters=[*HEADERS, SLUG],
        request=SaveAnswersInput,
        responses={
            200: SavedAnswers,
            400: ErrorSerializer,
            404: ErrorSerializer,
            409: ConflictSerializer,
            413: ErrorSerializer,
            415: ErrorSerializer,
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
            return Response(
                {"detail": f"This intake has no questionnaire '{slug[:63]}'."}, status=404
            )
        device = self.device(required=True)
        data = self.SaveAnswersInput(data=request.data)
        data.is_valid(raise_exception=True)
        saved, _ = services.save_answers(
            response=response,
            answers=data.validated_data["answers"],
            revision=data.validated_data["revision"],
            device=device,
            ip_address=ratelimit.client_ip(request),
        )
        return Response({"revision": saved.revision, "answers": saved.answers})


class SubmitApi(PatientApi):
    """Submit every questionnaire; submitting again returns the same result."""

    class Submitted(serializers.Serializer):
        status = serializers.CharField()
        submitted_at = serializers.DateTimeField()

    @extend_schema(
        parameters=HEADERS,
        request=None,
        responses={200: Submitted, 400: IncompleteSerializer, 409: ConflictSerializer, **ERRORS},
    )
    def post(self, request):
        intake = services.submit_intake(
            intake=request.auth,
            device=self.device(required=False),
            ip_address=ratelimit.client_ip(request),
        )
        return Response({"status": intake.status, "submitted_at": intake.submitted_at})
