"""Write the JSON Schema of the definition format, generated from the validator's models."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand

from intake.questionnaires.schema import Questionnaire


def schema_json() -> str:
    return json.dumps(Questionnaire.model_json_schema(by_alias=True), indent=2) + "\n"


class Command(BaseCommand):
    help = "Write questionnaire_defs/schema.json from the definition models."

    def handle(self, *args, **options):
        path = settings.QUESTIONNAIRE_DIR / "schema.json"
        path.write_text(schema_json())
        self.stdout.write(f"wrote {path}")
