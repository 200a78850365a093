"""The rights of the people Training Hub records (GDPR art. 15, 17 and 20): their data exported as JSON
and a readable PDF, and erasure by anonymisation, keeping only what a law requires, and saying why."""
