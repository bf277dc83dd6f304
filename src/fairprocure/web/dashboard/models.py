"""Statistics per office × category × level × severity × likelihood band, kept current on every change.

The dashboard reads these few hundred rows instead of scanning millions of lines.
"""

from __future__ import annotations

from django.db import models


class CellStat(models.Model):
    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="cell_stats")
    category = models.CharField(max_length=80, blank=True)
    category_label = models.CharField(max_length=200, blank=True)
    level = models.CharField(max_length=10)
    severity = models.CharField(max_length=30, blank=True)
    likelihood_band = models.PositiveSmallIntegerField()  # 0: 0-20 ... 4: 80-100
    lines = models.BigIntegerField()
    spend_eur = models.FloatField()
    spend_known_origin_eur = models.FloatField()
    score_sum = models.FloatField(default=0.0)  # sum of the lines' risk scores: mean = score_sum / lines

    class Meta:
        indexes = [models.Index(fields=["office"], name="cellstat_office")]
