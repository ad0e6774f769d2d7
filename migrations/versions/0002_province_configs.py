"""province configs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 15:39:45.464307
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "province_configs",
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("credentials_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("key_id", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )


def downgrade() -> None:
    op.drop_table("province_configs")
