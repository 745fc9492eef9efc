"""WSGI entry point for gunicorn (`commonweal serve`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings.production")

application = get_wsgi_application()

# Everything loaded so far (Django, every app, its models and settings) lives as long as the process. Frozen, the
# garbage collector's full passes no longer walk it: they fell on about one request in three and took ~95 ms each
# (measured on the moderation page, issue 14), ~2 ms once frozen.
gc.freeze()
