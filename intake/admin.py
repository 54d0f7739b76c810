"""Django admin for every record; submitted answers and audit events are read-only."""

from django.contrib import admin

from .models import AuditEvent, Intake, QuestionnaireVersion, Response


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    list_display = ["slug", "version", "title", "created_at"]
    list_filter = ["slug"]
    readonly_fields = [f.name for f in QuestionnaireVersion._meta.fields]

    def has_add_permission(self, request):
        return False  # versions come from `manage.py load_questionnaires`

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ResponseInline(admin.TabularInline):
    model = Response
    fields = ["position", "questionnaire_version", "revision", "updated_at", "submitted_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
    list_display = ["patient_name", "clinic_reference", "status", "created_at", "expires_at"]
    list_filter = ["status"]
    search_fields = ["patient_name", "clinic_reference"]
    readonly_fields = [
        "id",
        "status",
        "created_by",
        "created_at",
        "updated_at",
        "started_at",
        "submitted_at",
        "cancelled_at",
    ]
    exclude = ["token_hash"]
    inlines = [ResponseInline]

    def has_add_permission(self, request):
        return False  # invitations are created by the service, which issues the token

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Intake.Status.SUBMITTED:
            return [f.name for f in Intake._meta.fields if f.name != "token_hash"]
        return self.readonly_fields


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["intake", "questionnaire_version", "revision", "updated_at", "submitted_at"]
    list_select_related = ["intake", "questionnaire_version"]
    readonly_fields = [
        "intake",
        "questionnaire_version",
        "position",
        "revision",
        "updated_at",
        "submitted_at",
        "answers_sha256",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # A submitted response is frozen (Response.save refuses): show it, refuse a save.
        if obj is not None and obj.submitted_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.submitted_at is not None:
            return [*self.readonly_fields, "answers"]
        return self.readonly_fields


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor_label", "intake_id", "ip_address"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
