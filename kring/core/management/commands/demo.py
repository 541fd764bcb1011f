from django.core.management.base import BaseCommand

from kring.core.demo import DEMO_PASSWORD, LOGINS, load_demo


class Command(BaseCommand):
    help = "Load the demo organisation, programme and groups (idempotent)."

    def handle(self, *args, **options):
        if load_demo():
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write("Demo data is already there; nothing changed.")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for email, role in LOGINS:
            self.stdout.write(f"  {email:<34} {role}")
