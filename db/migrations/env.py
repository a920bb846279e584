"""Alembic environment: runs on the connection `db.migrate` hands over."""

from alembic import context

from db.models import Base

FTS_PREFIX = "subjects_fts"


def include_object(obj, name, type_, reflected, compare_to):  # noqa: ANN001 - Alembic hook
    """The full-text index is created by hand (SQLAlchemy has no FTS5 model)."""
    return not (type_ == "table" and name.startswith(FTS_PREFIX))


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
