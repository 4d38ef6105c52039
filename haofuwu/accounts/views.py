"""Log-in, log-out and API tokens pages."""

from __future__ import annotations

import contextlib

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from haofuwu.accounts import selectors, services
from haofuwu.accounts.forms import LoginForm, TokenForm
from haofuwu.core.errors import DomainError, ValidationFailed


def login_view(request: HttpRequest) -> HttpResponse:
    """Username and password, throttled; the error shows beside the form."""
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_authenticate(
                request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except ValidationFailed as error:
            form.add_error(None, error.message)
            status = 429 if isinstance(error, services.LockedOut) else 200
        else:
            login(request, user)
            target = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = ""
            return redirect(target or "core:home")
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """List, create (shown once) and revoke the user's API tokens."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST":
        if "revoke" in request.POST:
            with contextlib.suppress(ValueError, DomainError):
                services.api_token_revoke(actor=request.user, token_id=int(request.POST["revoke"]))
            return redirect("accounts:tokens")
        if form.is_valid():
            _token, created = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"] or None
            )
            form = TokenForm()
    tokens = selectors.api_token_list(user=request.user)
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "created": created})
