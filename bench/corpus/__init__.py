"""`make corpus`: generating from real public OpenAPI documents, ours beside
openapi-python-client. See `__main__.py`."""
