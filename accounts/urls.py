"""Account pages: sign-in steps, password change and two-factor set-up."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

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
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
]
