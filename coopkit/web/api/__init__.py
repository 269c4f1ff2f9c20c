"""The JSON API, version 1, under ``/api/v1``; authenticated by bearer tokens."""
