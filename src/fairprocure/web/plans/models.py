"""Action plans per office and year: goals, actions (the roadmap), approval; the action library."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ActionPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="action_plans")
    year = models.PositiveIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-year", "office__code"]
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="one_plan_per_office_year")]

    def __str__(self) -> str:
        return f"{self.office.code} {self.year}"

    @property
    def approved(self) -> bool:
        return self.status == self.Status.APPROVED


class Goal(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    evidence = models.TextField(_("evidence"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    contracts = models.ManyToManyField("contracts.Contract", blank=True, related_name="actions")
    suppliers = models.JSONField(_("suppliers"), default=list, blank=True)  # names as in the register
    categories = models.JSONField(_("categories"), default=list, blank=True)  # taxonomy category ids
    library_key = models.CharField(max_length=80, blank=True)  # the library entry it came from
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def overdue(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return self.status in self.OPEN and self.due_date is not None and self.due_date < today

    @property
    def is_overdue(self) -> bool:
        return self.overdue()


class LibraryAction(models.Model):
    """An action the organisation suggests for a category's risk; seeded from ``library.toml``, then its own."""

    key = models.SlugField(max_length=80, unique=True)
    categories = models.JSONField(default=list)  # taxonomy ids; ["*"] for every high-risk contract
    theme = models.CharField(max_length=40)  # see library.THEMES
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    text_en = models.TextField(_("text (English)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    sources = models.JSONField(default=list)  # [{"name", "url"}]
    active = models.BooleanField(_("suggest it"), default=True)
    edited = models.BooleanField(default=False)  # changed by the organisation since it was shipped

    class Meta:
        ordering = ["theme", "key"]

    def __str__(self) -> str:
        return self.key

    @property
    def title(self) -> str:
        return self.title_ru if (get_language() or "en").startswith("ru") and self.title_ru else self.title_en

    @property
    def text(self) -> str:
        return self.text_ru if (get_language() or "en").startswith("ru") and self.text_ru else self.text_en
