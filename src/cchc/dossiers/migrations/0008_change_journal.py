# The change journal that keeps the stored period counts exact (the units' stamps and their
# changes) moves from stats to dossiers, which write it: the models change app in the state,
# and their tables are renamed to the app's names (stats_statsstamp -> dossiers_statsstamp,
# stats_statschange -> dossiers_statschange), rows kept. cchc.stats' 0002 takes them out of
# its own state after this one.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0007_import_job'),
        ('org', '0002_unit_report_cutoff_day'),
        ('stats', '0001_period_counts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='StatsStamp',
                    fields=[
                        ('unit', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='stats_stamp', serialize=False, to='org.unit')),
                        ('value', models.PositiveBigIntegerField(default=0)),
                    ],
                    options={
                        'verbose_name': 'dấu thay đổi hồ sơ của đơn vị',
                        'verbose_name_plural': 'dấu thay đổi hồ sơ của đơn vị',
                        'db_table': 'stats_statsstamp',
                    },
                ),
                migrations.CreateModel(
                    name='StatsChange',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stamp', models.PositiveBigIntegerField()),
                        ('from_day', models.DateField()),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.unit')),
                    ],
                    options={
                        'indexes': [models.Index(fields=['unit', 'stamp'], name='statschange_unit_stamp')],
                        'db_table': 'stats_statschange',
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name='statsstamp', table=None),
        migrations.AlterModelTable(name='statschange', table=None),
    ]
