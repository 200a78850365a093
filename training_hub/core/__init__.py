"""What every feature shares: settings, the database, tables, errors, identity, language, time, parsing,
labels, SQL helpers, caches, hooks, security, exports and audit.

Nothing here imports a feature or ``training_hub.web`` (an import-linter contract checks it).
"""
