"""Kring's own Dutch 404 page, also while DEBUG is on.

With DEBUG, Django answers an Http404 with its technical page (English, listing every URL
pattern). A person trying Kring with `make run` should see the page they will see in
production; the URL list stays available in Django's own error pages for real errors.
"""

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve

from .views import page_not_found


def kring_not_found_middleware(get_response):
    def middleware(request):
        if settings.DEBUG:
            # An address no URL pattern knows never reaches a view (nor process_exception).
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                return page_not_found(request)
        return get_response(request)

    def process_exception(request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None

    middleware.process_exception = process_exception
    return middleware
