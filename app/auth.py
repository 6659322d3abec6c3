"""Who is asking, and may they do this here.

Every route declares its rule with one of two dependencies: ``Authorize(verb)`` or
``Public()``. A test walks the application's routes and fails on any route that has
neither, so a new route cannot ship without a rule.

Credentials are tried in ODK Central's order: an app-user token in the URL prefix
``/v1/key/{token}/``, then ``Authorization: Bearer``, then ``Authorization: Basic``
(HTTPS only). When the first credential presented is invalid the request fails; Kazi
never falls back to a weaker one.
"""

import base64
import binascii
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from fastapi import Depends, Request
from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app import errors
from app.core.db import get_session
from app.core.security import token_hash, verify_password
from app.core.timeutil import utcnow
from app.forms.models import Form
from app.projects.models import Assignment, Project, Role
from app.projects.roles import role_grants
from app.users.models import Actor, AuthSession, LoginFailure, User

logger = logging.getLogger(__name__)

KEY_TOKEN_SCOPE = "kazi.key_token"  # noqa: S105 - a scope key, not a secret
URL_PREFIX_SCOPE = "kazi.url_prefix"


@dataclass
class Principal:
    """The authenticated actor and the roles it holds, loaded once per request."""

    actor: Actor
    site_roles: set[str] = field(default_factory=set)
    project_roles: dict[int, set[str]] = field(default_factory=dict)
    # form id -> (its project id, roles held on that form alone)
    form_roles: dict[int, tuple[int, set[str]]] = field(default_factory=dict)

    @property
    def is_app_user(self) -> bool:
        return self.actor.type == "field_key"

    @property
    def is_admin(self) -> bool:
        return "admin" in self.site_roles

    def can(
        self,
        verb: str,
        project_id: int | None = None,
        form_id: int | None = None,
        any_form: bool = False,
    ) -> bool:
        """Tell whether the actor holds ``verb`` site-wide, on the project or the form.

        With ``any_form`` a role held on any single form of the project is enough; the
        caller then checks the form itself once it knows which one.
        """
        if any(role_grants(role, verb) for role in self.site_roles):
            return True
        if project_id is not None and any(
            role_grants(role, verb) for role in self.project_roles.get(project_id, ())
        ):
            return True
        for other_form_id, (form_project_id, roles) in self.form_roles.items():
            if form_project_id != project_id:
                continue
            if (any_form or other_form_id == form_id) and any(
                role_grants(role, verb) for role in roles
            ):
                return True
        return False

    def grant(
        self,
        role: str,
        project_id: int | None,
        form_id: int | None,
        form_project_id: int | None,
    ) -> None:
        """Record one role assignment: on a form, on a project, or site-wide."""
        if form_id is not None:
            _, roles = self.form_roles.setdefault(form_id, (form_project_id, set()))
            roles.add(role)
        elif project_id is not None:
            self.project_roles.setdefault(project_id, set()).add(role)
        else:
            self.site_roles.add(role)

    def project_ids(self) -> set[int]:
        """Ids of the projects where the actor has any role."""
        return set(self.project_roles) | {pid for pid, _ in self.form_roles.values()}


