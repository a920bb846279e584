"""Alembic environment: runs on the connection `db.migrate` hands over."""

from alembic import context

from db.migrate import include_object
from db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run through db.migrate.open_database, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
