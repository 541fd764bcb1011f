"""Content leaves the database only through the policy's audited readers.

The scan fails when code outside the policy (and the services that write content) queries
a content model, or when a view records reads itself; so a future view cannot forget the
check or the audit entry.
"""

import re
from pathlib import Path

from django.db.models import ForeignKey

from kring.confidentiality import policy

KRING = Path(__file__).resolve().parents[2] / "kring"

# Writers and definitions; the admin lists rows without content (ContentHidingAdmin); the
# demo writes its own sample cases.
ALLOWED = {
    "confidentiality/policy.py",
    "meetings/models.py",
    "meetings/services.py",
    "evaluation/services.py",
    "meetings/admin.py",
    "core/demo.py",
    "meetings/demo_cases.py",
    "reports/services.py",
    "reports/demo.py",
    "records/services.py",
    "records/demo.py",
}
QUERYSET_METHODS = (
    "all|filter|exclude|get|create|count|first|last|select_related|prefetch_related|"
    "order_by|values|values_list|exists|iterator|update|delete|aggregate|annotate|in_bulk"
)


def _patterns():
    patterns = []
    for model in policy.CONTENT_MODELS:
        name = model.__name__
        patterns.append(re.compile(rf"\b{name}\.(objects|_default_manager|_base_manager)\b"))
        for field in model._meta.get_fields():
            if isinstance(field, ForeignKey) and field.remote_field.related_name:
                accessor = field.remote_field.related_name
                patterns.append(re.compile(rf"\.{accessor}\.({QUERYSET_METHODS})\b"))
    return patterns


def _python_sources():
    for path in KRING.rglob("*.py"):
        relative = path.relative_to(KRING).as_posix()
        if "/migrations/" in relative or relative in ALLOWED:
            continue
        yield relative, path.read_text()


def test_no_code_outside_the_policy_queries_content():
    patterns = _patterns()
    offences = []
    for relative, text in _python_sources():
        for number, line in enumerate(text.splitlines(), 1):
            code = line.split("#", 1)[0]
            for pattern in patterns:
                if pattern.search(code):
                    offences.append(f"{relative}:{number}: {line.strip()}")
    assert not offences, "content read outside the audited readers:\n" + "\n".join(offences)


def test_no_template_walks_to_content():
    accessors = [
        field.remote_field.related_name
        for model in policy.CONTENT_MODELS
        for field in model._meta.get_fields()
        if isinstance(field, ForeignKey) and field.remote_field.related_name
    ]
    offences = []
    for path in (KRING / "templates").rglob("*.html"):
        text = path.read_text()
        for accessor in accessors:
            for match in re.finditer(r"\{[{%][^}]*\}", text):
                if re.search(rf"\.{accessor}\b", match.group()):
                    offences.append(f"{path.relative_to(KRING)}: {match.group()}")
    assert not offences, "templates reaching content directly:\n" + "\n".join(offences)


def test_no_view_records_reads_itself():
    offences = [
        relative
        for relative, text in _python_sources()
        if relative != "confidentiality/audit.py" and re.search(r"\brecord_read\(", text)
    ]
    assert not offences, f"reads recorded outside the policy's readers: {offences}"


def test_the_scan_recognises_a_content_query():
    """The patterns are live: they catch what a careless view would write."""
    careless = [
        "cases = Case.objects.filter(group=group)",
        "for case in group.cases.all():",
        "entries = request.user.learning_log.order_by('-created_at')",
    ]
    patterns = _patterns()
    for line in careless:
        assert any(p.search(line) for p in patterns), line
