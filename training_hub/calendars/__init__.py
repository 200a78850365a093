"""Calendar feeds: personal, per cooperative, per course and path, and one session as a download.

* :mod:`.feeds` — who sees which feed, resolving a request; :mod:`.contents` — which sessions a feed
  holds, and building it; :mod:`.versions` — its ETag and Last-Modified from one aggregate query;
* :mod:`.ical` — VEVENT and VCALENDAR from plain data; :mod:`.cache` — the per-worker caches;
* :mod:`.tokens` — the secret, revocable feed URLs; :mod:`.panel` — the profile's subscription links.
"""
