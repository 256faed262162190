"""SQLite storage: ORM tables, opening the database and migrating it."""
