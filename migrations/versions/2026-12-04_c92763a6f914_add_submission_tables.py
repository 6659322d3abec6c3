"""Add the submission tables, unique per form on instanceID so none is stored twice.

Revision ID: c92763a6f914
Revises: bcc9877dd974
Create Date: 2026-12-04 14:28:12.942174
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c92763a6f914"
down_revision: str | None = "bcc9877dd974"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.String(length=255), nullable=False),
        sa.Column("current_def_id", sa.Integer(), nullable=True),
        sa.Column("submitter_id", sa.Integer(), nullable=True),
        sa.Column("device_id", sa.String(length=255), nullable=True),
        sa.Column("user_agent", sa.String(length=1000), nullable=True),
        sa.Column("review_state", sa.String(length=16), nullable=True),
        sa.Column("invalid_characters", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["form.id"],
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.ForeignKeyConstraint(
            ["submitter_id"],
            ["actor.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("form_id", "instance_id", name="uq_submission_instance"),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(
            "ix_submission_form_created", ["form_id", "created_at"], unique=False
        )

    op.create_table(
        "submission_def",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("form_def_id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.String(length=255), nullable=False),
        sa.Column("deprecated_id", sa.String(length=255), nullable=True),
        sa.Column("xml", sa.LargeBinary(), nullable=False),
        sa.Column("instance_name", sa.String(length=1000), nullable=True),
        sa.Column("submitter_id", sa.Integer(), nullable=True),
        sa.Column("device_id", sa.String(length=255), nullable=True),
        sa.Column("user_agent", sa.String(length=1000), nullable=True),
        sa.Column("encrypted", sa.Boolean(), nullable=False),
        sa.Column("invalid_characters", sa.Boolean(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["form_def_id"],
            ["form_def.id"],
        ),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["form.id"],
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
        ),
        sa.ForeignKeyConstraint(
            ["submitter_id"],
            ["actor.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "form_id", "deprecated_id", name="uq_submission_def_deprecated"
        ),
        sa.UniqueConstraint("form_id", "instance_id", name="uq_submission_def_instance"),
    )
    with op.batch_alter_table("submission_def", schema=None) as batch_op:
        batch_op.create_index(
            "ix_submission_def_submission", ["submission_id"], unique=False
        )

    op.create_table(
        "submission_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_def_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("blob_id", sa.Integer(), nullable=True),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["blob_id"],
            ["blob.id"],
        ),
        sa.ForeignKeyConstraint(
            ["submission_def_id"],
            ["submission_def.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_def_id", "name", name="uq_submission_attachment"),
    )


def downgrade() -> None:
    op.drop_table("submission_attachment")
    with op.batch_alter_table("submission_def", schema=None) as batch_op:
        batch_op.drop_index("ix_submission_def_submission")

    op.drop_table("submission_def")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index("ix_submission_form_created")

    op.drop_table("submission")
