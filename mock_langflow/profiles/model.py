"""What a version profile is made of: small frozen sections of data and named strategies.

A handler never asks "which version is this?"; it reads the one value of its profile that varies (a string,
a set of field names, a strategy's name). Every value carries a one-line description in its field's
metadata, which is what `mock-langflow diff-versions` prints next to the two versions' values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from mock_langflow import errors

# A profile's sections are frozen and compared by identity, without a field-by-field repr: dataclass compiles each
# method it generates when the module is imported, and __eq__, __hash__ and __repr__ of Profile and its sections were
# about 7 ms of every start-up (benchmarks/README.md, fix 61). Catalog keeps its __eq__: catalog.py tells 1.13's
# form by its value.
section = dataclass(frozen=True, eq=False, repr=False)


def knob(doc: str, default: Any = None, *, factory: Any = None) -> Any:
    """A profile value, described for diff-versions."""
    if factory is not None:
        return field(default_factory=factory, metadata={"doc": doc})
    return field(default=default, metadata={"doc": doc})


@section
class Cors:
    """CORS answers: Starlette's CORSMiddleware as each Langflow shipped it, given the LANGFLOW_CORS_* settings."""

    preflight_vary: str = knob("`vary` of a preflight answer", "Origin")
    preflight_methods: str = knob("access-control-allow-methods of a preflight answer when every method is allowed",
                                  "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT")
    simple_origin: Literal["*", "echo"] = knob(
        "access-control-allow-origin of a simple request with every origin and credentials allowed: * or the "
        "Origin", "echo")
    credentials: bool = knob("credentials stay allowed with every origin allowed (off: forced off, as 1.13 does)",
                             False)
    vary: Literal["always", "with-echo"] = knob(
        "`vary`: on every answer (a preflight's preflight_vary, others `Origin`), or only where the Origin is "
        "echoed (a preflight: whenever an allowed one would be)", "always")
    private_network: bool = knob("a preflight asking for private network access is refused (Starlette 0.51 on)",
                                 True)


@section
class Http:
    """How the HTTP layer answers: the frontend's routes, unknown paths and methods, headers."""

    frontend: Literal["spa-route", "static-mount"] = knob(
        "how the frontend is served: low-priority routes tried when no route matched even by path (page sent "
        "no-store, for any method; unknown /api paths a JSON 404, or for other methods 405 with `allow: HEAD, "
        "GET`), or a static mount for every method (page sent with etag and "
        "last-modified; other methods 405 without `allow`, taking precedence over a route's own 405)",
        "spa-route")
    frontend_404: Literal["json", "page"] = knob(
        "with the frontend served, a 404 an API route raises: JSON, or the frontend page with status 200", "json")
    backend_only: bool = knob("default of --backend-only (LANGFLOW_BACKEND_ONLY) when not given", False)
    root_path: bool = knob(
        "LANGFLOW_ROOT_PATH is read: the app's ASGI root_path (a prefixed path routes too, /openapi.json lists it "
        "as its server), X-Forwarded-Prefix replacing it per request, the page's <base>, and the login cookies "
        "named and scoped after it", True)
    cors: Cors = knob("CORS answers", factory=Cors)
    gzip: Literal["middleware", "lists"] = knob(
        "gzip: any body of 1000 bytes or more for a client that accepts gzip, or only the flow lists, the "
        "examples and /all, always, whatever the client accepts", "middleware")
    typed_json: Literal["pydantic", "serde", "json"] = knob(
        "how FastAPI writes an answer of a route with a response model: pydantic-core 2.46 writes it (floats "
        "1e-7, 0.00001, 1e+16; FastAPI 0.135 on), pydantic-core 2.33 (1e-7, 0.00001, 1e16; pydantic 2.11), or "
        "the model's dump goes through JSONResponse's json.dumps (1e-07, 1e-05, 1e+16; FastAPI before 0.135)",
        "pydantic")


@section
class Validation:
    """How a request that fails validation is answered (the 422 items)."""

    keep_input: bool = knob("422 items carry `input`, and `ctx.error` as {}", False)
    duplicated: frozenset[str] = knob("routes whose 422 lists every parameter error twice", frozenset())
    path_twice: frozenset[str] = knob("routes whose 422 lists each path parameter error twice, first (a dependency "
                                      "of the route reads the path too)", frozenset())
    uuid_message: Literal["short", "urn-hint"] = knob(
        "a bad UUID's message: 'invalid character: found ...', or with the urn:uuid: hint of older pydantic",
        "short")
    endpoint_name: Literal["items", "string"] = knob(
        "an invalid endpoint_name on create: a list of value_error items, or one plain string detail", "items")
    pydantic_docs: str = knob("the pydantic release a validation error's text links the docs of", "2.13")


@section
class Times:
    """How each kind of stored time is written: with a Z, an offset, or naive."""

    users: Literal["z", "naive"] = knob("user create_at / updated_at / last_login_at: with Z, or naive", "z")
    api_keys: Literal["offset", "naive"] = knob("API key created_at / last_used_at: +00:00, or naive", "offset")
    files: Literal["z", "naive"] = knob("v2 file created_at / updated_at: with Z, or naive", "z")
    transactions: Literal["z", "naive"] = knob("GET /monitor/transactions items' timestamp: with Z, or naive", "z")


@section
class Messages:
    """The wire forms of a Message (engine/message.py)."""

    run_fields: bool = knob("messages carry run_id and session_metadata", True)
    table_columns: tuple[str, ...] = knob(
        "a stored message's row in the Message History's table (its `dataframe` output), column by column, as the "
        "release's Message.data of a message read from the table holds them",
        ("sender_name", "timestamp", "session_id", "text", "error", "id", "run_id", "is_output", "category", "sender",
         "context_id", "edit", "flow_id", "user_id", "files", "properties", "content_blocks", "session_metadata",
         "duration"))
    property_usage: bool = knob("message properties carry usage and build_duration", True)
    log_events: bool = knob(
        "a component's log entries (lfx's Component.log) are sent as `log` events of a build or a /run stream "
        "(1.13); or only kept in its build data (lfx 0.3/0.2's event managers register no on_log)", True)
    timestamps: Literal["micro", "seconds"] = knob(
        "message timestamps: with microseconds; or whole seconds, and a run result's top-level timestamp "
        "as ISO +00:00", "micro")
    event: Literal["full", "flat"] = knob(
        "add_message event data: the whole Message object, or the flat message dict", "full")
    listing: Literal["newest", "all"] = knob(
        "GET /monitor/messages and /messages/sessions: the newest 100 (limit up to 200, offset from the newest; "
        "order and order_by checked; sessions by latest activity, agentic_ ones left out), or everything, "
        "oldest first", "newest")
    stored_files: Literal["all", "images"] = knob(
        "a stored message's files when some are images: every file (an image as its path); or the images only "
        "(MessageTable.from_message keeps only what has a path, when anything has one)", "all")
    v1_blocks: bool = knob(
        "content blocks are kept in the new shape (tagged groups, leaves with id and contents, an answer as a "
        "top-level text leaf) and projected onto the old one where a v1 client reads them: the monitor's "
        "message reads, /run's answer and every /run stream event, a build's add_message events (not its "
        "end_vertex or error events, nor the v2 Workflow API); or there is only the old shape", True)
    stream_complete: bool = knob(
        "a message whose text a model streamed is announced again once the stream ends (state complete, the whole "
        "text, the usage read off the chunks: lfx's send_message after _stream_message); or only with its first "
        "chunk, the stored message getting the rest unannounced", True)
    edit_extras: bool = knob(
        "PUT /monitor/messages/{id} takes session_metadata, category and content_blocks; or ignores them, as a "
        "message edit that has none of the three", True)
    attachment_scope: bool = knob(
        "PUT /monitor/messages/{id}: each of `files` must be '<caller or flow id>/<file name>' (else 400)", True)
    owner_scoped: bool = knob(
        "the monitor's message edits and deletes, builds and transactions reach only the caller's messages and "
        "flows; or anyone's, by message id, session id or flow id", True)
    transactions: Literal["masked", "never"] = knob(
        "each vertex a run builds is logged as a transaction, its inputs and outputs with the values under "
        "secret-sounding keys masked (***REDACTED***, or the first and last 4 characters of a longer string) and "
        "no `code` key; or never (lfx 0.2.1's log_transaction only writes a debug line): GET /monitor/transactions "
        "lists none", "masked")
    builds_per_vertex: int = knob(
        "vertex builds kept per flow and vertex unless LANGFLOW_MAX_VERTEX_BUILDS_PER_VERTEX says otherwise "
        "(store/run_retention.py)", 50)
    record_sweeper: bool = knob(
        "transactions and vertex builds go through a telemetry writer whose sweeper cuts them to their limits every "
        "LANGFLOW_TELEMETRY_WRITER_CLEANUP_INTERVAL_S seconds (unless LANGFLOW_TELEMETRY_WRITER_ENABLED is off); "
        "or each write cuts its flow's rows at once", True)
    traces: bool = knob(
        "each run leaves a native trace (a span per component built) that /monitor/traces lists, as Langflow's "
        "native tracer does unless LANGFLOW_NATIVE_TRACING or LANGFLOW_DEACTIVATE_TRACING turns it off", True)
    trace_search: Literal["literal", "wildcards"] = knob(
        "GET /monitor/traces?query=: % and _ match themselves; or act as LIKE wildcards", "literal")
    trace_times: Literal["utc", "wall-clock"] = knob(
        "GET /monitor/traces?start_time=&end_time=: a time with an offset is compared in UTC; or by its wall "
        "clock (its offset dropped)", "utc")
    history_scope: Literal["flow", "session"] = knob(
        "the session's messages a Message History component or an Agent's chat history reads: the flow's and the "
        "run's user's (aget_messages scoped by the graph's flow and user); or every flow's", "flow")
    history_window: Literal["newest", "tail"] = knob(
        "which n_messages a Message History component keeps: the newest (fetched newest first, then put in its "
        "`order`); or the last of the list in its order (newest when ascending, oldest when descending)", "newest")
    agent_trace: Literal["langgraph", "executor"] = knob(
        "the LangChain spans under an Agent's span in its native trace: LangChain's create_agent graph (a chain per "
        "graph node: middleware, model, tools); or langchain's AgentExecutor (a RunnableSequence chain per model "
        "turn, the tools' spans under the executor's)", "langgraph")


