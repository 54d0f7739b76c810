"""The patient's pages. Thin: read the form, call one service, render the result."""

from __future__ import annotations

from functools import wraps

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import audit, outages, ratelimit, services
from ..models import Intake
from ..questionnaires.cleaning import DETAILS_SUFFIX
from ..summary.builder import AnsweredQuestionnaire, build_summary
from ..summary.patient_copy import sent_from
from . import device, flow
from . import media as patient_media
from .fields import MONTHS, build_fields, page_errors
from .forms import answers_from_form, details_not_on_page
from .viewing import record_viewed

NOT_SAVED = gettext_lazy(
    "We could not save just now. Your answers are still here: "
    "wait a few seconds, then press the button again."
)
# Without the page's script, follow-ups of an option ticked on the page are not on it yet.
ASK_DETAILS = gettext_lazy("Please tell us a little more about what you ticked (below).")
CLOSED_STATUS = {
    "unknown": 404,
    "expired": 410,
    "cancelled": 410,
    "no_session": 403,
    "replaced": 410,
    "too_many": 429,
}


def closed_page(request, reason: str):
    """A plain page for a link that cannot be used: no name, no answers."""
    flow.close_session(request)
    status = CLOSED_STATUS.get(reason, 410)
    return render(request, "patient/closed.html", {"reason": reason}, status=status)


def patient_page(view):
    """Load the session's intake; send closed, submitted and unverified sessions away."""

    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        intake = flow.session_intake(request)
        if intake is None:
            return closed_page(request, "no_session")
        if not flow.opened_with_current_link(request, intake):
            return closed_page(request, "replaced")
        if intake.status == Intake.Status.SUBMITTED:
            return redirect("patient:done")
        if not intake.accepts_answers:
            return closed_page(request, intake.effective_status)
        if not flow.is_verified(request):
            return redirect("patient:verify")
        device.attach(request)
        response = view(request, intake, *args, **kwargs)
        device.remember(request, response)
        return response

    return wrapper


@patient_page
def start(request, intake: Intake):
    responses = flow.responses_of(intake)
    steps = flow.steps_of(responses, request.patient_device)
    resume = flow.resume_step(steps, intake.resume_at)
    if intake.resume_at == "review" or (intake.resume_at and resume is None):
        resume_url = reverse("patient:review")
    elif intake.resume_at:
        resume_url = reverse("patient:step", args=[resume.number])
    else:
        resume_url = ""
    return render(
        request,
        "patient/start.html",
        {
            "resume_url": resume_url,
            "step_count": len(steps),
            "titles": [response.questionnaire_version.title for response in responses],
            "sealed": _sealed_titles(responses, request.patient_device),
        },
    )


def _sealed_titles(responses, device_hash: str) -> list[str]:
    return [flow.questionnaire_of(r).title for r in responses if r.is_sealed_for(device_hash)]


@patient_page
def step(request, intake: Intake, number: int):
    steps = flow.steps_of(flow.responses_of(intake), request.patient_device)
    if not steps:
        return redirect("patient:review")
    if not 1 <= number <= len(steps):
        return (
            redirect("patient:step", number=len(steps)) if number > 1 else redirect("patient:start")
        )
    current = steps[number - 1]
    if request.method == "POST":
        return _save_page(request, intake, steps, current)
    extra = {request.GET.get("add", "")}
    record_viewed(request, intake, current.key)
    return _render_step(request, steps, current, current.response.answers, {}, extra=extra)


