import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_exam_audience_curriculum")]

    operations = [
        migrations.AddField(
            model_name="question",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="updated at"
            ),
            preserve_default=False,
        ),
    ]
