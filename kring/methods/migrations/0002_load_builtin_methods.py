from django.db import migrations


def load_builtin_methods(apps, schema_editor):
    from kring.methods.builtin import load

    load(apps.get_model("methods", "Method"), apps.get_model("methods", "MethodVersion"))


class Migration(migrations.Migration):
    dependencies = [("methods", "0001_methods_and_versions")]

    operations = [migrations.RunPython(load_builtin_methods, migrations.RunPython.noop)]