def _save_page(request, intake, steps, current):
    action = request.POST.get("action", "next")
    media_error = ""
    if action.startswith(patient_media.REMOVE_PREFIX):
        media_error = patient_media.remove_from_action(request, intake, action)
    values = answers_from_form(current.section, request.POST, current.response.answers)
    if action.startswith("remove:"):
        _remove_entry(values, action)
    if action.startswith("clear:"):
        _clear_details(values, action)
    # Next with new follow-ups to ask saves the page and shows it again: their questions first.
    unseen = details_not_on_page(current.section, request.POST) if action == "next" else {}
    try:
        _, cleaned = services.save_answers(
            response=current.response,
            answers=values,
            revision=_int(request.POST.get("revision")),
            keep_valid=True,
            require={current.section.id} if action == "next" and not unseen else False,
            report_unasked={current.section.id},
            device=request.patient_device,
            ip_address=ratelimit.client_ip(request),
        )
    except services.AnswersSealed as sealed:
        notice = gettext(
            "%(sealed)s What you typed on this page is still here, but it was not saved: "
            "go to Check your answers to answer this questionnaire again here."
        ) % {"sealed": sealed}
        return _render_step(request, steps, current, values, {}, notice=notice, status=409)
    except services.RevisionConflict as conflict:
        current.response.revision = conflict.revision
        notice = gettext(
            "These answers were also changed in another window or on another device. "
            "What you typed here is still on this page: check it, then press Next again."
        )
        return _render_step(request, steps, current, values, {}, notice=notice, status=409)
    except services.IntakeClosed:
        return closed_page(request, intake.effective_status)
    except outages.OUTAGE_ERRORS as error:
        outages.note_failure(error)
        page = _render_step(request, steps, current, values, {}, notice=NOT_SAVED, status=503)
        return outages.as_outage(page)
    # An answer to a question not asked is never stored. The page says so once; pressing a
    # button again with the same answers leaves it out (a chosen radio button cannot be unticked).
    told = set(request.POST.getlist("unasked_told"))
    # Files sent with the form are kept whatever the answers' state; a refused one is said so.
    upload_errors = patient_media.save_uploads(request, intake, current)
    if unseen:  # what was saved: refused ticks ask for nothing (the review names what is left)
        unseen = details_not_on_page(current.section, request.POST, cleaned.answers)
    if cleaned.errors or not set(cleaned.unasked) <= told or upload_errors:
        return _render_step(
            request,
            steps,
            current,
            values,
            {**cleaned.problems, **upload_errors},
            unasked=cleaned.unasked,
            notes=dict.fromkeys(unseen, ASK_DETAILS),
            status=400,
        )
    if action.startswith(patient_media.REMOVE_PREFIX):
        if media_error:
            return _render_step(request, steps, current, values, {}, notice=media_error, status=409)
        return redirect(reverse("patient:step", args=[current.number]))
    if action == "later":
        return _finish(request, intake)
    here = reverse("patient:step", args=[current.number])
    if action.startswith("add:"):
        return redirect(f"{here}?add={action[4:]}#{action[4:]}")
    if action.startswith(("remove:", "clear:")):
        return redirect(f"{here}#{action.split(':')[1]}")
    if action == "back":
        if current.number == 1:
            return redirect("patient:start")
        return redirect("patient:step", number=current.number - 1)
    if unseen:
        notes = dict.fromkeys(unseen, ASK_DETAILS)
        answers = current.response.answers
        return _render_step(request, steps, current, answers, {}, notice=ASK_DETAILS, notes=notes)
    return _go_next(request, intake, current)


def _go_next(request, intake, current):
    # The answers may have shown or hidden pages.
    steps = flow.steps_of(flow.responses_of(intake), request.patient_device)
    index = next(i for i, one in enumerate(steps) if one.key == current.key)
    if index + 1 >= len(steps):
        services.record_progress(intake=intake, resume_at="review")
        return redirect("patient:review")
    services.record_progress(intake=intake, resume_at=steps[index + 1].key)
    return redirect("patient:step", number=index + 2)


def _remove_entry(values: dict, action: str) -> None:
    _, group_id, index = (action.split(":") + ["", ""])[:3]
    rows = values.get(group_id)
    if isinstance(rows, list) and index.isdigit() and int(index) < len(rows):
        del rows[int(index)]


def _clear_details(values: dict, action: str) -> None:
    """Clear the follow-ups of one option, as the patient asked (an unticked one, say)."""
    _, item_id, option_value = (action.split(":") + ["", ""])[:3]
    details = values.get(item_id + DETAILS_SUFFIX)
    if isinstance(details, dict):
        details.pop(option_value, None)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _render_step(
    request,
    steps,
    current,
    values,
    errors,
    *,
    extra=frozenset(),
    notice="",
    notes=None,
    unasked=(),
    status=200,
):
    fields = build_fields(
        current.section,
        values,
        errors,
        extra_rows=set(extra),
        items=current.questionnaire.item_index(),
        notes=notes,
    )
    has_media = patient_media.attach(fields, current.response.intake, current)
    return render(
        request,
        "patient/step.html",
        {
            "step": current,
            "step_count": len(steps),
            "questionnaire": current.questionnaire,
            "fields": fields,
            "errors": page_errors(fields),
            "notice": notice,
            "unsaved": notice is NOT_SAVED,  # the page's script keeps trying to save it
            "months": MONTHS,
            "revision": current.response.revision,
            "unasked_told": list(unasked),
            "autosave_url": reverse("patient:autosave", args=[current.number]),
            "has_media": has_media,
        },
        status=status,
    )


@require_POST
@patient_page
def media_upload(request, intake: Intake, number: int, item_id: str):
    """Keep one photo or video sent by the page's script (with progress), apart from the form."""
    steps = flow.steps_of(flow.responses_of(intake), request.patient_device)
    if not 1 <= number <= len(steps):
        raise Http404
    return patient_media.upload(request, intake, steps[number - 1], item_id)


@patient_page
def media_status(request, intake: Intake, media_id):
    return patient_media.status(request, intake, media_id)


@patient_page
def media_poster(request, intake: Intake, media_id):
    return patient_media.poster(request, intake, media_id)


