"""The `form_sm3` family: signed form posts to an open-platform gateway (HMAC-SM3).

See docs/protocols/form-sm3.md.
"""
