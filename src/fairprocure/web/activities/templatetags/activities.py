from django import template

from fairprocure.web.activities.models import ROLES

register = template.Library()


@register.filter
def role_labels(keys) -> str:
    return "; ".join(str(ROLES.get(k, k)) for k in keys or [])
