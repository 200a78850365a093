"""Demo data: the consortium's cooperatives in nine of the twelve provinces, the three kinds of path with
realistic courses and sessions over the coming weeks, past editions with registers and surveys, and
the five demo logins.

Loaded by ``training-hub demo`` and ``training-hub serve --demo`` (only into an empty database).
The demo sits at the top layer: it may use any feature, and no feature imports it.

* :mod:`.consortium` — cooperatives, logins and other people, places;
* :mod:`.courses` — the coming courses (``PATHS``) and the past editions (``PAST_COURSES``);
* :mod:`.plan` — one calendar for all of them, under the scheduling rules;
* :mod:`.loader` — writing it all; :mod:`.history` — the past editions' registers and surveys.
"""

from training_hub.demo.consortium import DEMO_LOGINS, DEMO_PASSWORD
from training_hub.demo.loader import database_is_empty, load_demo_data

__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "database_is_empty", "load_demo_data"]