class KeyPrefixMiddleware:
    """Strip ``/v1/key/{token}`` from the path and keep the token for authentication.

    ODK Collect is configured with a server URL that contains the app user's token, and
    appends paths such as ``/formList`` to it. The rest of the application sees the
    plain ``/v1/...`` path; OpenRosa documents put the prefix back into the URLs they
    list, so the device keeps using its token.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            path: str = scope["path"]
            if len(path) > 1 and path.endswith("/"):
                # Serve /formList/ as /formList, as ODK Central does. A redirect would
                # name the path without the token prefix, so the device would lose it.
                path = path.rstrip("/") or "/"
                scope = dict(scope, path=path, raw_path=path.encode())
            if path.startswith("/v1/key/"):
                rest = path[len("/v1/key/") :]
                token, slash, tail = rest.partition("/")
                if token and slash:
                    scope = dict(scope)
                    scope[KEY_TOKEN_SCOPE] = token
                    scope[URL_PREFIX_SCOPE] = f"/v1/key/{token}"
                    scope["path"] = "/v1/" + tail.removeprefix("v1/")
                    scope["raw_path"] = scope["path"].encode()
        await self.app(scope, receive, send)


def request_is_https(request: Request) -> bool:
    """Check whether the client reached the server over HTTPS.

    uvicorn sets the scheme from X-Forwarded-Proto only for proxies listed in
    KAZI_FORWARDED_ALLOW_IPS, so a client cannot claim HTTPS with a header of its own.
    """
    return request.url.scheme == "https"


# Built once, so each request reuses the compiled statement.
_SESSION_PRINCIPAL = (
    select(
        Actor,
        AuthSession.expires_at,
        Assignment.form_id,
        Assignment.project_id,
        Role.system,
        Form.project_id,
    )
    .join(AuthSession, col(AuthSession.actor_id) == Actor.id)
    .outerjoin(Assignment, col(Assignment.actor_id) == Actor.id)
    .outerjoin(Role, col(Role.id) == Assignment.role_id)
    .outerjoin(Form, col(Form.id) == Assignment.form_id)
    .where(AuthSession.token_hash == bindparam("token_hash"))
)


def _session_principal(db: Session, token: str) -> Principal | None:
    """Load a live session's actor and every role it holds, in one query.

    The session row is read on every request, so a revoked or expired token fails at
    once. One row comes back per role assignment (one row with no role when there are
    none).
    """
    rows = db.exec(_SESSION_PRINCIPAL, params={"token_hash": token_hash(token)}).all()
    if not rows:
        return None
    actor, expires_at = rows[0][0], rows[0][1]
    if expires_at <= utcnow() or actor.deleted_at is not None:
        return None
    principal = Principal(actor=actor)
    for _actor, _expires, form_id, project_id, system, form_project_id in rows:
        if system is not None:
            principal.grant(system, project_id, form_id, form_project_id)
    return principal


def check_password(db: Session, settings, email: str, password: str) -> Actor:
    """Return the actor for a correct email and password, throttling repeated failures.

    Failures are counted per account over ``login_lockout_minutes``; once there are
    ``login_max_failures`` of them every attempt is rejected with 429 until the window
    passes, whether or not the password is right, so guessing gains nothing.
    """
    email = email.strip().lower()
    window_start = utcnow() - timedelta(minutes=settings.login_lockout_minutes)
    recent = db.exec(
        select(LoginFailure).where(
            LoginFailure.email == email, col(LoginFailure.at) >= window_start
        )
    ).all()
    if len(recent) >= settings.login_max_failures:
        logger.warning("login throttled email_failures=%d", len(recent))
        raise errors.too_many_login_attempts(settings.login_lockout_minutes)

    user = db.exec(select(User).where(User.email == email)).first()
    actor = db.get(Actor, user.actor_id) if user else None
    # Hash even for unknown emails, so timing does not reveal which accounts exist.
    password_ok = verify_password(user.password_hash if user else None, password)
    if user is None or actor is None or actor.deleted_at is not None or not password_ok:
        db.add(LoginFailure(email=email))
        db.commit()
        raise errors.authentication_failed()
    return actor


def _basic_actor(request: Request, db: Session, value: str) -> Actor:
    if not request_is_https(request):
        raise errors.https_only()
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as error:
        raise errors.authentication_failed() from error
    email, colon, password = decoded.partition(":")
    if not colon:
        raise errors.authentication_failed()
    return check_password(db, request.app.state.settings, email, password)


def authenticate(request: Request, db: Session) -> Principal | None:
    """Return who is behind the request's credentials, or None when it has none."""
    key_token = request.scope.get(KEY_TOKEN_SCOPE)
    if key_token is not None:
        principal = _session_principal(db, key_token)
        if principal is None or principal.actor.type != "field_key":
            raise errors.authentication_failed()
        return principal

    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer":
        principal = _session_principal(db, value.strip())
        if principal is None:
            raise errors.authentication_failed()
        return principal
    if scheme == "basic":
        return load_principal(db, _basic_actor(request, db, value.strip()))
    raise errors.authentication_failed()


