"""Projects, roles and role assignments, on ODK Central's paths."""

from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel
from sqlmodel import Session, func, select

from app import errors
from app.auth import Authorize, Principal
from app.core import text
from app.core.db import get_session
from app.core.timeutil import utcnow
from app.forms.models import Form
from app.projects import service
from app.projects.models import Assignment, Role
from app.projects.roles import ROLE_VERBS

router = APIRouter(prefix="/v1", tags=["projects"])


class ProjectCreate(BaseModel):
    name: text.Name
    description: text.Description | None = None


def _assignment_json(assignment: Assignment) -> dict[str, Any]:
    return {"actorId": assignment.actor_id, "roleId": assignment.role_id}


def _check_may_grant(principal: Principal, role: Role, project_id: int | None) -> None:
    """A caller may only hand out verbs it has itself, as in ODK Central."""
    for verb in ROLE_VERBS.get(role.system, []):
        if verb == "*" and not principal.is_admin:
            raise errors.insufficient_rights("assignment.create")
        if verb != "*" and not principal.can(verb, project_id):
            raise errors.insufficient_rights(verb)


@router.get("/projects")
def list_projects(
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("project.list", scope="self")),
):
    """List the projects the caller may see."""
    visible = None if principal.is_admin else principal.project_ids()
    projects = service.visible_projects(db, visible)
    extended = request.headers.get("x-extended-metadata", "").lower() == "true"
    result = []
    for project in projects:
        body = service.project_json(project)
        if extended:
            body["forms"] = db.exec(
                select(func.count())
                .select_from(Form)
                .where(
                    Form.project_id == project.id,
                    Form.deleted_at == None,  # noqa: E711
                )
            ).one()
        result.append(body)
    return result


@router.post("/projects")
def create_project(
    body: ProjectCreate,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("project.create", scope="site")),
):
    """Create a project."""
    project = service.create_project(
        db, body.name, by_actor_id=principal.actor.id, description=body.description
    )
    db.commit()
    return service.project_json(project)


@router.get("/projects/{project_id}")
def get_project(
    project_id: int,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("project.read")),
):
    """One project."""
    return service.project_json(service.get_project(db, project_id))


@router.patch("/projects/{project_id}")
def update_project(
    project_id: int,
    changes: dict[str, Any] = Body(...),
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("project.update")),
):
    """Rename, describe, archive or unarchive a project."""
    allowed = {"name", "description", "archived"}
    unknown = set(changes) - allowed
    if unknown:
        field = sorted(unknown)[0]
        raise errors.Problem(
            400.4,
            f"Field '{field}' cannot be changed here; "
            f"send only {', '.join(sorted(allowed))}.",
            {"field": field},
        )
    project = service.get_project(db, project_id)
    service.update_project(db, project, changes, by_actor_id=principal.actor.id)
    db.commit()
    return service.project_json(project)


@router.delete("/projects/{project_id}")
def delete_project(
    project_id: int,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("project.delete")),
):
    """Delete a project. Its data stays in the database but no route serves it."""
    project = service.get_project(db, project_id)
    project.deleted_at = utcnow()
    from app.audits import service as audits

    audits.record(
        db,
        "project.delete",
        actor_id=principal.actor.id,
        actee_id=project.actee_id,
        project_id=project.id,
    )
    db.commit()
    return {"success": True}


@router.get("/roles")
def list_roles(
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("role.list", scope="self")),
):
    """List the roles and the verbs each grants."""
    return [service.role_json(role) for role in db.exec(select(Role).order_by(Role.id))]


@router.get("/roles/{role_ref}")
def get_role(
    role_ref: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("role.read", scope="self")),
):
    """Return one role, by id or system name."""
    return service.role_json(service.resolve_role(db, role_ref))


@router.get("/assignments")
def list_site_assignments(
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("assignment.list", scope="site")),
):
    """Site-wide role assignments."""
    return [_assignment_json(a) for a in service.list_assignments(db)]


@router.get("/assignments/{role_ref}")
def list_site_assignments_for_role(
    role_ref: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("assignment.list", scope="site")),
):
    """Site-wide assignments of one role."""
    role = service.resolve_role(db, role_ref)
    return [_assignment_json(a) for a in service.list_assignments(db, role_id=role.id)]


@router.post("/assignments/{role_ref}/{actor_id}")
def assign_site_role(
    role_ref: str,
    actor_id: int,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("assignment.create", scope="site")),
):
    """Give an actor a site-wide role (administrator)."""
    role = service.resolve_role(db, role_ref)
    service.assign(db, role, actor_id, by_actor_id=principal.actor.id)
    db.commit()
    return {"success": True}


