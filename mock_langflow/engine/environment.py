"""The environment fallback of a field's global variable: a run that finds no stored variable of the name the
field gives reads the server process's environment variable of that exact name (Langflow's
LANGFLOW_FALLBACK_TO_ENV_VAR, on by default). The mock reads its own process environment the same way, so a mock
started with OPENAI_API_KEY set fills such a field as a Langflow server started with it would."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_langflow.profiles.model import Variables
    from mock_langflow.settings import Settings

EnvironmentReader = Callable[[str], "str | None"]

# Langflow 1.13 never reads these names from the environment (as if unset), whatever their case: its own
# settings' prefixes and infrastructure secrets that are never a flow's value. Earlier releases read any name.
GUARDED_PREFIXES = ("LANGFLOW_", "LFX_")
GUARDED_NAMES = frozenset({
    "DATABASE_URL", "SECRET_KEY", "POSTGRES_PASSWORD", "PGVECTOR_CONNECTION_STRING", "PGPASSWORD", "MYSQL_PWD",
    "MYSQL_ROOT_PASSWORD", "REDIS_URL", "REDIS_PASSWORD", "MONGODB_URI", "MONGO_URL",
    "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SESSION_TOKEN", "GOOGLE_APPLICATION_CREDENTIALS",
    "GCP_SA_KEY", "AZURE_CLIENT_SECRET",
    "JWT_SECRET", "JWT_SECRET_KEY", "SESSION_SECRET", "SIGNING_KEY", "ENCRYPTION_KEY",
    "CLIENT_SECRET", "OAUTH_CLIENT_SECRET", "GOOGLE_CLIENT_SECRET", "GITHUB_CLIENT_SECRET",
    "MICROSOFT_CLIENT_SECRET",
    "SMTP_PASSWORD", "SMTP_PASS", "EMAIL_HOST_PASSWORD",
    "GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN",
})
# The mock's own settings (its API key among them) are never a flow's value, in any profile: a real Langflow
# server's environment has none of them.
MOCK_PREFIX = "MOCK_LANGFLOW_"
# The agentic experience's variables (lfx's AGENTIC_VARIABLES, in the order Langflow makes them).
AGENTIC_NAMES = ("FLOW_ID", "COMPONENT_ID", "FIELD_NAME", "ASTRA_TOKEN")


def environment_reader(*, guarded: bool) -> EnvironmentReader:
    """Reads the process environment at run time (a value set after start-up counts, an empty one is ""), None
    for an unset name. `guarded` (1.13): the names above read as unset."""
    def read(name: str) -> str | None:
        upper = name.upper()
        if not name or upper.startswith(MOCK_PREFIX):
            return None
        if guarded and (upper in GUARDED_NAMES or upper.startswith(GUARDED_PREFIXES)):
            return None
        return os.environ.get(name)
    return read


def stored_environment(names: Iterable[str], *, placeholders: Iterable[str] = ()) -> dict[str, str]:
    """{name: value} of the environment variables Langflow stores as its users' Credentials: each of `names` set
    to something other than blanks (the value stripped), except a model provider's key (`placeholders`) set to
    'dummy' in any case. The mock's own settings never count."""
    skipped = frozenset(placeholders)
    found: dict[str, str] = {}
    for name in names:
        value = os.environ.get(name, "").strip()
        if not value or name.upper().startswith(MOCK_PREFIX) or (name in skipped and value.lower() == "dummy"):
            continue
        found[name] = value
    return found


def credentials_from_environment(settings: Settings, rules: Variables) -> dict[str, str]:
    """What start-up and logins store as the users' Credentials (LANGFLOW_STORE_ENVIRONMENT_VARIABLES): the
    release's names (profile variables.environment) and LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT's, which
    bring the agentic names along while the agentic experience is on, or (profile variables.agentic_environment
    "text") while LANGFLOW_AGENTIC_EXPERIENCE is unset or "true"."""
    if not settings.store_environment_variables:
        return {}
    added = list(settings.variables_to_get_from_environment)
    if rules.agentic_environment == "text":
        agentic = (settings.agentic_experience or "true").lower() == "true"
    else:
        agentic = settings.agentic_on(rules.agentic_default)
    if added and agentic:
        added.extend(AGENTIC_NAMES)
    names = dict.fromkeys([*rules.environment, *added])
    return stored_environment(names, placeholders=rules.placeholder_keys)