def load_principal(db: Session, actor: Actor) -> Principal:
    principal = Principal(actor=actor)
    rows = db.exec(
        select(Assignment.form_id, Assignment.project_id, Role.system, Form.project_id)
        .join(Role, col(Role.id) == Assignment.role_id)
        .outerjoin(Form, col(Form.id) == Assignment.form_id)
        .where(Assignment.actor_id == actor.id)
    ).all()
    for form_id, project_id, system, form_project_id in rows:
        principal.grant(system, project_id, form_id, form_project_id)
    return principal


def get_principal(
    request: Request, db: Session = Depends(get_session)
) -> Principal | None:
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    principal = authenticate(request, db)
    if principal is None:
        return None
    request.state.principal = principal
    return principal


class Authorize:
    """Route dependency: the caller must hold ``verb`` where the route acts.

    ``scope="self"`` needs only a valid login (the caller acts on itself).
    ``scope="site"`` needs the verb from a site-wide role. ``scope="project"`` reads
    ``project_id`` from the path, and ``xml_form_id`` too when present, so that app
    users assigned to one form reach that form only. An unknown or deleted project is
    a 404 for callers who may not see it either, so ids cannot be probed.
    """

    def __init__(
        self,
        verb: str,
        scope: str = "project",
        any_form: bool = False,
        project_app_users: bool = False,
    ):
        self.verb = verb
        self.scope = scope
        self.any_form = any_form
        # App users of the project pass even with no form assigned; the route then
        # shows them only their assigned forms (an empty form list, as in Central).
        self.project_app_users = project_app_users

    def __call__(
        self,
        request: Request,
        principal: Principal | None = Depends(get_principal),
        db: Session = Depends(get_session),
    ) -> Principal:
        try:
            return self._check(request, principal, db)
        finally:
            # NOTE: SQLite transactions start with BEGIN IMMEDIATE (app/core/db.py), so
            # the reads above hold the database write lock. Ending the transaction here
            # keeps a route that then waits for a slow upload or runs pyxform from
            # holding every other request up. Loaded rows stay usable because sessions
            # do not expire them on commit.
            db.commit()

    def _check(
        self, request: Request, principal: Principal | None, db: Session
    ) -> Principal:
        if principal is None:
            raise errors.authentication_failed()
        if self.scope == "self":
            return principal
        if self.scope == "site":
            if not principal.can(self.verb):
                raise errors.insufficient_rights(self.verb)
            return principal

        project_id = _path_int(request, "project_id")
        project = db.get(Project, project_id) if project_id is not None else None
        if project is None or project.deleted_at is not None:
            raise errors.not_found("project", project_id)
        form_id = None
        xml_form_id = request.path_params.get("xml_form_id")
        if xml_form_id is not None:
            form_id = db.exec(
                select(Form.id).where(
                    Form.project_id == project_id, Form.xml_form_id == xml_form_id
                )
            ).first()
        app_user_here = principal.is_app_user and principal.actor.project_id == project_id
        if not (self.project_app_users and app_user_here) and not principal.can(
            self.verb, project_id, form_id, any_form=self.any_form
        ):
            member = app_user_here or project_id in principal.project_ids()
            if not principal.is_admin and not member:
                raise errors.not_found("project", project_id)
            raise errors.insufficient_rights(self.verb)
        request.state.project = project
        return principal


class Public:
    """Route dependency for routes anyone may call (login, health)."""

    def __call__(self) -> None:
        return None


def _path_int(request: Request, name: str) -> int | None:
    value = request.path_params.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError as error:
        raise errors.not_found("project", value) from error