@section
class Auth:
    """Logins, tokens and API keys: who gets in where, and the refusals' texts."""

    user_no_credentials: Literal["no-credentials", "api-key-texts"] = knob(
        "user routes without credentials: 'No authentication credentials provided', or the /run texts "
        "('Since v1.5, ...' / 'An API key must be passed ...')", "no-credentials")
    user_bad_key: str = knob("user routes with a wrong API key: the 403 text", errors.INVALID_API_KEY)
    bad_jwt: str = knob("a bad JWT: the 401 text", errors.INVALID_TOKEN)
    expired_jwt: str = knob("an expired access token (its signature good): the 401 text", errors.TOKEN_EXPIRED)
    jwt_wrong_type: str = knob("a good token of another kind (a refresh token) sent as an access token: the 401 "
                               "text", errors.INVALID_TOKEN_TYPE)
    bad_jwt_www_authenticate: bool = knob("a bad, expired or wrong-kind JWT's 401 carries www-authenticate: Bearer",
                                          False)
    jwt_user_gone: Literal["split", "joined"] = knob(
        "a good JWT whose user is gone: 401 'User account is inactive' when deactivated; when deleted, on the "
        "user routes 401 'Token authentication failed' (or the API key sent with it is tried), on MCP 403 'User "
        "not found'; or both 401 'User not found or is inactive.' with www-authenticate: Bearer", "split")
    webhook_auth_default: bool = knob("default of LANGFLOW_WEBHOOK_AUTH_ENABLE", True)
    webhook_lookup: Literal["key-first", "flow-first"] = knob(
        "a webhook: the key checked before the caller's flow is looked up (auth off: a deactivated owner's flow is "
        "404 'Flow not found'), or the flow found whoever owns it first", "key-first")
    inactive_user_keys: Literal["refused", "accepted"] = knob(
        "an API key of a deactivated user: refused as an unknown key everywhere; or found (Langflow's key check "
        "before 1.13 looks at no user's is_active), its user served on /run (and /run/advanced, the v2 workflows, "
        "/process, /predict), on the webhook with webhook auth on and on a project's MCP transports, while the "
        "other MCP routes answer 401 'Inactive user' and the user routes as auth.inactive_key_user_routes says",
        "refused")
    inactive_key_user_routes: Literal["key-auth-failed", "inactive-user"] = knob(
        "a deactivated user's API key found by the key check (auth.inactive_user_keys accepted), on the user "
        "routes: 403 'API key authentication failed' (the credential check refuses the inactive user and reports "
        "a failed key lookup); or 401 'Inactive user' (the route's active-user check)", "key-auth-failed")
    key_use_with_request: frozenset[str] = knob(
        "the credential families whose key check counts a key's use (total_uses, last_used_at) in the request's "
        "own transaction, committed once the answer has been sent (a streamed one's at its end), so that a request "
        "ending in an error (a raised 4xx or 5xx, a request validation 422, a refusal after the key check) does not "
        "keep it: 'user' (the user routes), 'mcp' (the MCP routes, and a "
        "project transport refusing a key of a user who does not own the project); elsewhere the use is kept "
        "once the key is accepted", factory=frozenset)
    token_cookie: bool = knob(
        "an access token is also read from the access_token_lf cookie when no Authorization header gives one "
        "(user and MCP routes); or from the header only", True)
    mcp_no_key: Literal["refuse", "superuser-with-auto-login"] = knob(
        "MCP transports without a key: refused, or served as the superuser while auto-login is on", "refuse")
    auto_login_refresh: bool = knob("GET /auto_login hands out a refresh token and three HttpOnly cookies (its "
                                    "access token lives an hour); or a year-long access token alone", True)
    auto_login_disabled_status: int = knob("GET /auto_login with auto-login off: the status", 403)
    auto_login_disabled_message: str = knob("GET /auto_login with auto-login off: the message",
                                            errors.AUTO_LOGIN_DISABLED)
    default_login: bool = knob(
        "the legacy default password 'langflow' signs in: the auto-login superuser keeps it (langflow/langflow logs "
        "in); or (1.13) the auto-login superuser's password is random, and a login as 'langflow' or "
        "LANGFLOW_SUPERUSER with the password 'langflow' is 401 'Incorrect username or password' whatever the "
        "account's password", False)
    superuser_password_required: bool = knob(
        "with auto-login off, a start without LANGFLOW_SUPERUSER_PASSWORD, or with it set to the legacy default "
        "'langflow', stops with Langflow's text; or the superuser's password falls back to 'langflow'", True)
    login_cookies: Literal["lax", "legacy"] = knob(
        "POST /login cookies: all HttpOnly SameSite=lax, or the refresh cookie HttpOnly SameSite=none Secure "
        "and the access cookie readable by scripts", "lax")
    skip_auth: Literal["everywhere", "api-key-routes"] = knob(
        "what LANGFLOW_SKIP_AUTH_AUTO_LOGIN opens: every route, or only /run and the v2 workflows", "everywhere")
    skip_auth_inactive: str = knob(
        "skip-auth's superuser deactivated since, on the user routes: the 401 text (1.13's credential check, or "
        "1.7.1's active-user check)", errors.ACCOUNT_INACTIVE)
    skip_auth_gone: Literal["named", "no-credentials"] = knob(
        "skip-auth's superuser deleted since: 403 'Superuser not found' on user routes, 503 'Superuser not found "
        "in database' on /run and the other key routes; or 403 'No authentication credentials provided' (the "
        "mock's answer where the release fails with a 500). MCP says 403 'Invalid or missing API key' in every "
        "release", "named")
    skip_auth_inactive_run: Literal["refused", "served"] = knob(
        "skip-auth's superuser deactivated since, on /run and the other key routes: 403 'User account is "
        "inactive', or served as if active (the key check before 1.13 looks at no is_active)", "refused")
    config: Literal["public", "authenticated"] = knob(
        "GET /config without credentials: the public subset, or refused", "public")
    public_images: bool = knob("GET /files/images/... needs no credentials", False)
    rate_limits: bool = knob(
        "login attempts, password changes and public builds are counted per minute (LANGFLOW_RATE_LIMIT_*), "
        "429 'Too many requests. Please try again later.' over the limit; or never limited", True)
    logs_superuser: bool = knob("/logs and /logs-stream need a superuser (else any signed-in user)", True)
    webhook_events: Literal["callers-flow", "owner-check"] = knob(
        "GET /webhook-events/{flow}: the caller first, then the caller's flow (404 for another's); or the flow "
        "first, whoever's (404 when there is none), then the caller, refused 403 unless they own it", "callers-flow")
    open_registration: bool = knob("POST /api/v2/registration/ takes no credentials (anyone may set the "
                                   "registered email); or it needs a signed-in user, as its GET does", False)


@section
class Shapes:
    """Fields a release does not send, by shape (the names are the mock's own shape names)."""

    hidden: dict[str, frozenset[str]] = knob("fields absent from a shape", factory=dict)
    paged_headers: Literal["header", "full"] = knob(
        "?header_flows=true&get_all=false: header items, or full flows (the flag ignored on pages)", "header")
    download: Literal["export", "read"] = knob(
        "flow and project downloads: 1.13's export (no owner, folder or times, no editor node state, code as "
        "lines; zip entries indented with sorted keys under file-safe names), or the read shape (one flow: plus "
        "fs_path) as json.dumps writes it, under the flow's name as it is", "export")


@section
class Startup:
    """What a fresh server holds before the first request."""

    variables: bool = knob("each user starts with the four global variables Langflow 1.13 creates (while the agentic "
                           "experience is on)", True)
    environment_sweep: bool = knob(
        "the server environment's variables (LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT) are stored for every user "
        "at start-up; else only for the auto-login superuser then (and for any user at login, in every release)",
        True)
    mcp_backfill: bool = knob(
        "each start imports the entries of every user's MCP servers file (_mcp_servers_<user id>.json, an older "
        "release's list) whose names the user's server list lacks (1.13's backfill_mcp_servers_from_files)", True)
    load_flows: Literal["guarded", "every-key"] = knob(
        "LANGFLOW_LOAD_FLOWS_PATH's upsert: a file's flow is the superuser's of its endpoint name, else any flow of "
        "its id, else the superuser's of its name; one matched but not by id is skipped unless "
        "LANGFLOW_LOAD_FLOWS_OVERWRITE_ON_NAME_MATCH, an update sets Langflow's updatable columns alone and keeps "
        "the stored graph's global-variable bindings (LANGFLOW_LOAD_FLOWS_PRESERVE_VARIABLE_BINDINGS); or any "
        "user's flow of its endpoint name, else any flow of its id, updated from every field the file has",
        "guarded")


