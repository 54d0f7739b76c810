"""API permissions: the portal's roles, and the patient's own intake."""

from rest_framework.permissions import BasePermission

from .. import audit
from ..clinic.access import MANAGE_INVITATIONS, READ_ANSWERS, SEE_INTAKES
from .authentication import Patient


class _StaffPermission(BasePermission):
    permission = ""
    message = "Your role does not allow this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated) or isinstance(user, Patient):
            return False
        if user.has_perm(self.permission):
            return True
        # Refused staff requests belong in the audit trail, as on the clinic pages.
        audit.record_staff(
            request,
            audit.Action.ACCESS_DENIED,
            intake=view.kwargs.get("intake_id"),
            permission=self.permission,
            path=request.path[:200],
            via="api",
        )
        return False


class CanSeeIntakes(_StaffPermission):
    permission = SEE_INTAKES


class CanReadAnswers(_StaffPermission):
    permission = READ_ANSWERS


class CanManageInvitations(_StaffPermission):
    permission = MANAGE_INVITATIONS


class IsPatient(BasePermission):
    message = "Send the invitation token in the X-Intake-Token header."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, Patient)
