"""Patient authentication for the API: the invitation token in a header, never in the URL.

`X-Intake-Token: <token>`, and when the invitation has a date of birth also
`X-Intake-Birth-Date: YYYY-MM-DD`: the same check as the web pages, with the same limit on
wrong tries. Unknown tokens are counted per address; calls are counted per intake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from knox.auth import TokenAuthentication
from rest_framework import authentication, exceptions
from rest_framework.authentication import get_authorization_header

from .. import audit, ratelimit, services
from ..models import Intake
from ..ratelimit import (
    BIRTH_DATE_TRIES,
    BIRTH_DATE_WINDOW,
    UNKNOWN_LINK_WINDOW,
    UNKNOWN_LINKS_PER_IP,
)

TOKEN_HEADER = "HTTP_X_INTAKE_TOKEN"
BIRTH_DATE_HEADER = "HTTP_X_INTAKE_BIRTH_DATE"
CALLS_PER_MINUTE = 240


class TooManyTries(exceptions.Throttled):
    default_detail = "Too many tries. Wait a few minutes, then try again."


@dataclass(frozen=True)
class Patient:
    """The caller holding an invitation's token: not a user account."""

    intake: Intake
    is_authenticated: bool = True
    is_anonymous: bool = False

    def has_perm(self, perm, obj=None) -> bool:
        return False


class PatientTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        token = request.META.get(TOKEN_HEADER, "")
        if not token:
            return None
        ip = ratelimit.client_ip(request)
        unknown_key = f"unknown-link:{ip}"
        if ratelimit.is_limited(unknown_key, limit=UNKNOWN_LINKS_PER_IP):
            raise TooManyTries(wait=ratelimit.seconds_left(unknown_key, window=UNKNOWN_LINK_WINDOW))
        intake = services.intake_for_token(token)
        if intake is None:
            ratelimit.count_attempt(unknown_key, window=UNKNOWN_LINK_WINDOW)
            raise exceptions.AuthenticationFailed("This invitation token is not valid.")
        if ratelimit.count_attempt(f"patient-api:{intake.pk}", window=60) > CALLS_PER_MINUTE:
            raise exceptions.Throttled(wait=60)
        self._check_birth_date(request, intake, ip)
        return Patient(intake), intake

    def _check_birth_date(self, request, intake: Intake, ip: str) -> None:
        if intake.date_of_birth is None:
            return
        key = f"birth-date:{intake.pk}"
        if ratelimit.is_limited(key, limit=BIRTH_DATE_TRIES):
            raise TooManyTries(wait=ratelimit.seconds_left(key, window=BIRTH_DATE_WINDOW))
        given = request.META.get(BIRTH_DATE_HEADER, "")
        try:
            matches = date.fromisoformat(given) == intake.date_of_birth
        except ValueError:
            raise exceptions.AuthenticationFailed(
                "Send the patient's date of birth in X-Intake-Birth-Date as YYYY-MM-DD.",
                code="birth_date_required",
            ) from None
        if not matches:
            ratelimit.count_attempt(key, window=BIRTH_DATE_WINDOW)
            audit.record(
                audit.Action.BIRTH_DATE_FAILED, intake=intake, actor_label="patient", ip_address=ip
            )
            raise exceptions.AuthenticationFailed(
                "The date of birth does not match.", code="birth_date_mismatch"
            )

    def authenticate_header(self, request) -> str:
        return "Intake-Token"


class StaffTokenAuthentication(TokenAuthentication):
    """A knox API token sent as `Authorization: Bearer <token>`, or as `Token <token>`.

    Bearer is what OpenAPI's HTTP bearer scheme makes generated clients send; `Token` is what
    earlier clients send and keeps working.
    """

    PREFIXES = (b"bearer", b"token")

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() not in self.PREFIXES:
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Bearer <token>', without spaces in the token."
            )
        return self.authenticate_credentials(auth[1])

    def authenticate_header(self, request) -> str:
        return "Bearer"