@section
class Flows:
    """Flow create, read, update, upload and delete."""

    patch_missing_endpoint: Literal["keep", "clear"] = knob(
        "PATCH without endpoint_name: keeps it, or clears it (an endpoint_name sent as null clears it in every "
        "release)", "keep")
    foreign_folder: Literal["default", "kept"] = knob(
        "a flow write (PATCH, create, upload) naming another user's project: the flow goes to the caller's default "
        "project, made if need be; or it goes into that project as sent (1.7.1 checks no owner; an unknown id or "
        "the examples' folder goes where no folder would), and a create or upload naming none goes to the "
        "caller's 'Starter Project' if there is one, else into no project", "default")
    patch_current_folder: Literal["kept", "checked"] = knob(
        "a PATCH that names no folder leaves the flow's own folder as it is; or checks it as a sent one (none, or "
        "one the caller may not use, becomes the default: the caller's, or in 1.7.1 the first 'Starter Project')",
        "kept")
    batch_folder: Literal["resolved", "as-sent"] = knob(
        "POST /flows/batch/: each flow's folder resolved as a create's; or stored as sent (any user's project, or "
        "none: no project; an unknown id is no project in the mock)", "resolved")
    patch_null_data: Literal["ok", "server-error"] = knob(
        "PATCH on a flow whose data is null: works, or 500 'argument of type 'NoneType' is not iterable'", "ok")
    endpoint_taken: str = knob("PATCH to a taken endpoint name: the 400 text", errors.ENDPOINT_NAME_TAKEN)
    patch_unknown: str = knob("PATCH of an unknown flow: the 404 text", errors.FLOW_NOT_FOUND)
    patch_wrapped: bool = knob("PATCH's fs_path refusals carry '400: ' before their text (the release's handler "
                               "wraps every HTTP error it catches in another)", False)
    upload_errors: Literal["400", "legacy"] = knob(
        "upload with bad JSON / no file: 400 texts, or 500 {message} / 422 missing body.file", "400")
    flow_type_param: bool = knob("GET /flows/ takes ?flow_type=", True)
    batch_clash: Literal["409", "400"] = knob(
        "a batch create whose name or endpoint name is in use: 409 (Langflow maps the insert's failure), or 400 "
        "(the mock's answer to the release's 500)", "409")
    body_ids: Literal["kept", "new"] = knob(
        "a flow's id in a body or file that creates flows (POST /flows/, /flows/batch/, /flows/upload/, "
        "/projects/upload/): read as 1.13's FlowCreate has it (a create takes a free one, an upload updates the "
        "caller's flow of that id, a batch or project upload refuses ids any flow has with a 422 naming them and "
        "one given twice with 'Id must be unique'); or (before 1.13, whose FlowCreate has no id) never read: "
        "every flow gets a new id", "kept")
    fs_path_outside: Literal["plain", "with-folder"] = knob(
        "an absolute fs_path outside the caller's flows folder: the 400 text alone, or followed by ': <folder>'",
        "plain")
    reserved_uuid5: bool = knob("a new flow may not take a version-5 UUID (400; 1.13 keeps them for its public "
                                "flows' run histories)", True)
    nodes_walked: bool = knob("a written graph's nodes are walked for MCP credentials (1.13's flow writes): nodes "
                              "that are a number or true cannot be, a 422 with Python's 'object is not iterable'", True)
    code_lines: Literal["joined", "as-sent"] = knob(
        "a code field's value sent as a list of lines (as 1.13 exports code): joined into one string on every "
        "write, a line that is not a string a 422 'Code lines must all be strings'; or stored as sent", "joined")
    endpoint_numbers: Literal["skip", "strict"] = knob(
        "numbering an endpoint name in use (create, upload): an owner's endpoint name matching `<name>-%` that "
        "does not end in a number after its last '-' is passed over; or fails the write, 500 with Python's int() "
        "message", "skip")
    locked_guard: bool = knob(
        "a flow whose locked is true refuses a PATCH, PUT or upload that changes any field (unlocking it alone "
        "aside): 423 'Flow is locked. Unlock it before making changes.'", True)
    if_match: bool = knob("PATCH and PUT of a flow take If-Match: a malformed token is a 400, one the flow no longer "
                          "has a 409 flow_version_conflict (older releases ignore the header)", True)


@section
class Files:
    """The v1 (per flow) and v2 (per user) file routes."""

    v1_disposition: Literal["rfc", "run-on"] = knob(
        "v1 download content-disposition: quoted name and filename*, or `filename=N filename*=...` with no ';'",
        "rfc")
    v1_image_headers: bool = knob(
        "v1 image answers carry content-disposition: attachment and x-content-type-options: nosniff", True)
    v2_disposition: Literal["rfc", "quoted"] = knob(
        "v2 download content-disposition: quoted name plus filename*, or only the quoted name", "rfc")
    zip_disposition: Literal["rfc", "bare"] = knob(
        "zip downloads' content-disposition: quoted name plus filename*, or `filename=N` unquoted", "rfc")
    zip_names: Literal["portable", "as-is"] = knob(
        "v2 batch zip entries, '<name><extension>': made portable (characters Windows refuses, control and invisible "
        "formatting ones and '..' become '_', no leading or trailing dots and spaces, at most 255 bytes, a device "
        "name gets a leading '_'), a name already in the archive in any case taking '_<file id>_<n>' before its "
        "extension; or as they are, a repeated name written again", "portable")
    v2_rename_unknown: Literal["404", "500"] = knob(
        "v2 rename of an unknown file: 404, or 500 'Error editing file: 404: File not found'", "404")
    v1_name_check: bool = knob("a v1 download, image or delete whose file name holds '..', a slash or a "
                               "backslash is a 400 'Invalid file name. Use a simple ...'", True)
    v1_upload_paths: bool = knob("a v1 upload whose file name holds a slash, a backslash or '..' is refused "
                                 "(Langflow's storage: a 500 'Invalid file name: contains path separators'; the "
                                 "mock: a 400), or stored under its last segment", True)
    picture_names: Literal["segment", "traversal"] = knob(
        "a profile picture's folder or file name holding '..', a slash or a backslash: 1.13's 'Invalid folder name. "
        "Use a simple ...', or the older 'Path traversal patterns ...' (400 either way)", "segment")
    v2_names: Literal["refuse", "cut"] = knob(
        "a v2 upload's or rename's unsafe name (a path, '..', NUL/CR/LF, invisible formatting, over 255 bytes, a "
        "Windows device name): a 400, or cut down to a safe name", "refuse")
    mcp_config_file: Literal["none", "file", "file-renewed"] = knob(
        "where the user's MCP server list lives: apart from the files; or in the hidden v2 file "
        "_mcp_servers_<user id>.json, which /api/v2/mcp/servers reads (making it when missing) and writes anew on "
        "each edit, so that an upload, deletion or rename of it through /api/v2/files replaces or empties the list "
        "and DELETE /api/v2/files counts it; a file that is no UTF-8 text then reads as an empty list, left as it is "
        "(file) or replaced by an empty one (file-renewed)", "none")


@section
class Users:
    """Sign-up, user administration and API keys."""

    signup: Literal["superuser", "open", "settings"] = knob(
        "POST /users/: a superuser only, anyone, or a superuser and, while auto-login is off and "
        "LANGFLOW_ENABLE_SIGNUP on, anyone", "settings")
    administration: Literal["delegated", "superuser"] = knob(
        "refusals of user administration: 1.13's (X-Langflow-Error-Code headers, 'Permission denied: "
        "user:manage is required.', the superuser-promotion text), or the plain superuser checks of earlier "
        "releases", "delegated")
    audited: bool = knob(
        "with LANGFLOW_AUTHZ_AUDIT_ENABLED, the user routes write 1.13's authorization audit rows (user:create, "
        "user:read, user:update, user:delete: the changes and refusals)", True)
    self_deactivation: bool = knob("PATCH /users/{own id} with is_active false is refused (403)", True)
    reset_other_status: int = knob("reset-password for another user: the status", 404)
    names: Literal["nocase", "exact"] = knob(
        "a username is taken by the same name in another (ASCII) case, or only by the same name", "nocase")
    created_location: bool = knob("POST /users/ answers with a Location header", True)
    list_order: Literal["username", "created"] = knob("GET /users/: ordered by username, or as created",
                                                      "username")
    rename_clash: Literal["unavailable", "database-error"] = knob(
        "PATCH /users/{id} onto a taken username: 400 'This username is unavailable.', or 400 with the database's "
        "error as text (SQLAlchemy's IntegrityError: the UPDATE it ran and its values)", "unavailable")
    key_delete: Literal["own", "any"] = knob(
        "DELETE /api_key/{id}: the caller's keys only (another user's is a 400 'API Key not found'), or any "
        "user's key", "own")


@section
class Projects:
    """Projects (folders): their routes, names and MCP settings."""

    parent_check: bool = knob(
        "a project PATCH's parent_id must name one of the owner's projects (else 404 'Parent project not found'); "
        "or it is stored as sent, any id", True)
    listed_examples_name: bool = knob(
        "GET /projects/ lists a project of the caller's named 'Starter Projects' (the examples' folder's name; only "
        "the ownerless one is left out), or leaves it out too (every project of that name)", True)
    download_empty: Literal["404", "500"] = knob(
        "download of a project without flows: 404, or 500 '404: No flows found in project'", "404")
    download_failure: str = knob("download of a project holding a flow without a graph: the 500's text",
                                 errors.PROJECT_DOWNLOAD_FAILED)
    assistant_refusal: str = knob("deleting a project named 'Langflow Assistant': the 403 text",
                                  errors.ASSISTANT_UNDELETABLE)
    sealed_on_create: bool = knob(
        "a project created with MCP auth settings stores their secrets (api_key, oauth_client_secret) encrypted, "
        "as every later change does; or as sent", True)
    foreign_tokens: Literal["kept", "sealed"] = knob(
        "an auth settings secret sent as a Fernet token the server cannot open: stored as it is, or encrypted "
        "again", "kept")
    download_disposition: Literal["rfc", "encoded"] = knob(
        "a project download's content-disposition: quoted name plus filename*, or only "
        "`filename*=UTF-8''<percent-encoded name>`", "rfc")
    default_fallback: Literal["any", "recreate"] = knob(
        "the default project of a user with none named 'Starter Project' (renamed or deleted): the user's project "
        "with the lowest id when there is one (a new 'Starter Project' only for a user with no project); or a new "
        "'Starter Project'", "any")
    name_numbers: Literal["skip", "strict"] = knob(
        "numbering a created project's taken name: `%` and `_` in it taken literally and a '(...)' without a number "
        "skipped; or (1.8) `%` and `_` as LIKE wildcards and such a '(...)' a 500 with int()'s message", "skip")
    name_rules: bool = knob(
        "a project name with emoji, or with no letter or digit, is refused (create and PATCH: 422 item of type "
        "invalid_project_name; upload: 422 with its message)", True)
    page_params: Literal["bounded", "defaults"] = knob(
        "GET /projects/{id}'s page and size: page under 1 or size outside 1..100 is a 422; or (before 1.13, "
        "declared without limits) 0 stands for the first page and for 50 to a page, as when left out", "bounded")
    flows_of: Literal["caller", "anyone"] = knob(
        "GET /projects/{id} with page and size, and a project's download: the caller's flows in it; or every flow "
        "in it, whoever's (another user's gets there by 1.7.1's PATCH, create or upload, or 1.8's batch create), "
        "a PATCH of the project moves such flows to the first 'Starter Project' there is, and a project created "
        "with flows_list or components_list takes the flows of those ids whoever's, examples included", "caller")
    rename_taken: Literal["409", "500"] = knob(
        "PATCH renaming a project to a name another of the owner's projects has: 409 'Project name must be unique', "
        "checked first; or (before 1.13, no check) the unique constraint's failure, a 500 with SQLAlchemy's text, "
        "nothing changed", "409")
    upload_names: Literal["file", "stored"] = knob(
        "POST /projects/upload/ numbers a flow name in use before the flows go in as a batch: also a name an "
        "earlier flow of the file was given ('Taken', 'Taken' are 'Taken' and 'Taken (1)'); or (before 1.13) only "
        "the names stored, so a name the file gives twice fails the insert, answered as flows.batch_clash says",
        "file")
    search: Literal["literal", "like"] = knob(
        "GET /projects/{id}?search= on a page of flows: the text as it is, or (1.8) a LIKE pattern whose `%` and `_` "
        "match any text and any one character", "literal")


