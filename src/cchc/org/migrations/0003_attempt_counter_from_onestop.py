# The attempt counters of cchc.org.ratelimit move from the onestop app to org (the bottom app,
# which counts login attempts): only Django's state changes, the table keeps its name.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_unit_report_cutoff_day"),
        ("onestop", "0001_lookup_attempt"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AttemptCounter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("key", models.CharField(max_length=100, verbose_name="khóa")),
                        ("window", models.BigIntegerField(verbose_name="khung thời gian")),
                        ("count", models.PositiveIntegerField(default=0, verbose_name="số lần")),
                        (
                            "expires_at",
                            models.DateTimeField(db_index=True, verbose_name="hết hạn lúc"),
                        ),
                    ],
                    options={
                        "verbose_name": "bộ đếm lượt thử",
                        "verbose_name_plural": "bộ đếm lượt thử",
                        "db_table": "onestop_attemptcounter",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("key", "window"), name="attempt_counter_unique"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
