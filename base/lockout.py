"""Sign-in locks (django-axes) that also stop password spraying.

Axes counts failures per lockout-parameter combination and compares the largest count with
one limit. The newsroom wants two limits: AXES_FAILURE_LIMIT failures for one username from
one address, and a higher AXES_ADDRESS_FAILURE_LIMIT for an address across every username
(one address trying a few passwords on many accounts). The address is the one rule of
base/clientip.py (AXES_CLIENT_IP_CALLABLE).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressAwareHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures < limit and self.address_failures(request) >= (
            settings.AXES_ADDRESS_FAILURE_LIMIT
        ):
            return limit  # the address is locked, whatever name it tries next
        return failures

    @staticmethod
    def address_failures(request) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
