from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static

from .selectors import dashboard_for


@login_required
def dashboard(request):
    return render(request, "core/dashboard.html", dashboard_for(request.user))


def favicon(request):
    # Resolved per request: the static files' manifest exists only after collectstatic.
    return redirect(static("kring/favicon.svg"), permanent=True)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without context processors or database: they may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
