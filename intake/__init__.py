"""The patient intake service: a Django project with one app."""
