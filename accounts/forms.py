"""Account forms: the one-time code of two-factor sign-in (set-up, verify,
disable), invitations, the invited person's sign-up and the profile."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from projects.models import Role


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


class InviteForm(forms.Form):
    """The members page's invitation: who (by email) and with which role."""

    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.ANALYST, label="Role")


class InviteSignupForm(UserCreationForm):
    """The account an invited person creates; the email is the invitation's."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "first_name", "last_name")


class ProfileForm(forms.Form):
    """The user's own name and email (the username, cited by history, stays)."""

    first_name = forms.CharField(required=False, max_length=150, label="First name")
    last_name = forms.CharField(required=False, max_length=150, label="Last name")
    email = forms.EmailField(required=False, max_length=254, label="Email address")
