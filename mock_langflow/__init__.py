"""mock-langflow: a self-hostable fake of the Langflow server for contract testing."""

from mock_langflow.app import create_app
from mock_langflow.settings import Settings

__all__ = ["Settings", "create_app"]
__version__ = "0.1.0"
