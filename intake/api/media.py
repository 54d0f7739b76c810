"""Photos and videos through the API: the patient sends and removes; clinicians list and fetch.

The patient side needs the invitation token and the device key, as the answers do; a file is
taken as multipart (`file`), processed by the worker, and its state read back by id. Clinicians
who may read answers list an intake's files and download the clean ones (with ranges); front
desk gets 403. Downloads are audit events.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from .. import audit, ratelimit
from ..clinic.media import file_name
from ..media import services
from ..media.models import MediaFile
from ..media.processing import refusal_message
from ..media.ranges import ranged_response
from ..models import Intake
from .clinic import ONE_INTAKE_ERRORS, ClinicApi
from .patient import ERRORS as PATIENT_ERRORS
from .patient import HEADERS, PatientApi
from .permissions import CanReadAnswers
from .schema import SLUG, TOO_LARGE, error

ITEM_ID = OpenApiParameter("item_id", str, OpenApiParameter.PATH, pattern=r"^[a-z][a-z0-9_]{0,62}$")
FILE = OpenApiResponse(
    OpenApiTypes.BINARY,
    description="The clean file as an attachment: an MP4 video or a JPEG photo (see `kind`)",
)


class MediaSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    questionnaire = serializers.CharField(source="questionnaire_slug")
    item = serializers.CharField(source="item_id")
    state = serializers.ChoiceField(
        source="status",
        choices=MediaFile.Status.values,
        help_text="uploaded and processing: not ready yet; ready; refused: could not be used",
    )
    kind = serializers.ChoiceField(
        choices=["", *MediaFile.Kind.values], help_text="Known once processed."
    )
    refusal_code = serializers.CharField(allow_blank=True)
    refusal_message = serializers.SerializerMethodField()
    duration_seconds = serializers.FloatField(allow_null=True)
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    size = serializers.IntegerField(source="file_size", help_text="Bytes of the clean file.")
    sha256 = serializers.CharField(source="file_sha256", allow_blank=True)
    created_at = serializers.DateTimeField()

    def get_refusal_message(self, media) -> str:
        if media.status != MediaFile.Status.REFUSED:
            return ""
        return refusal_message(media.refusal_code, media.max_seconds)


MEDIA_REFUSED = error(
    "The file or the question does not allow it",
    "too_many",
    "empty",
    "no_file",
    "invalid",
)
NO_ITEM = error("No such questionnaire, media question or file", "not_found")


class PatientMediaUploadApi(PatientApi):
    """Send one photo or video for a media question (multipart, field `file`)."""

    parser_classes = [MultiPartParser]

    class UploadInput(serializers.Serializer):
        file = serializers.FileField(help_text="The photo or video, at most 150 MB.")

    @extend_schema(
        parameters=[*HEADERS, SLUG, ITEM_ID],
        request={"multipart/form-data": UploadInput},
        responses={
            201: MediaSerializer,
            400: MEDIA_REFUSED,
            404: NO_ITEM,
            413: TOO_LARGE,
            **PATIENT_ERRORS,
        },
    )
    def post(self, request, slug, item_id):
        intake = self.open_intake()
        self.device(required=True)
        data = self.UploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            media = services.upload_media(
                intake=intake,
                questionnaire_slug=slug,
                item_id=item_id,
                uploaded=data.validated_data["file"],
                ip_address=ratelimit.client_ip(request),
            )
        except services.MediaRefused as refused:
            status = {"too_large": 413, "unknown_item": 404, "closed": 410}.get(refused.code, 400)
            code = "not_found" if refused.code == "unknown_item" else refused.code
            return Response({"code": code, "detail": str(refused)}, status=status)
        media.refresh_from_db()
        return Response(MediaSerializer(media).data, status=201)


class PatientMediaApi(PatientApi):
    """One file the patient sent: its state, or its removal before submitting."""

    def _own(self, intake: Intake, media_id) -> MediaFile:
        return get_object_or_404(MediaFile, pk=media_id, intake=intake)

    @extend_schema(
        parameters=HEADERS, responses={200: MediaSerializer, 404: NO_ITEM, **PATIENT_ERRORS}
    )
    def get(self, request, media_id):
        return Response(MediaSerializer(self._own(self.open_intake(), media_id)).data)

    @extend_schema(
        parameters=HEADERS,
        responses={204: OpenApiResponse(description="Removed"), 404: NO_ITEM, **PATIENT_ERRORS},
    )
    def delete(self, request, media_id):
        intake = self.open_intake()
        self.device(required=True)
        services.remove_media(
            media=self._own(intake, media_id), ip_address=ratelimit.client_ip(request)
        )
        return Response(status=204)


class IntakeMediaListApi(ClinicApi):
    """The photos and videos of an intake, in the order they were sent."""

    permission_classes = [CanReadAnswers]

    @extend_schema(responses={200: MediaSerializer(many=True), **ONE_INTAKE_ERRORS})
    def get(self, request, intake_id):
        intake = get_object_or_404(Intake, pk=intake_id)
        media = MediaFile.objects.filter(intake=intake).order_by("created_at")
        return Response(MediaSerializer(media, many=True).data)


class IntakeMediaFileApi(ClinicApi):
    """The clean file (MP4 video or JPEG photo); `Range: bytes=...` gives 206 or 416."""

    permission_classes = [CanReadAnswers]

    def perform_content_negotiation(self, request, force=False):
        # Not rendered by DRF: any `Accept` must not give 406. Errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="v1_intakes_media_file_retrieve",
        responses={
            (200, "application/octet-stream"): FILE,
            (206, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The one byte range asked for"
            ),
            416: error("The range starts past the end of the file", "range_not_satisfiable"),
            **ONE_INTAKE_ERRORS,
        },
    )
    def get(self, request, intake_id, media_id):
        media = get_object_or_404(
            MediaFile, pk=media_id, intake_id=intake_id, status=MediaFile.Status.READY
        )
        audit.record_staff(
            request,
            audit.Action.MEDIA_DOWNLOADED,
            intake=media.intake_id,
            media=str(media.pk),
            via="api",
        )
        return ranged_response(
            request,
            media.file,
            content_type="application/octet-stream",
            filename=file_name(media),
            inline=False,
        )
