from django.contrib import admin

from fairprocure.web.accounts.models import ApiToken, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "office", "all_offices"]
    list_filter = ["role", "office"]

    def save_model(self, request, obj, form, change) -> None:
        obj._changed_by = request.user.username
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "prefix", "created", "revoked"]
    readonly_fields = ["user", "digest", "prefix", "created"]
