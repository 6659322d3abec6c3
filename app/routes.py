"""Every router of the application, in the order they are mounted."""

from app.app_users.routes import router as app_users_router
from app.audits.routes import router as audits_router
from app.forms.routes import router as forms_router
from app.health import router as health_router
from app.openrosa.forms import router as openrosa_forms_router
from app.openrosa.submission import router as openrosa_submission_router
from app.projects.routes import router as projects_router
from app.submissions.routes import router as submissions_router
from app.users.routes import router as users_router

ROUTERS = [
    health_router,
    users_router,
    projects_router,
    forms_router,
    app_users_router,
    openrosa_forms_router,
    openrosa_submission_router,
    submissions_router,
    audits_router,
]
