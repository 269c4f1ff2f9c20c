"""The Litestar application: server-rendered pages and the JSON API."""
