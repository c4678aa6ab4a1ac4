"""API keys and request limits. Kept apart from base/api.py: REST framework imports this module
while it is still loading its own views."""

import hashlib

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.throttling import SimpleRateThrottle

from .clientip import client_network
from .models import ApiKey, hash_key

API_KEY_HEADER = "HTTP_X_API_KEY"


class ApiKeyAuthentication(BaseAuthentication):
    """`X-Api-Key: <key>` identifies a partner; without it a request is anonymous."""

    def authenticate(self, request):
        raw = request.META.get(API_KEY_HEADER, "").strip()
        if not raw:
            return None
        key = ApiKey.objects.active().filter(key_hash=hash_key(raw)).first()
        if key is None:
            raise exceptions.AuthenticationFailed("This API key is not valid or was revoked.")
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        return (None, key)

    def authenticate_header(self, request) -> str:
        return "X-Api-Key"


class ReadThrottle(SimpleRateThrottle):
    """Anonymous reads are counted per address (scope `anon`), keyed reads per key (`key`)."""

    def get_ident(self, request) -> str:
        # REST framework's own reading trusts X-Forwarded-For unless NUM_PROXIES is set;
        # the site has one rule for every limit.
        return client_network(request)

    def get_rate(self):
        return None  # decided per request in allow_request

    def allow_request(self, request, view):
        self.scope = "key" if isinstance(request.auth, ApiKey) else "anon"
        self.rate = self.THROTTLE_RATES[self.scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey):
            ident = f"key-{request.auth.pk}"
        else:
            address = self.get_ident(request)
            ident = hashlib.sha256(address.encode()).hexdigest()[:32]
        return f"throttle_{self.scope}_{ident}"
