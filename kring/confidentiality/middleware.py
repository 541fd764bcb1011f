"""Binds each request's client IP and request id to the audit log's writer.

A request id comes from an `X-Request-ID` header when it is a sane token (so a proxy's id
links our log to its log), else it is generated; it is sent back in the response. The
client IP is REMOTE_ADDR; X-Forwarded-For is trusted only behind a proxy we run
(`KRING_BEHIND_PROXY`), because anyone can send that header.
"""

import ipaddress
import re
import uuid

from django.conf import settings

from . import audit

SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@-]{8,64}$")


def request_id_of(request) -> str:
    offered = request.headers.get("X-Request-ID", "")
    if SANE_REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip_of(request) -> str | None:
    if getattr(settings, "KRING_BEHIND_PROXY", False):
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded:
            # Our proxy appends the address it saw: the last entry is the one to trust.
            trusted = _valid_ip(forwarded.split(",")[-1])
            if trusted:
                return trusted
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = audit.RequestContext(
            client_ip=client_ip_of(request), request_id=request_id_of(request)
        )
        request.request_id = context.request_id
        token = audit.bind_request(context)
        try:
            response = self.get_response(request)
        finally:
            audit.unbind_request(token)
        response.headers.setdefault("X-Request-ID", context.request_id)
        return response
