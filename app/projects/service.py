"""Projects and role assignments."""

from typing import Any

from sqlmodel import Session, col, select

from app import errors
from app.audits import service as audits
from app.core import text
from app.core.timeutil import iso, utcnow
from app.forms.models import Form
from app.projects.models import Assignment, Project, Role
from app.projects.roles import ROLE_VERBS
from app.users.models import Actor
from app.users.service import check_not_last_admin


def create_project(
    db: Session, name: str, *, by_actor_id: int | None, description=None
) -> Project:
    name = name.strip()
    if not name:
        raise errors.unexpected_value("name", name, "a project needs a non-empty name")
    text.check("name", name, text.MAX_NAME)
    if description is not None:
        text.check("description", description, text.MAX_DESCRIPTION, multiline=True)
    project = Project(name=name, description=description)
    db.add(project)
    db.flush()
    audits.record(
        db,
        "project.create",
        actor_id=by_actor_id,
        actee_id=project.actee_id,
        project_id=project.id,
        details={"data": {"name": name}},
    )
    return project


def get_project(db: Session, project_id: int) -> Project:
    project = db.get(Project, project_id)
    if project is None or project.deleted_at is not None:
        raise errors.not_found("project", project_id)
    return project


def project_json(project: Project) -> dict[str, Any]:
    return {
        "id": project.id,
        "name": project.name,
        "description": project.description,
        "archived": project.archived,
        "keyId": None,
        "createdAt": iso(project.created_at),
        "updatedAt": iso(project.updated_at),
        "deletedAt": iso(project.deleted_at),
    }


def update_project(
    db: Session, project: Project, changes: dict[str, Any], *, by_actor_id: int
) -> None:
    if "name" in changes:
        if not isinstance(changes["name"], str) or not changes["name"].strip():
            raise errors.unexpected_value(
                "name", changes["name"], "a project needs a non-empty name"
            )
        project.name = text.check("name", changes["name"].strip(), text.MAX_NAME)
    if "description" in changes:
        description = changes["description"]
        if description is not None and not isinstance(description, str):
            raise errors.unexpected_value(
                "description", description, "expected a string or null"
            )
        if description is not None:
            text.check("description", description, text.MAX_DESCRIPTION, multiline=True)
        project.description = description
    if "archived" in changes:
        if not isinstance(changes["archived"], bool):
            raise errors.unexpected_value(
                "archived", changes["archived"], "expected true or false"
            )
        project.archived = changes["archived"]
    project.updated_at = utcnow()
    audits.record(
        db,
        "project.update",
        actor_id=by_actor_id,
        actee_id=project.actee_id,
        project_id=project.id,
        details={"data": changes},
    )


def resolve_role(db: Session, role_ref: str) -> Role:
    """Find a role by numeric id or by system name (``manager``, ``app-user``)."""
    role = (
        db.get(Role, int(role_ref))
        if role_ref.isdigit()
        else db.exec(select(Role).where(Role.system == role_ref)).first()
    )
    if role is None:
        raise errors.not_found("role", role_ref)
    return role


def role_json(role: Role) -> dict[str, Any]:
    return {
        "id": role.id,
        "name": role.name,
        "system": role.system,
        "verbs": ROLE_VERBS.get(role.system, []),
        "createdAt": None,
        "updatedAt": None,
    }


def scope_key(project_id: int | None, form_id: int | None) -> str:
    if form_id is not None:
        return f"form:{form_id}"
    if project_id is not None:
        return f"project:{project_id}"
    return "site"


def assign(
    db: Session,
    role: Role,
    actor_id: int,
    *,
    project: Project | None = None,
    form: Form | None = None,
    by_actor_id: int,
) -> Assignment:
    """Give ``actor_id`` the role site-wide, on a project, or on one form."""
    actor = db.get(Actor, actor_id)
    if actor is None or actor.deleted_at is not None:
        raise errors.not_found("actor", actor_id)
    if role.system == "admin" and (project is not None or form is not None):
        raise errors.unexpected_value(
            "roleId", role.id, "the admin role is site-wide only"
        )
    if project is not None:
        project_id = project.id
    elif form is not None:
        project_id = form.project_id
    else:
        project_id = None
    if actor.type == "field_key" and actor.project_id != project_id:
        # An app user's token is scoped by its roles, so a role elsewhere would let it
        # reach a project it was never created in.
        raise errors.not_found("app user", actor_id)
    if actor.type == "field_key" and role.system != "app-user":
        raise errors.unexpected_value(
            "roleId", role.id, "app users can only hold the app-user role"
        )
    if form is not None and role.system != "app-user":
        raise errors.unexpected_value(
            "roleId", role.id, "forms can only be assigned with the app-user role (id 2)"
        )
    key = scope_key(project_id if form is None else None, form.id if form else None)
    existing = db.exec(
        select(Assignment).where(
            Assignment.actor_id == actor_id,
            Assignment.role_id == role.id,
            Assignment.scope_key == key,
        )
    ).first()
    if existing is not None:
        raise errors.uniqueness_violation("actorId, roleId", f"{actor_id}, {role.id}")
    assignment = Assignment(
        actor_id=actor_id,
        role_id=role.id,
        project_id=project_id if form is None else None,
        form_id=form.id if form else None,
        scope_key=key,
    )
    db.add(assignment)
    audits.record(
        db,
        "user.assignment.create",
        actor_id=by_actor_id,
        actee_id=actor.actee_id,
        project_id=project_id,
        details={"roleId": role.id, "grantedActorId": actor_id, "scope": key},
    )
    return assignment


def unassign(
    db: Session,
    role: Role,
    actor_id: int,
    *,
    project_id: int | None = None,
    form_id: int | None = None,
    by_actor_id: int,
) -> None:
    key = scope_key(project_id if form_id is None else None, form_id)
    existing = db.exec(
        select(Assignment).where(
            Assignment.actor_id == actor_id,
            Assignment.role_id == role.id,
            Assignment.scope_key == key,
        )
    ).first()
    if existing is None:
        raise errors.not_found("assignment", f"{role.system} for actor {actor_id}")
    if role.system == "admin" and key == "site":
        check_not_last_admin(db, actor_id)
    db.delete(existing)
    actor = db.get(Actor, actor_id)
    audits.record(
        db,
        "user.assignment.delete",
        actor_id=by_actor_id,
        actee_id=actor.actee_id if actor else None,
        project_id=project_id,
        details={"roleId": role.id, "revokedActorId": actor_id, "scope": key},
    )


def list_assignments(
    db: Session,
    *,
    project_id: int | None = None,
    form_id: int | None = None,
    role_id: int | None = None,
) -> list[Assignment]:
    key = scope_key(project_id if form_id is None else None, form_id)
    query = select(Assignment).where(Assignment.scope_key == key)
    if role_id is not None:
        query = query.where(Assignment.role_id == role_id)
    return list(db.exec(query.order_by(col(Assignment.id))))


def visible_projects(db: Session, project_ids: set[int] | None) -> list[Project]:
    """All live projects, or those among ``project_ids`` (None means every project)."""
    query = select(Project).where(col(Project.deleted_at).is_(None))
    if project_ids is not None:
        query = query.where(col(Project.id).in_(project_ids or {-1}))
    return list(db.exec(query.order_by(col(Project.name))))
