"""No tables: roles are Django groups (see accounts.roles). This module makes post_migrate reach the app."""
