"""The one registered email of Langflow's /api/v2/registration/: a JSON file, as Langflow keeps it (there
data/user/registration.json under its working directory; here user/registration.json under the data dir, or a
temporary directory with --ephemeral). Imported on the first registration call."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mock_langflow.store.files import KeptFolder


class Registration(KeptFolder):
    prefix = "mock-langflow-user-"

    @property
    def path(self) -> Path:
        return self.root / "registration.json"

    def load(self) -> Any:
        """The registration kept, or None: no file, an empty one, or one that is not JSON text (Langflow logs a
        corrupted file and answers as if none were kept)."""
        path = self.path
        if not path.is_file() or path.stat().st_size == 0:
            return None
        try:
            return json.loads(path.read_bytes())
        except (ValueError, UnicodeDecodeError):
            return None

    def save(self, email: str, now: datetime) -> dict[str, Any]:
        """Keep `email` as the registration, replacing any earlier one, with the time it was made; the folder is
        the owner's alone (0700), as Langflow makes it."""
        folder = self.root
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
        registration = {"email": email, "registered_at": now.astimezone(UTC).isoformat()}
        staged = self.path.with_suffix(".part")
        staged.write_text(json.dumps(registration, indent=2), encoding="utf-8")
        staged.replace(self.path)
        return registration
