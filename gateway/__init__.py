"""Tongban (通办): one API for inter-provincial government services."""

__version__ = "0.1.0"
