"""The patient's photos and videos on a page: send, see the thumbnail, remove before submitting.

Without JavaScript the files travel with the page's form (Next, Back or Save); with it, each
file is sent on its own (`upload`), with progress, so the rest of the page is never resent.
The review page lists what was sent under the section that asked for it (`sent_by_section`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import FileResponse, Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from .. import ratelimit
from ..media import services
from ..media.models import MediaFile
from ..media.processing import refusal_message
from . import flow

REMOVE_PREFIX = "media-remove:"


def media_items(section) -> list:
    return [item for item in section.items if item.type == "media"]


def media_of(intake, slug: str) -> dict[str, list[MediaFile]]:
    """Return the intake's files for one questionnaire, by item id, oldest first."""
    found: dict[str, list[MediaFile]] = {}
    for media in MediaFile.objects.filter(intake=intake, questionnaire_slug=slug).order_by(
        "created_at"
    ):
        found.setdefault(media.item_id, []).append(media)
    return found


def attach(fields, intake, current) -> bool:
    """Give each media field of the page its files; return whether the page has one."""
    files = None
    for one in fields:
        if one.item.type != "media":
            continue
        if files is None:
            files = media_of(intake, current.questionnaire.id)
        one.media = [_shown(media) for media in files.get(one.item.id, [])]
        one.upload_url = reverse("patient:media-upload", args=[current.number, one.item.id])
    return files is not None


def _shown(media: MediaFile) -> dict:
    """Return what the question page (and its script) shows of a file, in the patient's words."""
    ready = media.status == MediaFile.Status.READY
    refused = media.status == MediaFile.Status.REFUSED
    return {
        "id": str(media.pk),
        "status": media.status,
        "kind": media.kind,
        "ready": ready,
        "refused": refused,
        "caption": _caption(media),
        "alt": _thumbnail_alt(media) if ready else "",
        "remove_label": _remove_label(media),
        "poster_url": reverse("patient:media-poster", args=[media.pk]),
        "duration": _seconds(media),
    }


def _seconds(media: MediaFile) -> int | None:
    return round(media.duration_seconds) if media.duration_seconds else None


def _is_video(media: MediaFile) -> bool:
    return media.kind == MediaFile.Kind.VIDEO


def _caption(media: MediaFile) -> str:
    # Whole sentences, not pieces: "received" agrees with "video" or "photo" in Spanish.
    if media.status == MediaFile.Status.REFUSED:
        reason = refusal_message(media.refusal_code, media.max_seconds)
        return gettext("This file could not be used. %(reason)s") % {"reason": reason}
    if media.status != MediaFile.Status.READY:
        return gettext(
            "Processing… It will appear here when it is ready. You can keep answering meanwhile."
        )
    if not _is_video(media):
        return gettext("Photo: received.")
    if _seconds(media):
        return gettext("Video, %(seconds)s s: received.") % {"seconds": _seconds(media)}
    return gettext("Video: received.")


def _thumbnail_alt(media: MediaFile) -> str:
    return (
        gettext("Your video (thumbnail)") if _is_video(media) else gettext("Your photo (thumbnail)")
    )


def _remove_label(media: MediaFile) -> str:
    if media.status != MediaFile.Status.READY:
        return gettext("Remove this file")
    return gettext("Remove this video") if _is_video(media) else gettext("Remove this photo")


@dataclass(frozen=True)
class SentFiles:
    """The files sent for one media question, as the review page names them."""

    question: str
    files: list[str]


def sent_by_section(intake, responses) -> dict[str, list[SentFiles]]:
    """Return the files sent for each media question, by page key ("slug:section id").

    One query, made only when a questionnaire asks for photos or videos. A question with no
    file is left out: it is optional.
    """
    places = {}  # (slug, item id): (section id, question), in the questionnaire's order
    for response in responses:
        slug = response.questionnaire_version.slug
        for section in flow.questionnaire_of(response).sections:
            for item in media_items(section):
                places[(slug, item.id)] = (section.id, item.text)
    if not places:
        return {}
    names: dict[tuple[str, str], list[str]] = {}
    slugs = {slug for slug, _ in places}
    files = MediaFile.objects.filter(intake=intake, questionnaire_slug__in=slugs).only(
        "questionnaire_slug", "item_id", "status", "kind", "duration_seconds"
    )
    for media in files.order_by("created_at"):
        names.setdefault((media.questionnaire_slug, media.item_id), []).append(review_name(media))
    found: dict[str, list[SentFiles]] = {}
    for (slug, item_id), (section_id, question) in places.items():
        if (slug, item_id) in names:
            one = SentFiles(question, names[(slug, item_id)])
            found.setdefault(f"{slug}:{section_id}", []).append(one)
    return found


def review_name(media: MediaFile) -> str:
    """Return how the review page names a sent file: "Video, 12 s", "Photo", "Processing…"."""
    if media.status == MediaFile.Status.REFUSED:
        return gettext("Could not be used")
    if media.status != MediaFile.Status.READY:
        return gettext("Processing…")
    if not _is_video(media):
        return gettext("Photo")
    if _seconds(media):
        return gettext("Video, %(seconds)s s") % {"seconds": _seconds(media)}
    return gettext("Video")


def save_uploads(request, intake, current) -> dict[str, str]:
    """Keep every file the page's form sent; return an error message by item id."""
    errors = {}
    for item in media_items(current.section):
        for uploaded in request.FILES.getlist(item.id):
            try:
                services.upload_media(
                    intake=intake,
                    questionnaire_slug=current.questionnaire.id,
                    item_id=item.id,
                    uploaded=uploaded,
                    ip_address=ratelimit.client_ip(request),
                )
            except services.MediaRefused as refused:
                errors[item.id] = str(refused)
                break
    return errors


def remove_from_action(request, intake, action: str) -> str:
    """Remove the file a page's Remove button names; return an error message or ""."""
    media = _own_media(intake, action[len(REMOVE_PREFIX) :])
    if media is None:
        return ""
    try:
        services.remove_media(media=media, ip_address=ratelimit.client_ip(request))
    except services.MediaRefused as refused:
        return str(refused)
    return ""


def _own_media(intake, media_id: str) -> MediaFile | None:
    try:
        return MediaFile.objects.filter(intake=intake, pk=media_id).first()
    except (ValueError, TypeError):
        return None
    except Exception:  # a malformed UUID raises ValidationError on some backends
        return None


def upload(request, intake, current, item_id: str):
    """Keep one file sent by the page's script; answer with what the page shows for it."""
    if item_id not in {item.id for item in media_items(current.section)}:
        raise Http404
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return JsonResponse(
            {"code": "no_file", "detail": gettext("Choose a photo or video first.")}, status=400
        )
    try:
        media = services.upload_media(
            intake=intake,
            questionnaire_slug=current.questionnaire.id,
            item_id=item_id,
            uploaded=uploaded,
            ip_address=ratelimit.client_ip(request),
        )
    except services.MediaRefused as refused:
        status = 413 if refused.code == "too_large" else 400
        return JsonResponse({"code": refused.code, "detail": str(refused)}, status=status)
    media.refresh_from_db()
    return JsonResponse(_shown(media), status=201)


@require_GET
def status(request, intake, media_id):
    media = _own_media(intake, str(media_id))
    if media is None:
        raise Http404
    return JsonResponse(_shown(media))


@require_GET
def poster(request, intake, media_id):
    """The thumbnail of a file the patient sent, to this patient's session only."""
    media = _own_media(intake, str(media_id))
    if media is None or not media.poster:
        raise Http404
    response = FileResponse(media.poster.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "no-store"
    return response


require_upload = require_POST
