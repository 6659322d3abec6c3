"""The first start of an empty database publishes the shipped questionnaires."""

from sqlmodel import Session, select

from app.bootstrap import prepare
from app.core.config import Settings
from app.core.db import make_engine
from app.forms.models import Form, FormDef
from tests.conftest import create_database, drop_database

SHIPPED = ["tracer_baseline", "tracer_followup", "value_chain_firm"]


def test_first_start_publishes_shipped_forms(backend, tmp_path):
    url = create_database(backend, tmp_path)
    settings = Settings(
        data_dir=tmp_path,
        database_url=url,
        admin_email="lead@kazi.test",
        admin_password="a long enough password",
    )
    engine = make_engine(url)
    messages: list[str] = []
    try:
        prepare(settings, engine, announce=messages.append)
        with Session(engine) as db:
            forms = db.exec(select(Form).order_by(Form.xml_form_id)).all()
            assert [form.xml_form_id for form in forms] == SHIPPED
            for form in forms:
                assert form.state == "open"
                assert form.current_def_id is not None
                published = db.get(FormDef, form.current_def_id)
                assert published.published_at is not None
                assert published.xls_blob_id is not None
        assert messages == []

        # A second start publishes nothing again and keeps the forms as they are.
        prepare(settings, engine, announce=messages.append)
        with Session(engine) as db:
            assert len(db.exec(select(Form)).all()) == len(SHIPPED)
    finally:
        engine.dispose()
        drop_database(url)
