"""The `rest_oauth` family: JSON REST with OAuth2 client credentials.

See docs/protocols/rest-oauth.md.
"""