# The environment variables Langflow 1.13 stores as each user's Credentials by default (lfx 1.13's
# VARIABLES_TO_GET_FROM_ENVIRONMENT, without the agentic names, whose variables Langflow makes itself).
ENVIRONMENT_VARIABLES_1_13 = (
    "COMPOSIO_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "AZURE_AI_FOUNDRY_API_KEY",
    "AZURE_AI_FOUNDRY_ENDPOINT", "AZURE_AI_FOUNDRY_API_VERSION", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_API_VERSION",
    "AZURE_OPENAI_API_INSTANCE_NAME", "AZURE_OPENAI_API_DEPLOYMENT_NAME", "AZURE_OPENAI_API_EMBEDDINGS_DEPLOYMENT_NAME",
    "ASTRA_DB_APPLICATION_TOKEN", "ASTRA_DB_API_ENDPOINT", "COHERE_API_KEY", "GROQ_API_KEY", "HUGGINGFACEHUB_API_TOKEN",
    "PINECONE_API_KEY", "SAMBANOVA_API_KEY", "SEARCHAPI_API_KEY", "SERPAPI_API_KEY", "UPSTASH_VECTOR_REST_URL",
    "UPSTASH_VECTOR_REST_TOKEN", "VECTARA_CUSTOMER_ID", "VECTARA_CORPUS_ID", "VECTARA_API_KEY", "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY", "NOVITA_API_KEY", "TAVILY_API_KEY", "COMETAPI_KEY", "EMPIRIOLABS_API_KEY",
    "WATSONX_APIKEY", "WATSONX_PROJECT_ID", "WATSONX_URL", "OPENROUTER_API_KEY", "OPENROUTER_SITE_URL",
    "OPENROUTER_APP_NAME")
# Model providers' secret keys: an environment value "dummy" (any case) of one of these is a placeholder, not stored.
PLACEHOLDER_KEYS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "GROQ_API_KEY", "AZURE_OPENAI_API_KEY",
                    "AZURE_AI_FOUNDRY_API_KEY", "WATSONX_APIKEY", "OPENROUTER_API_KEY")

# The primary variable of each model provider 1.13 knows (lfx 1.13's MODEL_PROVIDER_METADATA): a Credential of
# that name is listed as a validated provider key (is_valid true).
PROVIDER_KEYS_1_13 = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "OLLAMA_BASE_URL", "GROQ_API_KEY",
                      "AZURE_OPENAI_API_KEY", "AZURE_AI_FOUNDRY_API_KEY", "WATSONX_APIKEY", "OPENROUTER_API_KEY")

# Each model provider 1.13 knows and the variables it declares (lfx 1.13's MODEL_PROVIDER_METADATA): deleting any
# of them prunes the provider's entries from the user's model status lists.
PROVIDER_VARIABLES_1_13 = (
    ("OpenAI", ("OPENAI_API_KEY", "OPENAI_BASE_URL")), ("Anthropic", ("ANTHROPIC_API_KEY",)),
    ("Google Generative AI", ("GOOGLE_API_KEY",)), ("Ollama", ("OLLAMA_BASE_URL",)), ("Groq", ("GROQ_API_KEY",)),
    ("Azure OpenAI", ("AZURE_OPENAI_API_KEY",)),
    ("Azure AI Foundry", ("AZURE_AI_FOUNDRY_API_KEY", "AZURE_AI_FOUNDRY_ENDPOINT", "AZURE_AI_FOUNDRY_API_VERSION")),
    ("IBM WatsonX", ("WATSONX_APIKEY", "WATSONX_PROJECT_ID", "WATSONX_URL")),
    ("OpenRouter", ("OPENROUTER_API_KEY", "OPENROUTER_SITE_URL", "OPENROUTER_APP_NAME")))


@section
class Variables:
    """Global variables: their routes, values and the ones Langflow makes itself."""

    patch: Literal["fields", "value-always"] = knob(
        "PATCH /variables/{id}: the fields sent (a null default_fields stored as null), the rest as they "
        "were; or the value always replaced (left out: emptied), the other fields as sent", "fields")
    listing: Literal["filtered", "all"] = knob(
        "GET /variables/: without __internal__ names and Generic variables that have no value; or every variable",
        "filtered")
    order: Literal["name", "created"] = knob("GET /variables/ ordered by name, or as created", "name")
    empty_listed: tuple[str, ...] = knob(
        "Generic variables a filtered list shows even without a value (optional model provider settings)",
        ("OPENAI_BASE_URL", "AZURE_AI_FOUNDRY_API_VERSION", "OPENROUTER_SITE_URL", "OPENROUTER_APP_NAME"))
    provider_keys: tuple[str, ...] = knob(
        "Credential names listed with is_valid true (model providers' keys, validated when stored)",
        PROVIDER_KEYS_1_13)
    fernet_values: Literal["refused", "sealed"] = knob(
        "a Generic value starting 'gAAAAA' (a Fernet token): refused (create: 500, PATCH: 404); or accepted, "
        "every value being stored encrypted, so that create and PATCH answers show a Generic's value as a token",
        "refused")
    type_change_guard: bool = knob(
        "a Credential turned Generic by a PATCH without a new value is a 404 (its encrypted value would show)", True)
    patch_type: bool = knob("PATCH /variables/{id} changes the type sent; else `type` is ignored (1.7.1's update "
                            "model has no such field)", True)
    environment: tuple[str, ...] = knob(
        "environment variables stored as each user's Credentials when set (LANGFLOW_STORE_ENVIRONMENT_VARIABLES), "
        "on top of those LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT names", ENVIRONMENT_VARIABLES_1_13)
    placeholder_keys: tuple[str, ...] = knob(
        "names whose environment value 'dummy' (any case) is a placeholder, never stored", PLACEHOLDER_KEYS)
    environment_overwrite: Literal["managed", "unedited", "always"] = knob(
        "a variable of that name the user already holds: its value follows the environment only while it is a "
        "Credential stored from the environment and never given a value, name or type since; or only while it "
        "was never updated (a PATCH, or an earlier import that found it, updates it); or always", "managed")
    agentic_environment: Literal["setting", "text"] = knob(
        "names set in LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT bring the agentic ones (FLOW_ID, COMPONENT_ID, "
        "FIELD_NAME, ASTRA_TOKEN) along while the agentic experience is on (lfx 1.13's settings validator reads "
        "the setting, a boolean on by default); or while LANGFLOW_AGENTIC_EXPERIENCE is unset or 'true' in any "
        "case (lfx 0.2 and 0.3's validator reads the raw text, whatever the release's default)", "setting")
    environment_fields: tuple[tuple[str, str, str], ...] = knob(
        "(name, provider, display name) of model provider variables an environment import gives the default "
        "fields [provider, display name] (made, or held without default fields); others get none", ())
    undecryptable: Literal["none", "empty", "fails"] = knob(
        "a run's field loading a Credential whose value does not decrypt (sealed with another secret key) or "
        "decrypts to nothing: read as no value (None; /run then falls back to the environment); or filled with "
        "\"\" (the variable service's decryption answers an empty text, and nothing falls back); or (1.7.1, "
        "whose variables are all encrypted) any variable's: one that does not decrypt fails the vertex with "
        "cryptography's InvalidToken (no text), one that decrypts to nothing fills \"\"", "none")
    listed_tokens: Literal["left-out", "opened", "opened-or-kept"] = knob(
        "GET /variables/ and a create's name check: a Generic variable whose stored value is an encrypted token "
        "(stored by 1.7.1, or a Credential relabelled Generic) is left out; or listed decrypted, left out when it "
        "does not decrypt (another secret key) or decrypts to nothing; or listed decrypted, as stored when it "
        "does not decrypt", "left-out")
    agentic_default: bool = knob(
        "Langflow's agentic_experience while LANGFLOW_AGENTIC_EXPERIENCE is unset (on: users get the agentic "
        "variables FLOW_ID, COMPONENT_ID, FIELD_NAME and ASTRA_TOKEN)", True)
    agentic_sign_ins: frozenset[str] = knob(
        "the sign-ins ('login', 'auto' for auto-login) that give the user the agentic Credentials it lacks, while "
        "the agentic experience is on", frozenset({"login", "auto"}))
    listed_others: Literal["stored", "none"] = knob(
        "GET /variables/: a variable of a type other than Credential or Generic lists its value as stored; or "
        "(1.7.1's list, which sets only a Generic's value) with none", "stored")
    provider_check: Literal["connector", "requests", "none"] = knob(
        "create or PATCH (with a value) of Ollama's base URL variable: a value its check refuses before connecting "
        "is a 400, from 1.13's connector SSRF guard (not an http(s) URL with a host, or an address in a blocked "
        "range, by the LANGFLOW_SSRF_* settings; a PATCH is checked by the name it leaves; WatsonX's "
        "key too, with the stored project and URL), or (1.8) from requests (no http(s) scheme; a PATCH "
        "by the name the variable had); or no check",
        "connector")
    pruned_models: tuple[tuple[str, tuple[str, ...]], ...] = knob(
        "(provider, variables): deleting one of these variables prunes the provider's models from the user's "
        "__disabled_models__ and __enabled_models__ (JSON lists; the variable becomes Generic, or is deleted when "
        "left empty); none: no pruning", PROVIDER_VARIABLES_1_13)
    model_pruning: Literal["qualified", "catalog"] = knob(
        "what a pruning removes: the list's '<provider>::<model>' entries (bare names are kept: 1.13 would first "
        "qualify those its model catalog, partly fetched at its start, knows); or the provider's model names of "
        "model_catalog, the value read as a set (a JSON text's characters, an object's keys)", "qualified")
    model_catalog: str = knob(
        "the model catalog (data/model_catalog_<name>.json) whose provider's model names a 'catalog' pruning "
        "removes (deprecated and unsupported ones included)", "1_13")
    delete_missing: Literal["not-found", "service-text"] = knob(
        "DELETE /variables/{id} of a variable the caller does not have: 404 'Variable not found', or 404 with the "
        "variable service's '<id> variable not found.' (the release answers a 500 with that text)", "not-found")


