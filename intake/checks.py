"""System checks: refuse to start with a broken questionnaire file."""

from django.conf import settings
from django.core import checks

from .catalog import definition_files, validate_files


@checks.register()
def questionnaire_files_are_valid(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Validate every file in QUESTIONNAIRE_DIR, as `manage.py validate_questionnaires` does."""
    files = definition_files()
    if not files:
        return [
            checks.Warning(
                f"No questionnaire files in {settings.QUESTIONNAIRE_DIR}.",
                hint="Set QUESTIONNAIRE_DIR to the folder holding the .yaml definitions.",
                id="intake.W001",
            )
        ]
    _, errors = validate_files(files)
    return [checks.Error(str(error), id="intake.E001") for error in errors]
