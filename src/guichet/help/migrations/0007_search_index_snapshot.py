from django.db import migrations, models
import django.utils.timezone


class Migration(migrations.Migration):
    dependencies = [("help", "0006_buytech_two_payments")]

    operations = [
        migrations.CreateModel(
            name="SearchIndexSnapshot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(default="help", max_length=32, unique=True)),
                ("version", models.CharField(max_length=64)),
                ("stamp", models.CharField(max_length=128)),
                ("embedding_model", models.CharField(blank=True, max_length=64)),
                ("documents", models.PositiveIntegerField(default=0)),
                ("payload", models.BinaryField()),
                ("built_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={"verbose_name": "search index", "verbose_name_plural": "search indexes"},
        ),
    ]