@section
class Run:
    """/run and what a run does: its answer, stream, tweaks and component behaviour."""

    stream_errors: Literal["event", "empty"] = knob(
        "/run?stream=true failing: an `error` event, or status 200 with an empty body", "event")
    failed_not_found: bool = knob(
        "a non-streamed /run whose graph failed with a text that says \"not found\" (a missing file or global "
        "variable, a table without the Text Key column) answers 404 with that text as its detail: lfx 0.3/0.2's "
        "graph error is a ValueError, which /run maps by its words; 1.13 answers every failed run 500", False)
    token_usage: bool = knob("run results carry token_usage", True)
    usage_totals: bool = knob(
        "token usage beyond the model's own message: an Agent reports its model calls' usage (its result and its "
        "message, stored and announced again); a Chat Output sets the sum of its upstream components' usage on "
        "its message (stored and announced again); a model's or an Agent's result carries its token_usage; else "
        "only a model's message carries the usage its provider reports", True)
    data_text: Literal["orjson-3.11", "orjson-3.10"] = knob(
        "a Data value read as text (a Chat Output's ```json block) is orjson's, indented by two, as the release's "
        "orjson writes it: 3.11.9 writes a float's positive exponent with its sign (1e+16), 3.10.15 without (1e16)",
        "orjson-3.11")
    advanced_result: Literal["full", "lean"] = knob(
        "a /run/advanced result: as /run's, or without timedelta, duration and its messages' stream_url", "full")
    tweak_values: Literal["scalars", "strings"] = knob(
        "a tweak's value: a boolean, number, string or object; or only a string or object (a top-level number "
        "is refused: a 422, or in a flat /run body the whole body ignored)", "scalars")
    tweak_writes: Literal["1.13", "1.8", "1.7.1"] = knob(
        "how a sync run's tweak is written into the flow's data (lfx's apply_tweaks): an object's keys go onto the "
        "field, anything else is its value; since 1.8 the field then stops loading a global variable unless the "
        "object says it does, and a dict field's {\"value\": x} is x; in 1.13 a text field's value that is no "
        "text makes no parameter, the component's default standing (seen live; 1.8's beta API fails a Chat Input "
        "given a number)", "1.13")
    form_bodies: bool = knob("a flat /run body may be multipart/form-data (its fields; tweaks as JSON text)", True)
    foreign_flow: Literal["not-found", "forbidden"] = knob(
        "/run or /run/advanced of a flow not the caller's (an example flow included): 404 'Flow identifier <id> "
        "not found', or 403 'You do not have permission to run this flow'", "not-found")
    tweak_floor: bool = knob("a run's tweak of a protected field (code, a code-running component's code, a SQL "
                             "query...) is a 422 TWEAKS_REFUSED (/run, /run/advanced, a sync v2 run); else "
                             "the release drops a `code` tweak silently (and ignores LANGFLOW_TWEAKS_POLICY)", True)
    protected_globals: bool = knob("a request's global variable (v2 globals, X-LANGFLOW-GLOBAL-VAR-*) does not "
                                   "fill a protected field (as tweak_floor's); the user's stored variable does", True)
    restricted_files: bool = knob(
        "a run's file fields are resolved as LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS (on by default) does: a field "
        "without file_path from its value, and a file value the run sets (files, a stream's tweak) too, and one "
        "naming a path outside the caller's and the flow's storage is refused (every run path, each in its own "
        "error shape); with Settings.restrict_local_file_access off, any path is read but a relative storage key "
        "must still name one of those folders (compared case-folded), and only a field's file_path is resolved, "
        "as without the knob; else only a field's file_path is resolved and nothing is refused (a transaction's "
        "inputs show the storage path either way)", True)
    cached_session: Literal["runs", "fails"] = knob(
        "/run/advanced with a session_id the chat cache holds (a flow id a build or vertex build cached its graph "
        "under in the last hour; any other is a 404): the run goes on from the stored flow (1.13, which drops the "
        "cached entry as another principal's), else Langflow's 500 of running the cache's entry as a graph", "runs")
    serving_identity: bool = knob(
        "the serving-plane end-user identity settings (LANGFLOW_SERVING_END_USER_HEADER...) are read: runs are "
        "scoped to a trusted gateway's end-user header (engine/end_users.py); else they are not", True)
    hitl_refused: bool = knob("v1 runs (/run, /run/advanced, webhooks, MCP tools) refuse a flow that would pause "
                              "for a person (a connected Human Input node, a tool needing approval): a 400", True)
    secret_credentials: bool = knob("a Credential variable's value reaches a component as a secret: a field other "
                                    "than a password one (a text, number or message field) refuses it and fails "
                                    "its vertex; and a component's shown results (run outputs, build data) mask "
                                    "the values of its password fields and of its sources', and its native trace "
                                    "shows a password field's value as ten asterisks. Else the decrypted value "
                                    "fills any field and nothing is masked", True)
    table_row_flags: bool = knob("a table row's __load_from_db_fields chooses which of its load_from_db columns' "
                                 "cells load a variable (and is dropped from the row); else every such cell does",
                                 True)
    default_field_binding: bool = knob("/run, webhooks and MCP tools bind a flow's empty text field to the user's "
                                       "variable whose default_fields name the field's display name", True)
    env_fallback_guard: bool = knob("a field's global variable the user lacks is never read from the server's "
                                    "environment when its name is a LANGFLOW_/LFX_ setting or an infrastructure "
                                    "secret (DATABASE_URL, AWS_SECRET_ACCESS_KEY...): it reads as unset", True)
    field_fallback: bool = knob("a run's field whose global variable the user does not hold (or holds without a "
                                "value) reads the server's environment variable of that name (builds aside); else "
                                "it fails the vertex as a build's does, whatever LANGFLOW_FALLBACK_TO_ENV_VAR says "
                                "(lfx 0.2's loader re-raises 'variable not found.'); a table's cell falls back either "
                                "way", True)
    orphaned_tools: bool = knob("every run and build skips a tool-mode component that feeds nothing (unless it is the "
                                "start or stop component); else it runs as any other", True)
    human_input: bool = knob("a Human Input node runs as lfx's component: a v2 background run pauses at it for a "
                             "person's decision (job suspended, resumed through /resume), any other run goes through "
                             "it with an empty text on each connected branch; else it is a component the release "
                             "lacks, passed through as any unknown one", True)
    responses_flows: Literal["own", "any-by-id"] = knob(
        "POST /responses' `model`: the caller's flow by id or endpoint name (another's: flow_not_found); or, as the "
        "older lookup has it, any user's flow by id (run for the caller) and the caller's by endpoint name", "own")
    responses_errors: Literal["typed", "plain"] = knob(
        "POST /responses' failures (an OpenAI error body, status 200): a flow without a Chat Input or Output is "
        "an invalid_request_error with code invalid_flow_request, and a failed run a processing_error worded as "
        "/run's 500 ('500: {...}'), as a /run stream's error event words it too; or both a processing_error with "
        "no code and the error's own text (the stream's too)", "typed")
    responses_finish: bool = knob(
        "a streamed POST /responses: chunks carry finish_reason, an `error` event of the run ends the stream with "
        "a failed chunk and [DONE], and a response.completed event comes before [DONE]; else the run's errors go "
        "unnoticed and the last chunk is followed by [DONE] alone", True)
    responses_dedup: bool = knob(
        "a streamed POST /responses counts what it sent: a token repeating the partial message's text is not sent "
        "again, and a complete message's text is left out only when that message streamed tokens; else every "
        "complete message's text is left out, and the first streamed chunk goes out twice", True)
    agent_steps: Literal["log", "group"] = knob(
        "an Agent's own message (stored, announced, then taken over by the Chat Output it feeds): its content "
        "blocks a flat log of what the model said, which a tool-less answer leaves empty on v1 answers, events and "
        "the monitor (and the answer text announced once the model is done, still partial); or one \"Agent Steps\" "
        "group that gets an Input text (announced before the first token) and, the answer done, an Output text",
        "log")
    model_selection: bool = knob(
        "a Language Model or an Agent checks its `model` selection as it builds (lfx 1.13's get_llm): none, one "
        "without a provider or a model name the model catalog does not know fails the vertex, and so does a "
        "Language Model's provider or model name override without a built-in selection; an Agent with no "
        "selection runs its legacy `agent_llm` and `model_name`; else every model node runs, whatever it selects",
        True)
    model_streams: Literal["own-build", "chat-output"] = knob(
        "a model whose `stream` is on and which feeds a Chat Output, in a run with an event manager (a build, a "
        "streamed run, a webhook's): streams its reply through its own message as it builds (announced with the "
        "first chunk, the tokens, the complete message, all before its end_vertex; the Chat Output then takes that "
        "message over), or hands the stream to the Chat Output, which streams it as it builds", "own-build")
    structured_response: bool = knob(
        "an Agent builds its Structured Response (the output whose method is json_response) as lfx 1.13's does: "
        "the objects its model's answer holds, checked against its output schema (engine/structured.py); else that "
        "output hands on the Agent's answer, as every other output of it does", True)
    agent_calculator: bool = knob(
        "an Agent whose `add_calculator_tool` is on gives its model lfx's Calculator as a tool "
        "(evaluate_expression), as 1.13's does; before 1.13 the Agent has no such field", True)
    read_file_report: bool = knob(
        "Read File logs the files it starts on and each file's text encoding (sent as log events), and returns a "
        "Message holding the first file's server path, metadata and encoding (its artifact shows it), decoding "
        "each file as lfx 1.13's encoding detection does; else it reads every file as UTF-8, keeps only the first "
        "log entry (no event) and its Message holds the first file's name, size and mimetype", True)
    message_text_values: Literal["pending", "refused"] = knob(
        "a Message made of JSON whose \"text\" is no string (Type Convert): `pending` (1.13's Message keeps the value "
        "as a pending text stream: its output shows lfx's artifact of it, a Chat Output writes str() of a truthy "
        "one, else nothing) or `refused` (lfx 0.3/0.2's pydantic check fails the component; None is taken, and a "
        "Chat Output then finds no text)", "pending")
    agent_prompt_values: bool = knob(
        "an Agent's instructions have their {current_date} (today's UTC date), {model_name} and "
        "{optional_user_context} (empty) placeholders replaced before its model gets them, as 1.13's "
        "AgentComponent does; earlier Agents hand them on as written", True)
    if_else_cases: Literal["resolved", "raw"] = knob(
        "what If-Else hands on: `resolved` (1.13's _resolve_case_message): its Case True/False message, or the Text "
        "Input when that message is blank, and Message(text=\"\") out of the other output; `raw` (lfx 0.3/0.2): the "
        "case message as it is, a blank one empty, and Message(content=\"\"), whose dump shows that `content`",
        "resolved")
    branch_merges: Literal["kept", "off"] = knob(
        "an If-Else's route not taken switches off all that is downstream of it but the merge points, what another "
        "of its outputs also reaches (1.13), or everything, merge points too (lfx 0.3/0.2, whose edges form a set: "
        "a vertex both outputs feed directly is switched off or not by chance; the mock switches it off)", "kept")
    parser_lists: bool = knob(
        "the Parser takes a list of JSON items too (1.13: its refusal of other input names list[Data]) and its "
        "Stringify writes no input as \"None\"; lfx 0.3/0.2 refuse a list, name \"DataFrame or Data\", and write "
        "no input (or an empty text) as \"False\"", True)
    split_text: Literal["1.13", "1.8", "1.7.1"] = knob(
        "Split Text's release: 1.13 lower-cases Keep Separator (\"End\" keeps each separator on the piece before "
        "it); 1.8 hands \"Start\"/\"End\" to langchain as typed (both keep it on the piece after); 1.7.1's lfx "
        "has no Clean Output and leaves the table's columns as made (the item's fields, then \"text\")", "1.13")
    table_text: Literal["tidied", "plain"] = knob(
        "a table (Message History's `dataframe`) written out as text, tabulate's pipe table of its rows: `tidied` "
        "(1.13's safe_convert): a text cell's line endings made \\n, its outer line breaks dropped, the rest written "
        "<br/>, and a Chat Output's Basic Clean Data honoured; `plain` (lfx 0.3/0.2): \"|\" escaped alone, and a Chat "
        "Output given one table never cleaning it",
        "tidied")
    table_numbers: Literal["0.10", "0.9"] = knob(
        "the tabulate release that writes a table out (engine/table.py): 0.10 (1.13's) reads an empty text cell as "
        "missing and \"1,000\" as a number; 0.9 (lfx 0.3/0.2's) reads both as text, so their column is one of texts",
        "0.10")
    table_cells: Literal["whole", "cut"] = knob(
        "the repr of a table a component shows as its status: every cell whole (1.13's Table sets pandas' "
        "display.max_colwidth to None), or a cell past 50 characters cut with \"...\" (pandas' default, lfx 0.3/0.2)",
        "whole")
    table_class: str = knob(
        "the class of lfx's tables, which the repr of a table of no rows names (\"Empty Table\"): 1.13's Table, "
        "lfx 0.3/0.2's DataFrame", "Table")
    sticky_repr: bool = knob(
        "a component's artifact `repr` is fixed by its first output built (lfx 0.3/0.2's custom_repr keeps "
        "repr_value: the status then, else each output's own value); else each output reads the status anew "
        "(1.13), which the text of the output built before it has become", False)
    agent_blank_tokens: bool = knob(
        "an Agent announces a streamed chunk that is only whitespace as a token; else only chunks with other text",
        True)
    tool_errors: bool = knob(
        "a script rule's tool call with an `error` is emulated: the component's tool raises, LangChain hands the "
        "error text back as a ToolMessage of status error (lfx's component_tool.py raises ToolException(str(e)), "
        "which the tool handles) and the call is marked Executed with it; else the mock refuses it (lfx 0.3/0.2 "
        "raise ToolException(e), whose handled result is the exception object itself)", True)
    frozen_results: Literal["per-user", "shared"] = knob(
        "whose builds a frozen vertex reuses: the last build of a vertex of that id run by the same user (1.13's "
        "principal-scoped cache key; a run without a user: of that flow), or the last of that id by anyone (lfx "
        "0.3/0.2 key the cache by the vertex id alone)", "per-user")


