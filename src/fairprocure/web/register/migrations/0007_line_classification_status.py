from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0006_organisation_wide_rank"),
    ]

    operations = [
        migrations.AddField(
            model_name="line",
            name="classification_status",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name="line",
            name="category_candidates",
            field=models.TextField(blank=True),
        ),
    ]
