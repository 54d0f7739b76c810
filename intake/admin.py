"""Django admin: read-only for intakes, answers and audit events, for every user.

Anything that changes an intake goes through the services and their audit events; the admin
only shows. Staff users and groups stay editable in Django's own user admin.
"""

from django.contrib import admin

from .models import AuditEvent, Intake, QuestionnaireVersion, Response


class ReadOnlyAdmin(admin.ModelAdmin):
    """Show records, never add, change or delete them, whoever is signed in (superusers too)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(ReadOnlyAdmin):
    # Versions come from `manage.py load_questionnaires`.
    list_display = ["slug", "version", "title", "created_at"]
    list_filter = ["slug"]


class ResponseInline(admin.TabularInline):
    model = Response
    fields = ["position", "questionnaire_version", "revision", "updated_at", "submitted_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Intake)
class IntakeAdmin(ReadOnlyAdmin):
    # Invitations are created, cancelled and re-issued by the services, which issue the token
    # and write the audit trail: the clinic's pages and the API call them.
    list_display = ["patient_name", "clinic_reference", "status", "created_at", "expires_at"]
    list_filter = ["status"]
    search_fields = ["patient_name", "clinic_reference"]
    exclude = ["token_hash"]
    inlines = [ResponseInline]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    # Answers are saved only through services.save_answers, which cleans them against the
    # questionnaire: never through a form here, not even a draft, not even for a superuser.
    list_display = ["intake", "questionnaire_version", "revision", "updated_at", "submitted_at"]
    list_select_related = ["intake", "questionnaire_version"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor_label", "intake_id", "ip_address"]
    list_filter = ["action"]
