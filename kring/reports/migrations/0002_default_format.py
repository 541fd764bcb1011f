from django.db import migrations


def load_default_format(apps, schema_editor):
    from kring.reports.defaults import load

    load(apps.get_model("reports", "ReportFormat"), apps.get_model("reports", "ReportFormatVersion"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_reports")]

    operations = [migrations.RunPython(load_default_format, migrations.RunPython.noop)]
