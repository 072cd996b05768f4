"""Sign-in and the account flows of local accounts: password change, reset, first password.

A new account has no usable password: its owner sets one through a one-time link (the
invitation, or 비밀번호 찾기 before the first sign-in), or signs in through the directory.
An account an admin gave a password must choose its own at the first sign-in
(``org.middleware.PasswordChangeRequiredMiddleware`` keeps them on the change page).
"""

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy

from .forms import LoginForm, PasswordResetForm
from .models import StaffProfile
from .services import password_change_require

# Set at sign-in for an account that must choose its own password; cleared when it has.
MUST_CHANGE_SESSION_KEY = "org_must_change_password"


def must_change_password(user: AbstractBaseUser) -> bool:
    return StaffProfile.objects.filter(user_id=user.pk, must_change_password=True).exists()


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        if must_change_password(self.request.user):  # type: ignore[arg-type]
            self.request.session[MUST_CHANGE_SESSION_KEY] = True
            return redirect("password_change")
        return response


class LogoutView(auth_views.LogoutView):
    template_name = "registration/logged_out.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["must_change"] = bool(self.request.session.get(MUST_CHANGE_SESSION_KEY))
        return context

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        password_change_require(user=form.user, required=False)
        self.request.session.pop(MUST_CHANGE_SESSION_KEY, None)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Also the invitation's page: a new account sets its first password here."""

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        password_change_require(user=form.user, required=False)  # they chose it themselves
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
