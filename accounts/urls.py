"""Account pages: sign-in steps, password change and reset, two-factor
set-up, the profile, and invitations to a project."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import invite_views, profile_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/2fa/verify/", views.verify_view, name="account-2fa-verify"),
    path("account/2fa/", views.twofactor_view, name="account-2fa"),
    path("account/2fa/setup/", views.twofactor_setup_view, name="account-2fa-setup"),
    path(
        "account/2fa/disable/", views.twofactor_disable_view, name="account-2fa-disable"
    ),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url="/account/password/done/",
        ),
        name="password_change",
    ),
    path("account/", profile_views.profile_view, name="account-profile"),
    path(
        "p/<slug:slug>/members/invite/",
        invite_views.invite_view,
        name="members-invite",
    ),
    path(
        "p/<slug:slug>/members/invite/<int:pk>/revoke/",
        invite_views.invite_revoke_view,
        name="members-invite-revoke",
    ),
    path("invite/<str:key>/", invite_views.invite_accept_view, name="invite-accept"),
    # Password reset from the login page: Django's views and signed tokens.
    path(
        "account/password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset_message.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url="/account/password/reset/sent/",
        ),
        name="password_reset",
    ),
    path(
        "account/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_reset_sent.html"
        ),
        name="password_reset_done",
    ),
    path(
        "account/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url="/account/password/reset/complete/",
        ),
        name="password_reset_confirm",
    ),
    path(
        "account/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
]
