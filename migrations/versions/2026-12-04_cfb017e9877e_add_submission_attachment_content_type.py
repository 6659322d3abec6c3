"""Keep the Content-Type a device sent with each submission attachment.

Revision ID: cfb017e9877e
Revises: c92763a6f914
Create Date: 2026-12-04 17:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "cfb017e9877e"
down_revision: str | None = "c92763a6f914"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("submission_attachment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("content_type", sa.String(length=255), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("submission_attachment", schema=None) as batch_op:
        batch_op.drop_column("content_type")
