"""`python -m mock_langflow` is the mock-langflow command."""

import sys

from mock_langflow.cli import main

sys.exit(main())
