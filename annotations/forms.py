"""TODO docstring."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from annotations.services.taxonomy import (
    patterns_validate,
)


class TagForm(forms.Form):
    key = forms.CharField(max_length=64)
    name = forms.CharField(max_length=120)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    colour = forms.CharField(
        max_length=7, initial="#888888", widget=forms.TextInput(attrs={"type": "color"})
    )
    hotkey = forms.CharField(max_length=1, required=False, strip=True)
    patterns = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        required=False,
        initial="[]",
        help_text=(
            "A JSON list of suggestion rules, each an object such as "
            '{"cue": "hedge", "confidence": 0.6} (see docs/suggestions.md).'
        ),
    )
    order = forms.IntegerField(min_value=0, required=False)
    is_active = forms.BooleanField(required=False, initial=True)

    def clean_patterns(self):
        try:
            return patterns_validate(self.cleaned_data["patterns"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["patterns"]) from exc
