"""The two staff roles: Clinicians read answers; Front desk manages invitations only."""

ROLES = {
    "Clinicians": ["view_answers", "manage_invitations", "view_intake"],
    "Front desk": ["manage_invitations", "view_intake"],
}


def ensure_roles(group_model=None, permission_model=None) -> None:
    """Create both groups with their permissions (the migration passes its historical models)."""
    if group_model is None:
        from django.contrib.auth.models import Group as group_model
        from django.contrib.auth.models import Permission as permission_model
    for name, codenames in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.set(
            permission_model.objects.filter(
                content_type__app_label="intake", codename__in=codenames
            )
        )