@dataclass(frozen=True, repr=False)
class Catalog:
    """What /all says about each component."""

    class_names: bool = knob("component metadata carries component_class_name", True)
    dropped_keys: tuple[tuple[str, frozenset[str]], ...] = knob(
        "template field keys a release does not send, by '<Component>.<field>' or '*' for every field", ())
    unknown_types: frozenset[str] = knob("input types the release does not have yet (1.13's JSON and Table)",
                                         frozenset())
    dependency_versions: tuple[tuple[str, str | None], ...] = knob(
        "versions the components' metadata names for their dependencies", ())
    display_names: bool = knob("the body ends with `component_display_names` (component key -> the known names "
                               "of the component and its fields), which 1.13 added", True)
    legacy: tuple[tuple[str, tuple[str, ...]], ...] = knob(
        "the components the release marks legacy, each with the `replacement` it names",
        (("Pass", ("flow_controls.ConditionalRouter",)), ("TextInput", ("input_output.ChatInput",)),
         ("TextOutput", ("input_output.ChatOutput",))))
    absent_fields: tuple[tuple[str, frozenset[str]], ...] = knob(
        "template fields a release's component does not have yet, by component", ())
    earlier_templates: frozenset[str] = knob(
        "components whose template is the one their catalog entry keeps for releases before 1.13 "
        "(`earlier`: the Language Model and the Agent named their model by provider and model name, with no "
        "`model` field, and the Agent had no structured output)",
        frozenset())
    output_forms: tuple[tuple[str, str, str, str], ...] = knob(
        "outputs the release names otherwise, as (component, output, display name, type); the component's base "
        "classes follow its outputs' types", ())


@section
class Build:
    """The build routes (/build/{flow_id}/flow, its events and cancel) and their events."""

    build_start: bool = knob("build events include `build_start`", True)
    end: Literal["duration", "empty"] = knob("the final `end` event: {build_duration}, or {}", "duration")
    output_meta: bool = knob("end_vertex carries output_meta", True)
    unknown_job: str = knob("an unknown build job: the 404 text ({job_id})", errors.BUILD_JOB_NOT_FOUND)
    drained_reget: Literal["silent", "headers"] = knob(
        "a second GET of drained events: never answers, or sends 200 headers and then nothing", "silent")
    vertex_build_job: Literal["run", "none"] = knob(
        "job_id of a build's logged vertex builds: its run's id (the messages' run_id, never the build job's id), "
        "or none", "run")
    forgotten: frozenset[str] = knob(
        "the statuses of build jobs Langflow's job queue drops 300 s after they end (their events and cancel are "
        "then 404s, as for an unknown job)", frozenset({"completed", "failed", "cancelled"}))
    owner_scoped: bool = knob(
        "a build finds only the caller's flow (another's, or an example flow, is the unknown flow's 404), and only "
        "the caller's build jobs answer /events and /cancel (1.13: a public build's too; others as unknown), and the "
        "vertex-by-vertex build answers only the caller's flow (a PUBLIC one of another user too is a 404); or "
        "any user's flow, example flows too, and any build job, by id alone", True)
    duration_places: int = knob(
        "a vertex build's `duration` text (format_elapsed_time): whole ms under a second, then seconds (and minutes) "
        "rounded to this many places", 1)
    client_request_time: bool = knob(
        "a vertex-by-vertex build's timedelta (and duration) runs from the inputs' client_request_time (ms since the "
        "epoch) when one is sent; or (every release but 1.7.1) that time is not read", False)
    empty_flow_direct: Literal["closes", "hangs"] = knob(
        "a failed build (as a direct build of a flow without data shows): its event queue gets a close after the "
        "error, so the stream ends, or stays open", "closes")
    edge_handles: Literal["first-edge", "before-nodes"] = knob(
        "when a build's graph loader reads every edge's data.sourceHandle.id and data.targetHandle.id (one missing "
        "fails the build, engine/graph.py graph_fault): as it makes the first edge whose ends are found, or as it "
        "adds the nodes, before it reads any", "first-edge")
    edge_types: Literal["migrated", "exact"] = knob(
        "how the graph loader matches an edge's handle types and its source output's types with what the target "
        "takes (engine/edges.py): with 1.13's type migrations (Data matches JSON, DataFrame Table), or by exact "
        "name (lfx 0.3/0.2, which match a target's requirements as substrings)", "migrated")
    public: Literal["guarded", "open", "sent-data"] = knob(
        "the public build (build_public_tmp): 1.13's guard (an unknown or private flow a 404 'Flow not found', "
        "`data` not taken, `files` kept to the flow's own folder, inputs.session kept under the virtual flow id, "
        "events and cancel only for jobs it started, else 404 'Job not found', a failed vertex's build data without "
        "its error text or traceback); or 1.8's (a 403 'Flow is not public', `data` taken, and events and cancel of "
        "any build job); or 1.7.1's, as 1.8's but only the sent `data` is built (it looks the graph up by the "
        "virtual id, so without `data` the build fails as a flow's without data does)", "guarded")

    @property
    def handles_first(self) -> bool:
        """Whether the graph loader reads the edges' handles as it adds the nodes (edge_handles)."""
        return self.edge_handles == "before-nodes"


