from django.contrib import admin

from fairprocure.web.offices.models import Office, Organisation

admin.site.register(Organisation)
admin.site.register(Office, list_display=["code", "name", "country", "currency", "organisation"])
