"""Calendar feeds: personal, per cooperative, per course and path, and one session as a download."""
