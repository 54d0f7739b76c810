"""The invitation form."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from ..catalog import current_versions
from ..services import birth_date_problem


class InvitationForm(forms.Form):
    patient_name = forms.CharField(label="Patient name", max_length=200)
    date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The patient confirms it before seeing the form. Leave empty to skip the check.",
    )
    clinic_reference = forms.CharField(
        label="Clinic reference",
        max_length=64,
        required=False,
        help_text="For example the chart or appointment number.",
    )
    questionnaires = forms.MultipleChoiceField(
        label="Questionnaires", widget=forms.CheckboxSelectMultiple
    )
    expires_in_days = forms.IntegerField(
        label="Link valid for (days)", min_value=1, max_value=90, initial=14
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.slug, v.title) for v in current_versions()]
        self.fields["questionnaires"].choices = choices
        self.fields["questionnaires"].initial = [slug for slug, _ in choices]

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        problem = birth_date_problem(born, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return born

    def clean_questionnaires(self):
        chosen = self.cleaned_data["questionnaires"]
        order = [slug for slug, _ in self.fields["questionnaires"].choices]
        return [slug for slug in order if slug in chosen]
