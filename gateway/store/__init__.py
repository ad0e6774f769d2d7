"""Persistence: SQLAlchemy 2 async tables and the repositories over them."""
