"""OpenAPI description of the patient's token authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PatientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "intake.api.authentication.PatientTokenAuthentication"
    name = "invitationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Intake-Token",
            "description": "The token from the patient's invitation link (never in a URL).",
        }
