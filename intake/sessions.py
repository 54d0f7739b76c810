"""Sessions in the database, read through Redis: renewed with one Redis command, kept in outages.

Sessions end after an idle time, so every request renews them (SESSION_SAVE_EVERY_REQUEST).
Redis answers the common case: a session is read from the cache, and when the request changed
nothing, pushing its cache expiry forward (`touch`) is the whole renewal; Redis answers whether
the session still exists, so one signed out elsewhere is not brought back.

The database copy is what survives Redis: Django's `cached_db` store writes every change there
first. It is rewritten when changed, and otherwise when its own expiry has less than half the idle
time left, so it never lapses before the patient idles out. When Redis is down or lost the
session (a restart), the session is read from the database and renewed there; a Redis failure
costs a short timeout, never the session.
"""

from __future__ import annotations

import time

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBSessionStore
from django.contrib.sessions.backends.db import SessionStore as DBSessionStore
from django.utils import timezone

from .outages import CACHE_ERRORS, note_cache_failure

# When the database copy was last written (Unix seconds), kept inside the session.
DB_SAVED_AT = "_db_saved_at"


class SessionStore(CachedDBSessionStore):
    def load(self) -> dict:
        try:
            data = self._cache.get(self.cache_key)
        except CACHE_ERRORS as error:
            note_cache_failure(error)
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        self._cache_quietly("set", data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def exists(self, session_key: str | None) -> bool:
        return DBSessionStore.exists(self, session_key)

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None or must_create or self.modified or self._db_copy_ageing():
            self._session[DB_SAVED_AT] = int(time.time())
            DBSessionStore.save(self, must_create=must_create)
            self._cache_quietly("set", self._session, self.get_expiry_age())
            return
        if self._cache_quietly("touch", self.get_expiry_age()):
            return
        # Redis is down or no longer holds the session: renew the database copy, if it exists.
        renewed = self.model.objects.filter(
            session_key=self.session_key, expire_date__gt=timezone.now()
        ).update(expire_date=self.get_expiry_date())
        if not renewed:
            raise UpdateError

    def delete(self, session_key: str | None = None) -> None:
        DBSessionStore.delete(self, session_key)
        key = session_key or self.session_key
        if key is not None:
            try:
                self._cache.delete(self.cache_key_prefix + key)
            except CACHE_ERRORS as error:
                note_cache_failure(error)

    def _db_copy_ageing(self) -> bool:
        saved_at = self._session.get(DB_SAVED_AT)
        return saved_at is None or time.time() - saved_at > self.get_expiry_age() / 2

    def _cache_quietly(self, operation: str, *args):
        """Run one cache call on this session's key; None when Redis is unavailable."""
        try:
            return getattr(self._cache, operation)(self.cache_key, *args)
        except CACHE_ERRORS as error:
            note_cache_failure(error)
            return None
