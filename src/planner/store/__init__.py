"""Storage: SQLModel tables, engines, migrations and the SQL read side."""