@require_POST
@patient_page
def autosave(request, intake: Intake, number: int):
    """Save a page in the background (JavaScript); the form's Next button stays the truth."""
    steps = flow.steps_of(flow.responses_of(intake), request.patient_device)
    if not 1 <= number <= len(steps):
        raise Http404
    current = steps[number - 1]
    values = answers_from_form(current.section, request.POST, current.response.answers)
    try:
        response, cleaned = services.save_answers(
            response=current.response,
            answers=values,
            revision=_int(request.POST.get("revision")),
            keep_valid=True,
            report_unasked={current.section.id},
            device=request.patient_device,
            ip_address=ratelimit.client_ip(request),
        )
    except services.AnswersSealed:
        return JsonResponse({"sealed": True, "conflict": True}, status=409)
    except services.RevisionConflict as conflict:
        return JsonResponse({"revision": conflict.revision, "conflict": True}, status=409)
    except services.IntakeClosed:
        return JsonResponse({"closed": True}, status=410)
    return JsonResponse({"revision": response.revision, "errors": cleaned.problems})


@patient_page
def review(request, intake: Intake):
    all_responses = flow.responses_of(intake)
    responses = [r for r in all_responses if not r.is_sealed_for(request.patient_device)]
    sealed = [r.questionnaire_version for r in all_responses if r not in responses]
    steps = flow.steps_of(all_responses, request.patient_device)
    summary = build_summary(
        [
            AnsweredQuestionnaire(
                r.questionnaire_version.slug,
                r.questionnaire_version.version,
                flow.questionnaire_of(r),
                r.answers,
            )
            for r in responses
        ]
    )
    step_numbers = {step.key: step.number for step in steps}
    missing = _missing_with_steps(
        services.missing_answers(intake, responses=all_responses), responses, step_numbers
    )
    record_viewed(request, intake, "review")
    sent = patient_media.sent_by_section(intake, responses)  # files have no stored answer
    questionnaires = []
    for one in summary.questionnaires:
        keyed = [(s, f"{one.slug}:{s.section_id}") for s in one.sections]
        questionnaires.append((one, [(s, step_numbers.get(k), sent.get(k)) for s, k in keyed]))
    return render(
        request,
        "patient/review.html",
        {
            "questionnaires": questionnaires,
            "missing": missing,
            "step_count": len(steps),
            "sealed": sealed,
            "incomplete": request.GET.get("incomplete") == "1",
        },
    )


def _missing_with_steps(missing: dict, responses, step_numbers: dict) -> list[dict]:
    """Name each missing answer as the patient saw it, with the page to fix it on."""
    found = []
    for response in responses:
        questionnaire = flow.questionnaire_of(response)
        slug = response.questionnaire_version.slug
        places = {item.id: section.id for section, _, item in questionnaire.iter_items()}
        index = questionnaire.item_index()
        for key in missing.get(slug, []):
            group_id, _, rest = key.partition("[")
            item = index.get(group_id)
            question = item.text if item else key
            if rest:  # "surgery_list[0].surgery_kind": an entry's question
                question = _entry_question(item, index, *rest.split("].", 1))
            found.append(
                {
                    "questionnaire": questionnaire.title,
                    "question": question,
                    "step": step_numbers.get(f"{slug}:{places.get(group_id, '')}"),
                }
            )
    return found


def _entry_question(item, index: dict, entry: str, child_id: str) -> str:
    """Name a question of a group's entry ("Surgery 2: When") or of a chosen option."""
    if not entry.isdigit():  # "tried[magnesium].helped": a follow-up of a chosen option
        option = next((o for o in getattr(item, "options", ()) if o.value == entry), None)
        child = next((c for c in getattr(item, "details", ()) if c.id == child_id), None)
        return f"{option.label if option else entry}: {child.text if child else child_id}"
    child = index.get(child_id)
    label = getattr(item, "entry_label", None) or gettext("Entry")
    return f"{label} {int(entry) + 1}: {child.text if child else child_id}"


@require_POST
@patient_page
def submit(request, intake: Intake):
    try:
        services.submit_intake(
            intake=intake, device=request.patient_device, ip_address=ratelimit.client_ip(request)
        )
    except services.IntakeIncomplete:
        return redirect(reverse("patient:review") + "?incomplete=1")
    except services.AnswersSealed:
        return redirect("patient:review")
    except services.IntakeClosed:
        return closed_page(request, intake.effective_status)
    return redirect("patient:done")


@never_cache
def done(request):
    """The thank-you page; it never shows answers."""
    intake = flow.session_intake(request)
    if intake is None or intake.status != Intake.Status.SUBMITTED:
        return redirect("patient:start")
    device.attach(request)
    copy = sent_from(intake, request.patient_device)
    return render(request, "patient/done.html", {"copy": copy})


def _finish(request, intake: Intake):
    audit.record(
        audit.Action.SESSION_FINISHED,
        intake=intake,
        actor_label="patient",
        ip_address=ratelimit.client_ip(request),
    )
    flow.end_session(request)
    return redirect("patient:later")
