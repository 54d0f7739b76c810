"""Sessions in the cache (Redis), renewed without being rewritten.

Sessions end after an idle time, so every request renews them (SESSION_SAVE_EVERY_REQUEST).
Django's cache sessions renew by reading the session back to see that it still exists and
writing all of it again: two Redis round trips and a serialisation on every page. When the
request changed nothing, pushing the expiry forward is enough; Redis answers whether the
session still exists, so one signed out elsewhere is not brought back.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore


class SessionStore(CacheSessionStore):
    def save(self, must_create: bool = False) -> None:
        if self.session_key is None or must_create or self.modified:
            return super().save(must_create=must_create)
        if not self._cache.touch(self.cache_key, self.get_expiry_age()):
            raise UpdateError
        return None
