"""sealed case columns: results, counter record, delivery, leg reasons, event notes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 10:05:00

The columns become binary (``gateway.store.sealed``). Values already stored keep their
UTF-8 text, which the gateway reads as it is and seals when it next writes them; no key is
needed here. Downgrading is refused while any value is sealed: the old columns could only
hold it as bytes nobody reads.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table → (column, its type before)
COLUMNS: dict[str, list[tuple[str, sa.types.TypeEngine[object]]]] = {
    "cases": [("result", sa.JSON()), ("counter", sa.JSON()), ("delivery", sa.JSON())],
    "legs": [("reason", sa.Text()), ("result", sa.JSON())],
    "events": [("note", sa.Text())],
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            for column, before in columns:
                as_text = f"{column}::text" if isinstance(before, sa.JSON) else column
                batch_op.alter_column(
                    column,
                    existing_type=before,
                    type_=sa.LargeBinary(),
                    existing_nullable=True,
                    postgresql_using=f"convert_to({as_text}, 'UTF8')",
                )


def downgrade() -> None:
    bind = op.get_bind()
    # Sealed to the column (0x01) or, since, to the column and the row (0x02): store.sealed.
    first = "substr({c}, 1, 1) IN (x'01', x'02')"
    if bind.dialect.name == "postgresql":
        first = "substring({c} from 1 for 1) IN ('\\x01'::bytea, '\\x02'::bytea)"
    for table, columns in COLUMNS.items():
        for column, _ in columns:
            sealed = bind.execute(
                sa.text(f"SELECT count(*) FROM {table} WHERE {first.format(c=column)}")  # noqa: S608 - names from COLUMNS
            ).scalar_one()
            if sealed:
                raise RuntimeError(
                    f"{table}.{column} holds {sealed} sealed values: downgrading would leave "
                    "them unreadable"
                )
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            for column, before in columns:
                from_bytes = f"convert_from({column}, 'UTF8')"
                batch_op.alter_column(
                    column,
                    existing_type=sa.LargeBinary(),
                    type_=before,
                    existing_nullable=True,
                    postgresql_using=(
                        f"{from_bytes}::json" if isinstance(before, sa.JSON) else from_bytes
                    ),
                )
