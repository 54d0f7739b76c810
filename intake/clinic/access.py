"""Who may see what: clinicians read answers; front desk manages invitations only."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.views.decorators.cache import never_cache

from .. import audit

READ_ANSWERS = "intake.view_answers"
MANAGE_INVITATIONS = "intake.manage_invitations"
SEE_INTAKES = "intake.view_intake"


def staff_page(permission: str):
    """Require a signed-in user with `permission`; record and refuse anyone else."""

    def decorator(view):
        @never_cache
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                audit.record_staff(
                    request,
                    audit.Action.ACCESS_DENIED,
                    intake=kwargs.get("intake_id"),
                    permission=permission,
                    path=request.path[:200],
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
