"""The account registry's form."""

from __future__ import annotations

from django import forms

from corpus.models import SocialAccount


class SocialAccountForm(forms.ModelForm):
    """Register or edit an account: handle -> claimant and claimant type."""

    class Meta:
        model = SocialAccount
        fields = ["platform", "handle", "claimant", "claimant_type", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
