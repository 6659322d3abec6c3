"""The permission table: which verbs each role grants.

Role ids follow ODK Central where Central has the role, because pyodk assigns forms to
app users with the hard-coded role id 2. ``datamanager`` is Kazi's own: a viewer who may
also review, correct and export submissions.
"""

ADMIN, APP_USER, MANAGER, VIEWER, FORMFILL, DATAMANAGER = 1, 2, 3, 4, 5, 6

# Verbs a project-scoped role can hold. Site-only verbs (user.*, project.create,
# audit.read, role assignment at site level) belong to the admin role alone.
_READ = [
    "project.read",
    "form.list",
    "form.read",
    "submission.list",
    "submission.read",
    "dataset.list",
    "dataset.read",
    "entity.list",
    "entity.read",
]

ROLE_VERBS: dict[str, list[str]] = {
    "admin": ["*"],
    "app-user": ["form.read", "submission.create"],
    "manager": [
        *_READ,
        "project.update",
        "project.delete",
        "form.create",
        "form.update",
        "form.delete",
        "submission.create",
        "submission.update",
        "submission.delete",
        "submission.restore",
        "field_key.create",
        "field_key.list",
        "field_key.delete",
        "assignment.create",
        "assignment.list",
        "assignment.delete",
        "dataset.create",
        "dataset.update",
        "entity.create",
        "entity.update",
        "entity.delete",
        "audit.read",
    ],
    "viewer": list(_READ),
    "formfill": ["project.read", "form.list", "form.read", "submission.create"],
    "datamanager": [*_READ, "submission.update", "entity.update"],
}

ROLES: list[tuple[int, str, str]] = [
    (ADMIN, "Administrator", "admin"),
    (APP_USER, "App User", "app-user"),
    (MANAGER, "Project Manager", "manager"),
    (VIEWER, "Project Viewer", "viewer"),
    (FORMFILL, "Data Collector", "formfill"),
    (DATAMANAGER, "Data Manager", "datamanager"),
]

ROLE_IDS = {system: role_id for role_id, _name, system in ROLES}


def role_grants(system: str, verb: str) -> bool:
    verbs = ROLE_VERBS.get(system, [])
    return "*" in verbs or verb in verbs
