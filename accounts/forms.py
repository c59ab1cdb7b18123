"""The one-time code forms of two-factor sign-in (set-up, verify, disable)."""

from __future__ import annotations

from django import forms


class TokenForm(forms.Form):
    """A code from the user's authenticator app, spaces allowed ("123 456").

    A code that is not digits is refused here; whether it is *right* is up to
    the device, so every refusal reads the same to the user.
    """

    token = forms.CharField(max_length=16, label="Code")

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("Enter the digits your app shows.")
        return token
