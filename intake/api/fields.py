"""Serializer fields for answers and definitions, typed in the OpenAPI description by reference.

The referenced components are added by `intake.api.schema.add_components`.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

DEFINITION_NAME = "QuestionnaireDefinition"


@extend_schema_field({"$ref": "#/components/schemas/Answers"})
class AnswersField(serializers.DictField):
    """Answers keyed by item id, typed in the schema as a map to the answer shapes."""


@extend_schema_field({"$ref": f"#/components/schemas/{DEFINITION_NAME}"})
class DefinitionField(serializers.DictField):
    """A questionnaire definition, typed in the schema by the definition models."""
