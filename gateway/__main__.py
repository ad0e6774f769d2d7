"""``tongban`` and ``python -m gateway``: the command line, its imports built as long-lived
objects (``gateway.gctuning``: ~130k of them, walked again and again by collections
otherwise)."""

from __future__ import annotations

from gateway import gctuning


def main() -> None:
    with gctuning.building():
        from gateway.cli import app
    app()


if __name__ == "__main__":
    main()
