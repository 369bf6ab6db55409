"""Trigram and upper-case indexes for organisation search, on PostgreSQL only.

``name_key LIKE '%word%'`` and ``UPPER(acronym) = UPPER('word')`` otherwise scan the whole
registry. SQLite has no such indexes and keeps its plain scan (fast enough at its scale).
Creating the pg_trgm extension needs the right privilege; without it the search still works,
only slower, so the migration goes on with a notice rather than failing the deploy.
"""

from django.db import migrations, transaction

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS org_name_key_trgm ON organisations_organisation "
    "USING gin (name_key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS org_acronym_upper ON organisations_organisation "
    "(UPPER(acronym::text))",
]
DROP = [
    "DROP INDEX IF EXISTS org_name_key_trgm",
    "DROP INDEX IF EXISTS org_acronym_upper",
]


def run(statements: list[str]):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            try:
                with transaction.atomic(using=schema_editor.connection.alias):
                    schema_editor.execute(sql)
            except Exception as error:  # noqa: BLE001 -- an optional speed-up must not block
                print(f"\n  notice: skipped '{sql[:40]}…': {error}")

    return apply


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_contact_list_order")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
