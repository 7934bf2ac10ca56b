"""Worker processes end with the run that started them.

A large run extracts and judges in pools of worker processes that wait for work on a pipe. When
the run is killed (SIGKILL, a CI job cancelled, an editor stopping it), nothing closes that pipe
for them, since each forked worker holds its end too, and they would wait for ever. So each
worker watches its parent and exits when it is gone.
"""

from __future__ import annotations

import os
import threading
import time

_POLL_SECONDS = 0.5


def end_with_parent() -> None:
    """A pool's initializer: this worker exits within `_POLL_SECONDS` of its parent's end."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
