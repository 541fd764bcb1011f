"""Walk the audit log's hash chain and report the first broken link (exit status 1)."""

from django.core.management.base import BaseCommand, CommandError

from kring.confidentiality.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain: 'intact, N entries' or the first broken link."

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            default="",
            help="a last hash noted earlier outside the database: the chain must pass it",
        )

    def handle(self, *args, **options):
        report = verify_chain(anchor=options["anchor"])
        if not report.intact:
            raise CommandError(
                f"Audit log broken at entry {report.broken_at} ({report.code}): "
                f"{report.problem}. {report.entries} entries before it are intact.",
                returncode=1,
            )
        self.stdout.write(
            f"Audit log intact, {report.entries} entries. Last hash: {report.last_hash}"
        )
