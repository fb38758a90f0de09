"""mock-langflow: a self-hostable fake of the Langflow server for contract testing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mock_langflow.app import create_app
    from mock_langflow.settings import Settings

__all__ = ["Settings", "create_app"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # `import mock_langflow` (which every submodule import runs first) does not import the app: the command line
    # imports it once it has paused the garbage collector (startup.collector_paused), and `mock-langflow
    # --help` or a pytest run that never starts a server does not pay for FastAPI and SQLAlchemy.
    if name == "create_app":
        from mock_langflow.app import create_app

        return create_app
    if name == "Settings":
        from mock_langflow.settings import Settings

        return Settings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