@section
class Mcp:
    """The MCP servers (global and per project) and the MCP server settings."""

    unknown_project: Literal["404", "500"] = knob(
        "an unknown MCP project: 404, or 500 '404: Project not found'", "404")
    sdk_version: str = knob("serverInfo.version (the mcp package Langflow shipped)", "1.30.0")
    server_edits: Literal["checked", "legacy"] = knob(
        "/api/v2/mcp/servers/{name}: 404 for an unknown name and 409 for a name in use, PATCH merged into the stored "
        "config, env/headers values masked in answers, a body `name` other than the path's a 422; or 1.8's "
        "(null for an unknown name, 500s, PATCH replaces, nothing masked)", "checked")
    server_names: Literal["any-script", "tool-rules"] = knob(
        "a project's MCP server name: 1.13's rules (letters of any script stay; when another project holds the "
        "name, one ending in the project id's first 8 hex digits), or the tool-name rules cut to 26 characters",
        "any-script")
    project_auth: Literal["by-project", "key-or-superuser"] = knob(
        "who a project's MCP transports serve: 1.13's (a project with auth 'none' serves anyone as its owner; "
        "'apikey' and 'oauth' projects, or any project when auto-login is off, want a key, and a key given is "
        "always checked, 401 when missing or wrong; else as /run without a key); or 1.8's (a key only for "
        "'apikey' projects, or projects without auth settings when auto-login is off, 401 when missing or "
        "wrong; everyone else is served as the superuser, any key unread)", "by-project")
    tool_names: Literal["name-map", "base-name"] = knob(
        "MCP tool names: one map, in flow-id order, gives tools/list its names (a flow left out still holds its "
        "name) and tools/call its flow, so a numbered duplicate like 'echo_1' can be called; a project's "
        "tools/list names the flows left out in _meta and fails when it left out all; or tools/call takes the first "
        "flow whose un-numbered name it is", "name-map")
    install_key: Literal["unless-skip-auth", "apikey-projects"] = knob(
        "when POST .../install gives the editor's entry a new API key: for 'apikey' projects, and for every project "
        "while auto-login is on without SKIP_AUTH_AUTO_LOGIN; or for 'apikey' projects only", "unless-skip-auth")
    install_client: Literal["peer", "first-forwarded"] = knob(
        "where POST .../install comes from, for its local-only check: the TCP peer (X-Forwarded-For's last hop "
        "only with LANGFLOW_RATE_LIMIT_TRUST_PROXY), or X-Forwarded-For's first entry when the header is there",
        "peer")
    resources: Literal["caller-scoped", "unscoped"] = knob(
        "MCP resources: the files of the caller's flows (a project's server: of its flows) and, on the global "
        "server, the caller's own files, nothing else readable; or the files of everyone's flows (a project's: of "
        "all its flows), the caller's files on both servers, and any file readable", "caller-scoped")
    tool_order: Literal["id", "created"] = knob(
        "the order of the flows tools/list makes tools of, which is also the order numbered duplicate names are "
        "handed out and tools/call looks a name up in: by flow id, or as the flows were created (no ORDER BY)",
        "id")
    tool_list: Literal["caller-scoped", "unscoped"] = knob(
        "whose flows tools/list offers: the caller's (a project's server: the caller's flows in it); or every "
        "user's flows (a project's: all its flows), though tools/call still finds only the caller's", "caller-scoped")
    servers_lock: bool = knob(
        "LANGFLOW_MCP_SERVERS_LOCKED=true leaves adding, changing and deleting /api/v2/mcp/servers entries to "
        "superusers (403 for anyone else) and shows in /config; or the setting does not exist", True)
    sse_switch: bool = knob(
        "LANGFLOW_MCP_SSE_ENABLED=false turns the MCP SSE transport off (404, before any auth); or the setting does "
        "not exist", True)
    sse_messages_auth: bool = knob(
        "POST /api/v1/mcp/ (the global SSE session's messages) wants the MCP credentials, and only the user who "
        "opened the session may post to it (others get the unknown session's 404); or the session id alone "
        "will do", True)
    sdk_pin: bool = knob("the mcp-proxy commands Langflow writes pin the MCP SDK (uvx --with mcp~=1.28)", True)
    request_variables: Literal["with-auth", "headers", "none"] = knob(
        "what a project transport's tool runs take as request variables: its X-LANGFLOW-GLOBAL-VAR-<NAME> headers "
        "(as /run's) and its x-api-key and authorization headers under those names; the global-variable headers "
        "only; or none (the global server takes none in any release)", "with-auth")
    tool_failures: Literal["error", "content"] = knob(
        "a tools/call whose flow run fails: an error result, a component's failure worded as the run's 500 "
        "('Error Executing the <flow> tool. Error: 500: {\"message\": ...}', a visitor's message hidden); or a "
        "normal result whose content is 'Error Executing the <flow> tool. Error: <the error>'", "error")
    stdio_admin_only: bool = knob(
        "with custom code restricted (LANGFLOW_ALLOW_CUSTOM_COMPONENTS=false, LANGFLOW_CUSTOM_COMPONENT_ADMIN_ONLY or "
        "LANGFLOW_BLOCK_CODE_INTERPRETER_COMPONENTS true) a non-superuser's stdio config (a command, or mode stdio) is "
        "a 403 on /api/v2/mcp/servers POST, PATCH (the body, then the merged config) and GET ?action_count=true; or "
        "the settings do not exist", True)
    starter_entry_kept: Literal["url", "project"] = knob(
        "at a start, the Starter Project's entry of its own (an entry of its name with a URL holding its id) is left "
        "alone when it has the project's streamable HTTP URL (1.13: with the pinned uvx mcp-proxy command), else "
        "rewritten with a new key; or whatever its URL", "url")
    unconfigured_server: bool = knob(
        "a run's MCP Tools node whose server is neither in the user's list nor given a config by the node fails "
        "(\"MCP server '<name>' is not configured. ...\", in its tool-list error); or it loads no tools and goes on",
        True)
    stdio_policy: bool = knob(
        "/api/v2/mcp/servers POST and PATCH refuse, as a 422 value_error on the body, a stdio config (command, args, "
        "env) outside 1.13's policy: allowed launchers only, no shell metacharacters or installing keywords in args, "
        "no code-loading environment variables, shell wrappers only around another launcher; or any config is kept",
        True)
    servers_file_checked: bool = knob(
        "a v2 upload named as the user's MCP servers file (_mcp_servers_<user id>.json) is checked as an entry edit "
        "is: 403 while the list is locked to superusers, 422 for text that is no JSON, no mcpServers object or an "
        "entry the request model refuses, then 403 for a stdio entry the custom code restriction leaves to "
        "superusers; or it is stored as any file is", True)
    server_follows_auth: bool = knob(
        "a project's MCP server entry follows the project's auth: made with the auth the project is created "
        "with, rewritten when that changes and at each start when it no longer matches; or made once, with API "
        "keys only when auto-login is off and the project was created without auth settings", True)


@section
class Workflows:
    """The v2 Workflow API: which dialect, its gates and answers."""

    dialect: Literal["absent", "beta", "current"] = knob(
        "the v2 Workflow API: absent, the 1.8 beta ({flow_id, background, stream, inputs}), or the current "
        "one ({flow_id, input_value, mode, ...})", "current")
    developer_api_gate: bool = knob(
        "LANGFLOW_DEVELOPER_API_ENABLED gates the v2 workflows (off: 403 DEVELOPER_API_DISABLED)", False)
    failed_error_detail: bool = knob(
        "a failed job's status (500 JOB_FAILED) carries error_detail: the error Message of a background run, "
        "null for a sync run's job", True)
    build_run_job: bool = knob(
        "a v1 build records a workflow job under its run id (the messages' run_id), which the status route "
        "reads: in progress, failed (a cancel too), or completed, rebuilt from the run's vertex builds", True)


@section
class Prompts:
    """POST /api/v1/validate/prompt, the prompt editor's check of a template."""

    mustache: Literal["scan", "regex", "none"] = knob(
        "the request's `mustache` flag (only {{name}} tags allowed, their names the variables) and the f-string "
        "mode's dropping of names that are also mustache tags; a tag found by scanning to the next '}}', or by a "
        "regex that stops at the first '}'; or neither (the flag is ignored, f-string names are all kept)", "scan")
    reserved_prefix: bool = knob("a variable whose name starts with '_' is refused (500)", True)
    invalid_prefix: str = knob("the text before 'Input variables contain invalid characters or formats.'", "")
    api_editable: bool = knob("a variable's template field carries api_editable: false", True)


@section
class CustomComponents:
    """POST /api/v1/custom_component and /custom_component/update: a component's node from its posted source."""

    saved_class: bool = knob("the saved node's metadata.component_class_name picks the class among the code's "
                             "Component classes (else the first)", True)
    lfx_version: str = knob("the version a posted component's metadata names for its lfx dependency", "1.13.0")
    type_names: tuple[tuple[str, str], ...] = knob("return annotations the release names another way (its lfx "
                                                   "renamed the class)", (("Data", "JSON"), ("DataFrame", "Table")))
    untyped_output: Literal["none", "NoneType"] = knob(
        "an output whose method has no return annotation: no types, or the type NoneType", "none")
    data_input: Literal["JSONInput", "DataInput"] = knob(
        "the kind a DataInput is serialised as (1.13's is an alias of JSONInput; older releases lack JSONInput)",
        "JSONInput")
    input_keys_absent: frozenset[str] = knob("input keys ('<Kind>.<key>') the release's input classes lack",
                                             frozenset())
    int_value: int | str = knob("an IntInput's value when the code gives none", 0)
    tools: Literal["current", "legacy"] = knob(
        "tool mode's tools: named after the class for a lone generic method, described by the output's info, with "
        "approval_actions; or named by method, described by the component, without approval_actions", "current")


