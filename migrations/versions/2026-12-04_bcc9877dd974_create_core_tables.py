"""Create the core tables: actors, users, sessions, projects, roles, forms, blobs, audits.

The role rows are seeded here because role ids are part of the API (pyodk assigns
app users with role id 2).

Revision ID: bcc9877dd974
Revises:
Create Date: 2026-12-04 13:51:39.359086
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "bcc9877dd974"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "blob",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("md5", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index("ix_login_failure_email_at", ["email", "at"], unique=False)

    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("actee_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("actee_id"),
    )
    op.create_table(
        "actor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("actee_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("actee_id"),
    )
    with op.batch_alter_table("actor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_actor_project_id"), ["project_id"], unique=False
        )
    op.create_table(
        "role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("system", sa.String(length=50), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("system"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("actee_id", sa.String(length=36), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_action_logged_at", ["action", "logged_at"], unique=False
        )
        batch_op.create_index("ix_audit_logged_at", ["logged_at"], unique=False)

    op.create_table(
        "form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("xml_form_id", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("current_def_id", sa.Integer(), nullable=True),
        sa.Column("draft_def_id", sa.Integer(), nullable=True),
        sa.Column("actee_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("actee_id"),
        sa.UniqueConstraint("project_id", "xml_form_id", name="uq_form_id"),
    )
    with op.batch_alter_table("form", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_form_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
        ),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.create_index("ix_session_actor_id", ["actor_id"], unique=False)

    op.create_table(
        "user",
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
        ),
        sa.PrimaryKeyConstraint("actor_id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "field_key",
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=128), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["actor.id"]),
        sa.PrimaryKeyConstraint("actor_id"),
    )
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("form_id", sa.Integer(), nullable=True),
        sa.Column("scope_key", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
        ),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["form.id"],
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["role.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("actor_id", "role_id", "scope_key", name="uq_assignment"),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index("ix_assignment_actor", ["actor_id"], unique=False)

    op.create_table(
        "form_def",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("xml", sa.Text(), nullable=False),
        sa.Column("title", sa.String(length=1000), nullable=True),
        sa.Column("version", sa.String(length=1000), nullable=False),
        sa.Column("md5", sa.String(length=32), nullable=False),
        sa.Column("sha1", sa.String(length=40), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("xls_blob_id", sa.Integer(), nullable=True),
        sa.Column("xls_content_type", sa.String(length=255), nullable=True),
        sa.Column("draft_token", sa.String(length=64), nullable=True),
        sa.Column("key_id", sa.Integer(), nullable=True),
        sa.Column("entities", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["form.id"],
        ),
        sa.ForeignKeyConstraint(
            ["xls_blob_id"],
            ["blob.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("form_def", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_form_def_form_id"), ["form_id"], unique=False
        )
        batch_op.create_index(
            "uq_form_def_published_version",
            ["form_id", "version"],
            unique=True,
            sqlite_where=sa.text("published_at IS NOT NULL"),
            postgresql_where=sa.text("published_at IS NOT NULL"),
        )

    op.create_table(
        "form_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_def_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("blob_id", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=255), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["blob_id"],
            ["blob.id"],
        ),
        sa.ForeignKeyConstraint(
            ["form_def_id"],
            ["form_def.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("form_def_id", "name", name="uq_form_attachment"),
    )
    with op.batch_alter_table("form_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_form_attachment_form_def_id"), ["form_def_id"], unique=False
        )

    role = sa.table(
        "role", sa.column("id", sa.Integer), sa.column("name"), sa.column("system")
    )
    op.bulk_insert(
        role,
        [
            {"id": 1, "name": "Administrator", "system": "admin"},
            {"id": 2, "name": "App User", "system": "app-user"},
            {"id": 3, "name": "Project Manager", "system": "manager"},
            {"id": 4, "name": "Project Viewer", "system": "viewer"},
            {"id": 5, "name": "Data Collector", "system": "formfill"},
            {"id": 6, "name": "Data Manager", "system": "datamanager"},
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("form_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_attachment_form_def_id"))

    op.drop_table("form_attachment")
    with op.batch_alter_table("form_def", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_form_def_published_version",
            sqlite_where=sa.text("published_at IS NOT NULL"),
            postgresql_where=sa.text("published_at IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_form_def_form_id"))

    op.drop_table("form_def")
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index("ix_assignment_actor")

    op.drop_table("assignment")
    op.drop_table("field_key")
    op.drop_table("user")
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_index("ix_session_actor_id")

    op.drop_table("session")
    with op.batch_alter_table("form", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_project_id"))

    op.drop_table("form")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_logged_at")
        batch_op.drop_index("ix_audit_action_logged_at")

    op.drop_table("audit")
    op.drop_table("role")
    with op.batch_alter_table("actor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actor_project_id"))

    op.drop_table("actor")
    op.drop_table("project")
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failure_email_at")

    op.drop_table("login_failure")
    op.drop_table("blob")