@router.delete("/assignments/{role_ref}/{actor_id}")
def unassign_site_role(
    role_ref: str,
    actor_id: int,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("assignment.delete", scope="site")),
):
    """Take a site-wide role away from an actor."""
    role = service.resolve_role(db, role_ref)
    service.unassign(db, role, actor_id, by_actor_id=principal.actor.id)
    db.commit()
    return {"success": True}


@router.get("/projects/{project_id}/assignments")
def list_project_assignments(
    project_id: int,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("assignment.list")),
):
    """Role assignments on a project."""
    return [
        _assignment_json(a) for a in service.list_assignments(db, project_id=project_id)
    ]


@router.get("/projects/{project_id}/assignments/{role_ref}")
def list_project_assignments_for_role(
    project_id: int,
    role_ref: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("assignment.list")),
):
    """Assignments of one role on a project."""
    role = service.resolve_role(db, role_ref)
    rows = service.list_assignments(db, project_id=project_id, role_id=role.id)
    return [_assignment_json(a) for a in rows]


@router.post("/projects/{project_id}/assignments/{role_ref}/{actor_id}")
def assign_project_role(
    project_id: int,
    role_ref: str,
    actor_id: int,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("assignment.create")),
):
    """Give an actor a role on this project."""
    role = service.resolve_role(db, role_ref)
    _check_may_grant(principal, role, project_id)
    project = service.get_project(db, project_id)
    service.assign(db, role, actor_id, project=project, by_actor_id=principal.actor.id)
    db.commit()
    return {"success": True}


@router.delete("/projects/{project_id}/assignments/{role_ref}/{actor_id}")
def unassign_project_role(
    project_id: int,
    role_ref: str,
    actor_id: int,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("assignment.delete")),
):
    """Take a role on this project away from an actor."""
    role = service.resolve_role(db, role_ref)
    service.unassign(
        db, role, actor_id, project_id=project_id, by_actor_id=principal.actor.id
    )
    db.commit()
    return {"success": True}


def _form_in_project(db: Session, project_id: int, xml_form_id: str) -> Form:
    form = db.exec(
        select(Form).where(Form.project_id == project_id, Form.xml_form_id == xml_form_id)
    ).first()
    if form is None or form.deleted_at is not None:
        raise errors.not_found("form", xml_form_id)
    return form


@router.get("/projects/{project_id}/forms/{xml_form_id}/assignments")
def list_form_assignments(
    project_id: int,
    xml_form_id: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("assignment.list")),
):
    """Role assignments on one form (app users allowed to fill it)."""
    form = _form_in_project(db, project_id, xml_form_id)
    return [_assignment_json(a) for a in service.list_assignments(db, form_id=form.id)]


@router.get("/projects/{project_id}/forms/{xml_form_id}/assignments/{role_ref}")
def list_form_assignments_for_role(
    project_id: int,
    xml_form_id: str,
    role_ref: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("assignment.list")),
):
    """Assignments of one role on one form."""
    form = _form_in_project(db, project_id, xml_form_id)
    role = service.resolve_role(db, role_ref)
    rows = service.list_assignments(db, form_id=form.id, role_id=role.id)
    return [_assignment_json(a) for a in rows]


@router.post(
    "/projects/{project_id}/forms/{xml_form_id}/assignments/{role_ref}/{actor_id}"
)
def assign_form_role(
    project_id: int,
    xml_form_id: str,
    role_ref: str,
    actor_id: int,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("assignment.create")),
):
    """Let an app user list, download and fill this form."""
    form = _form_in_project(db, project_id, xml_form_id)
    role = service.resolve_role(db, role_ref)
    _check_may_grant(principal, role, project_id)
    _check_actor_in_project(db, actor_id, project_id)
    service.assign(db, role, actor_id, form=form, by_actor_id=principal.actor.id)
    db.commit()
    return {"success": True}


@router.delete(
    "/projects/{project_id}/forms/{xml_form_id}/assignments/{role_ref}/{actor_id}"
)
def unassign_form_role(
    project_id: int,
    xml_form_id: str,
    role_ref: str,
    actor_id: int,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("assignment.delete")),
):
    """Stop an app user from filling this form."""
    form = _form_in_project(db, project_id, xml_form_id)
    role = service.resolve_role(db, role_ref)
    service.unassign(db, role, actor_id, form_id=form.id, by_actor_id=principal.actor.id)
    db.commit()
    return {"success": True}


def _check_actor_in_project(db: Session, actor_id: int, project_id: int) -> None:
    """App users belong to one project; a form of another project cannot be theirs."""
    from app.users.models import Actor

    actor = db.get(Actor, actor_id)
    if actor is None or actor.deleted_at is not None:
        raise errors.not_found("actor", actor_id)
    if actor.type == "field_key" and actor.project_id != project_id:
        raise errors.not_found("app user", actor_id)