@section
class KnowledgeBases:
    """/api/v1/knowledge_bases: the Knowledge page's bases, the chunks of the files ingested into them."""

    guarded: bool = knob(
        "1.13's checks and records: a create needs an embedding provider (else 404 'Model provider not found') and "
        "refuses a path-like name (403); the chunking form fields are bounded and an overlap past the size is a "
        "422; an ingestion takes metadata, its chunks carry source_type and source_metadata, its runs are kept "
        "(GET /runs); a failed ingestion marks the base failed. Off (1.8): none of that", True)
    base_id: Literal["record", "name-on-read", "name"] = knob(
        "a base's `id`: its UUID; its name in GET /knowledge_bases/{kb_name} only (1.8 reads it off its "
        "directory there); or its name everywhere (1.7.1)", "record")
    titled_names: bool = knob(
        "a base's `name` is its directory's, '_' and '-' made spaces, title-cased, and the list is sorted by it "
        "(1.7.1); else '_' made spaces, the list newest first", False)
    ended_job_fails: bool = knob(
        "the list shows a base whose last ingestion failed, was cancelled or timed out as `failed` (1.8); else "
        "the base's own state decides", False)
    separator_fallback: bool = knob(
        "an ingestion's separator is tried first, then the splitter's defaults (1.13); else (1.8) it is the only "
        "one", True)
    preview_separator: str = knob("preview-chunks' separator when the form has none", "")


@section
class Models:
    """The model catalog routes the UI's model settings and pickers call (/models, /model_options)."""

    catalog: str = knob("the release's model catalog (data/model_catalog_<name>.json, from its lfx model metadata)",
                        "1_13")
    dialect: Literal["policy", "legacy"] = knob(
        "1.13's routes: provider ids, a provider policy (an install-wide approved list; an unknown provider is a "
        "404 'Model provider not found'), model status kept as '<provider>::<model>' entries, a provider configured "
        "when its required variables hold values, options of configured providers only; or 1.8's: provider names, "
        "bare model names, a provider configured when its required variables exist, options of every provider "
        "while none is configured, with an '__enable_provider_<name>__' entry for each provider without options",
        "policy")


@section
class CustomCode:
    """Component source a client posts: POST /api/v1/validate/code (mock_langflow/custom_code.py)."""

    gate: bool = knob(
        "1.13's custom-code policy before anything else: the catalog policy refuses the code of a component it "
        "blocks (403), then with LANGFLOW_ALLOW_CUSTOM_COMPONENTS false, or LANGFLOW_CUSTOM_COMPONENT_ADMIN_ONLY "
        "for anyone but a superuser, only a server template's code passes (403 otherwise); or no gate", True)
    check: Literal["find-spec", "import"] = knob(
        "how an `import` and a function definition are checked: the top-level module looked up ('No module named "
        "<the whole name>'), the definition compiled, a failure listed; or the whole name imported ('No module "
        "named <the first missing part>'), a definition that does not compile a 500, one that does executed",
        "find-spec")
    modules: Literal["1.13", "1.8", "1.7.1"] = knob(
        "the install whose top-level modules (data/importable_modules.json, beside the standard library's) an "
        "import may name", "1.13")


@section
class Assistant:
    """The Langflow Assistant's routes (/api/v1/agentic/...), answered by the scripted model."""

    dialect: Literal["agent", "flows"] = knob(
        "1.13's: /assist, /assist/stream and /execute gated on the agentic experience (404) and on the admin-only "
        "component policy (403), their body bounded (max_retries 1-5, history_limit, iterations_limit, the "
        "message length), flow_id a flow of the caller's, /execute needing a provider; check-config saying "
        "`enabled` and listing the configured providers' models; the stream's attempts counted from 1, tokens for "
        "every intent, an off-topic refusal, usage and duration on `complete`, the session's earlier turns sent "
        "to the model, a validated component registered until the session's reset; or 1.8's: none of that",
        "agent")


@section
class Profile:
    """One emulated release: its identity, the sections above, and its routes and documents."""

    version: str
    aliases: tuple[str, ...]
    summary: str = ""
    config_public: dict[str, Any] | None = knob("GET /config without credentials (None: refused)")
    config_full: dict[str, Any] = knob("GET /config with credentials", factory=dict)
    routes_absent: frozenset[str] = knob("the mock's routes this release does not have (by handler)",
                                         frozenset())
    schema_hidden: frozenset[str] = knob(
        "operations the release serves but leaves out of /openapi.json ('METHOD /path')", frozenset())
    schema_shown: frozenset[str] = knob(
        "operations 1.13 leaves out of /openapi.json that the release lists there ('METHOD /path')", frozenset())
    schema_shown_method: str = knob(
        "the method a listed route of several methods names in its operationId (Langflow's is the first of a set:"
        " the recorded document's)", "get")
    schema_properties: dict[str, dict[str, Any]] = knob(
        "shape properties the release's /openapi.json types otherwise, or lists where the mock's shape has none "
        "('Shape.property' -> its schema)", factory=dict)
    schema_absent: frozenset[str] = knob(
        "shape properties the release's /openapi.json does not list ('Shape.property'); the mock's request "
        "validation stays as it is", frozenset())
    schema_optional: frozenset[str] = knob(
        "shape properties the release's /openapi.json does not require, which Langflow gives a default "
        "('Shape.property'); the mock always sends them", frozenset({
            "UserRead.id", "UserFileRead.id", "UserFileRead.created_at", "UserFileRead.updated_at"}))
    schema_shapes: dict[str, dict[str, Any]] = knob(
        "shapes the release's /openapi.json types otherwise as a whole, or has where the mock has none ('Shape' -> "
        "its schema; a request body of that shape with a required field is required)", factory=dict)
    schema_responses: dict[str, dict[str, Any]] = knob(
        "answers the release's /openapi.json types otherwise ('METHOD /path' -> the JSON schema of its 200)",
        factory=dict)
    schema_names: dict[str, str] = knob(
        "components the release's /openapi.json names otherwise ('Shape' -> its name there; Langflow's document "
        "qualifies a name its modules share with the module's path)", factory=lambda: {
            "FlowFileUploaded": "langflow__api__v1__schemas__UploadFileResponse",
            "UploadFileResponse": "langflow__api__schemas__UploadFileResponse",
            "UserFileRead": "langflow__services__database__models__file__model__File",
            "StarterProject": "GraphDumpResponse", "ChatOutputFile": "lfx__utils__schemas__File"})
    schema_files: Literal["content-media-type", "binary-format"] = knob(
        "how /openapi.json types an uploaded file: contentMediaType application/octet-stream, or format binary (the "
        "older FastAPI's)", "content-media-type")
    params_bounds: dict[str, dict[str, int]] = knob(
        "integer query parameters /openapi.json declares with limits ('METHOD /path name' -> minimum, maximum)",
        factory=lambda: {"GET /api/v1/projects/{project_id} page": {"minimum": 1},
                         "GET /api/v1/projects/{project_id} size": {"minimum": 1, "maximum": 100}})
    params_absent: frozenset[str] = knob(
        "query and header parameters the release does not have ('METHOD /path name'): left out of /openapi.json,"
        " and ignored as any unknown parameter is", frozenset({
            # the older flow lookup's own user_id (an endpoint name then finds any user's flow, or that user's)
            "POST /api/v1/run/{flow_id_or_name} user_id", "POST /api/v1/run/advanced/{flow_id_or_name} user_id",
            "POST /api/v1/run/session/{flow_id_or_name} user_id", "POST /api/v1/webhook/{flow_id_or_name} user_id"}))
    schema_security: dict[str, Literal["token-or-key", "none"]] = knob(
        "operations whose security the release's /openapi.json lists otherwise than the mock's dependencies "
        "declare ('METHOD /path' -> token-or-key: the access token's scheme, then the query's key, then the "
        "header's; none: no security): a caller the mock checks in the handler, or asks for where Langflow does "
        "not", factory=dict)
    http: Http = field(default_factory=Http)
    validation: Validation = field(default_factory=Validation)
    times: Times = field(default_factory=Times)
    auth: Auth = field(default_factory=Auth)
    users: Users = field(default_factory=Users)
    shapes: Shapes = field(default_factory=Shapes)
    messages: Messages = field(default_factory=Messages)
    startup: Startup = field(default_factory=Startup)
    flows: Flows = field(default_factory=Flows)
    files: Files = field(default_factory=Files)
    projects: Projects = field(default_factory=Projects)
    run: Run = field(default_factory=Run)
    catalog: Catalog = field(default_factory=Catalog)
    build: Build = field(default_factory=Build)
    mcp: Mcp = field(default_factory=Mcp)
    workflows: Workflows = field(default_factory=Workflows)
    variables: Variables = field(default_factory=Variables)
    prompts: Prompts = field(default_factory=Prompts)
    custom_code: CustomCode = field(default_factory=CustomCode)
    custom_components: CustomComponents = field(default_factory=CustomComponents)
    knowledge_bases: KnowledgeBases = field(default_factory=KnowledgeBases)
    models: Models = field(default_factory=Models)
    assistant: Assistant = field(default_factory=Assistant)

    @property
    def version_body(self) -> dict[str, str]:
        return {"version": self.version, "main_version": self.version, "package": "Langflow"}

    def strip(self, shape: str, body: dict[str, Any]) -> dict[str, Any]:
        """`body` without the fields this release does not send in `shape`."""
        hidden = self.shapes.hidden.get(shape)
        if not hidden:
            return body
        return {k: v for k, v in body.items() if k not in hidden}

    def has_param(self, operation: str, name: str) -> bool:
        """Whether the release's `operation` ('METHOD /path') takes parameter `name` (profile params_absent)."""
        return f"{operation} {name}" not in self.params_absent

