-- Generated from mock_langflow/store/models.py by `python -m mock_langflow.store.schema`: do not edit.
-- fingerprint: 1273788628
CREATE TABLE a2a_push_config (
	seq INTEGER NOT NULL, 
	owner VARCHAR NOT NULL, 
	task_id VARCHAR NOT NULL, 
	config_id VARCHAR NOT NULL, 
	config JSON NOT NULL, 
	PRIMARY KEY (seq)
);
CREATE INDEX ix_a2a_push_config_task_id ON a2a_push_config (task_id);
CREATE TABLE a2a_tasks (
	id VARCHAR NOT NULL, 
	owner VARCHAR NOT NULL, 
	task JSON NOT NULL, 
	checkpoint JSON, 
	created_at DATETIME, 
	updated_at DATETIME, 
	PRIMARY KEY (id, owner)
);
CREATE TABLE fault (
	id INTEGER NOT NULL, 
	spec JSON NOT NULL, 
	remaining INTEGER, 
	hits INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE flow_event (
	id INTEGER NOT NULL, 
	flow_id CHAR(32) NOT NULL, 
	ts FLOAT NOT NULL, 
	type VARCHAR NOT NULL, 
	summary VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_flow_event_flow_id ON flow_event (flow_id);
CREATE TABLE flow_version (
	id CHAR(32) NOT NULL, 
	flow_id CHAR(32) NOT NULL, 
	user_id CHAR(32), 
	data JSON, 
	version_number INTEGER NOT NULL, 
	description VARCHAR, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (flow_id, version_number)
);
CREATE INDEX ix_flow_version_flow_id ON flow_version (flow_id);
CREATE INDEX ix_flow_version_user_id ON flow_version (user_id);
CREATE TABLE job (
	id CHAR(32) NOT NULL, 
	kind VARCHAR NOT NULL, 
	flow_id CHAR(32), 
	user_id CHAR(32), 
	status VARCHAR NOT NULL, 
	session_id VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	started_at DATETIME, 
	finished_at DATETIME, 
	request JSON, 
	result JSON, 
	error VARCHAR, 
	idempotency_key VARCHAR, 
	polled INTEGER NOT NULL, 
	poll_ended BOOLEAN NOT NULL, 
	drained BOOLEAN NOT NULL, 
	ends_after_close INTEGER, 
	checkpoint JSON, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_job_flow_id ON job (flow_id);
CREATE INDEX ix_job_idempotency_key ON job (idempotency_key);
CREATE INDEX ix_job_kind ON job (kind);
CREATE INDEX ix_job_user_id ON job (user_id);
CREATE TABLE job_event (
	id INTEGER NOT NULL, 
	job_id CHAR(32) NOT NULL, 
	seq INTEGER NOT NULL, 
	event VARCHAR NOT NULL, 
	data JSON NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_job_event_job_id ON job_event (job_id);
CREATE TABLE journal (
	id INTEGER NOT NULL, 
	timestamp DATETIME NOT NULL, 
	method VARCHAR NOT NULL, 
	path VARCHAR NOT NULL, 
	"query" JSON, 
	headers JSON, 
	body VARCHAR, 
	status INTEGER, 
	duration_ms FLOAT, 
	flow_ref VARCHAR, 
	session_id VARCHAR, 
	fault_id INTEGER, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_journal_flow_ref ON journal (flow_ref);
CREATE INDEX ix_journal_path ON journal (path);
CREATE INDEX ix_journal_session_id ON journal (session_id);
CREATE INDEX ix_journal_timestamp ON journal (timestamp);
CREATE TABLE llm_call (
	id CHAR(32) NOT NULL, 
	flow_id CHAR(32), 
	session_id VARCHAR NOT NULL, 
	component_id VARCHAR NOT NULL, 
	rule_id INTEGER, 
	input VARCHAR NOT NULL, 
	prompt VARCHAR NOT NULL, 
	reply VARCHAR, 
	error VARCHAR, 
	timestamp DATETIME NOT NULL, 
	tool_calls JSON, 
	usage JSON, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_llm_call_flow_id ON llm_call (flow_id);
CREATE INDEX ix_llm_call_session_id ON llm_call (session_id);
CREATE TABLE mcp_client_config (
	client VARCHAR NOT NULL, 
	servers JSON NOT NULL, 
	PRIMARY KEY (client)
);
CREATE TABLE message (
	id CHAR(32) NOT NULL, 
	flow_id CHAR(32), 
	user_id CHAR(32), 
	session_id VARCHAR NOT NULL, 
	timestamp DATETIME NOT NULL, 
	sender VARCHAR NOT NULL, 
	sender_name VARCHAR NOT NULL, 
	text VARCHAR NOT NULL, 
	files JSON, 
	context_id VARCHAR, 
	properties JSON, 
	category VARCHAR NOT NULL, 
	content_blocks JSON, 
	run_id CHAR(32), 
	edit BOOLEAN NOT NULL, 
	error BOOLEAN NOT NULL, 
	session_metadata JSON, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_message_flow_id ON message (flow_id);
CREATE INDEX ix_message_session_id ON message (session_id);
CREATE INDEX ix_message_timestamp ON message (timestamp);
CREATE INDEX ix_message_user_id ON message (user_id);
CREATE TABLE script_defaults (
	source VARCHAR NOT NULL, 
	spec JSON NOT NULL, 
	PRIMARY KEY (source)
);
CREATE TABLE script_rule (
	id INTEGER NOT NULL, 
	source VARCHAR NOT NULL, 
	batch INTEGER NOT NULL, 
	spec JSON NOT NULL, 
	uses INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_script_rule_source ON script_rule (source);
CREATE TABLE span (
	id CHAR(32) NOT NULL, 
	trace_id CHAR(32) NOT NULL, 
	parent_span_id CHAR(32), 
	name VARCHAR NOT NULL, 
	span_type VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	start_time DATETIME NOT NULL, 
	end_time DATETIME, 
	latency_ms INTEGER NOT NULL, 
	inputs JSON, 
	outputs JSON, 
	error VARCHAR, 
	attributes JSON, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_span_trace_id ON span (trace_id);
CREATE TABLE trace (
	id CHAR(32) NOT NULL, 
	name VARCHAR NOT NULL, 
	flow_id CHAR(32) NOT NULL, 
	session_id VARCHAR, 
	status VARCHAR NOT NULL, 
	start_time DATETIME NOT NULL, 
	end_time DATETIME, 
	total_latency_ms INTEGER NOT NULL, 
	total_tokens INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_trace_flow_id ON trace (flow_id);
CREATE INDEX ix_trace_session_id ON trace (session_id);
CREATE INDEX ix_trace_start_time ON trace (start_time);
CREATE TABLE "transaction" (
	id CHAR(32) NOT NULL, 
	flow_id CHAR(32), 
	vertex_id VARCHAR NOT NULL, 
	target_id VARCHAR, 
	inputs JSON, 
	outputs JSON, 
	status VARCHAR NOT NULL, 
	error VARCHAR, 
	timestamp DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_transaction_flow_id ON "transaction" (flow_id);
CREATE INDEX ix_transaction_timestamp ON "transaction" (timestamp);
CREATE TABLE "trigger" (
	id CHAR(32) NOT NULL, 
	flow_id CHAR(32) NOT NULL, 
	user_id CHAR(32) NOT NULL, 
	name VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	provider VARCHAR, 
	node_id VARCHAR, 
	connection_id CHAR(32), 
	config JSON NOT NULL, 
	state VARCHAR NOT NULL, 
	binding_target VARCHAR NOT NULL, 
	deployment_id CHAR(32), 
	flow_version_id CHAR(32), 
	session_policy VARCHAR NOT NULL, 
	concurrency_limit INTEGER NOT NULL, 
	max_attempts INTEGER NOT NULL, 
	public_id VARCHAR, 
	signing_secret VARCHAR, 
	next_fire_at DATETIME, 
	last_fired_at DATETIME, 
	last_error VARCHAR, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (public_id)
);
CREATE INDEX ix_trigger_flow_id ON "trigger" (flow_id);
CREATE TABLE trigger_event (
	id CHAR(32) NOT NULL, 
	trigger_id CHAR(32) NOT NULL, 
	dedupe_key VARCHAR NOT NULL, 
	state VARCHAR NOT NULL, 
	attempt INTEGER NOT NULL, 
	available_at DATETIME NOT NULL, 
	payload JSON NOT NULL, 
	session_id VARCHAR, 
	job_id CHAR(32), 
	replay_of_event_id CHAR(32), 
	error VARCHAR, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (trigger_id, dedupe_key)
);
CREATE TABLE user (
	id CHAR(32) NOT NULL, 
	username VARCHAR NOT NULL, 
	password_hash VARCHAR NOT NULL, 
	profile_image VARCHAR, 
	store_api_key VARCHAR, 
	is_active BOOLEAN NOT NULL, 
	is_superuser BOOLEAN NOT NULL, 
	create_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	last_login_at DATETIME, 
	optins JSON, 
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_user_username ON user (username);
CREATE TABLE vertex_build (
	build_id CHAR(32) NOT NULL, 
	flow_id CHAR(32) NOT NULL, 
	job_id CHAR(32), 
	vertex_id VARCHAR NOT NULL, 
	timestamp DATETIME NOT NULL, 
	data JSON, 
	artifacts JSON, 
	params VARCHAR, 
	valid BOOLEAN NOT NULL, 
	PRIMARY KEY (build_id)
);
CREATE INDEX ix_vertex_build_flow_id ON vertex_build (flow_id);
CREATE TABLE apikey (
	id CHAR(32) NOT NULL, 
	name VARCHAR, 
	key_hash VARCHAR NOT NULL, 
	key_prefix VARCHAR NOT NULL, 
	user_id CHAR(32) NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_used_at DATETIME, 
	total_uses INTEGER NOT NULL, 
	is_active BOOLEAN NOT NULL, 
	expires_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_apikey_key_hash ON apikey (key_hash);
CREATE INDEX ix_apikey_user_id ON apikey (user_id);
CREATE TABLE file (
	name VARCHAR NOT NULL, 
	size INTEGER NOT NULL, 
	provider VARCHAR, 
	id CHAR(32) NOT NULL, 
	user_id CHAR(32) NOT NULL, 
	flow_id CHAR(32), 
	path VARCHAR NOT NULL, 
	blob VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE, 
	UNIQUE (path)
);
CREATE INDEX ix_file_flow_id ON file (flow_id);
CREATE INDEX ix_file_user_id ON file (user_id);
CREATE TABLE folder (
	name VARCHAR NOT NULL, 
	description VARCHAR, 
	auth_settings JSON, 
	id CHAR(32) NOT NULL, 
	parent_id CHAR(32), 
	user_id CHAR(32), 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE
);
CREATE INDEX ix_folder_user_id ON folder (user_id);
CREATE TABLE mcp_server (
	id INTEGER NOT NULL, 
	user_id CHAR(32) NOT NULL, 
	name VARCHAR NOT NULL, 
	config JSON NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (user_id, name), 
	FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE
);
CREATE INDEX ix_mcp_server_user_id ON mcp_server (user_id);
CREATE TABLE variable (
	id CHAR(32) NOT NULL, 
	name VARCHAR NOT NULL, 
	type VARCHAR, 
	value VARCHAR, 
	default_fields JSON, 
	user_id CHAR(32) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME, 
	environment_managed BOOLEAN, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE
);
CREATE INDEX ix_variable_name ON variable (name);
CREATE INDEX ix_variable_user_id ON variable (user_id);
CREATE TABLE flow (
	name VARCHAR NOT NULL, 
	description VARCHAR, 
	icon VARCHAR, 
	icon_bg_color VARCHAR, 
	gradient VARCHAR, 
	data JSON, 
	is_component BOOLEAN, 
	updated_at DATETIME, 
	webhook BOOLEAN, 
	endpoint_name VARCHAR, 
	tags JSON, 
	locked BOOLEAN, 
	mcp_enabled BOOLEAN, 
	action_name VARCHAR, 
	action_description VARCHAR, 
	access_type VARCHAR(7) NOT NULL, 
	flow_type VARCHAR(8) NOT NULL, 
	a2a_enabled BOOLEAN, 
	a2a_card_overrides JSON, 
	id CHAR(32) NOT NULL, 
	user_id CHAR(32), 
	folder_id CHAR(32), 
	workspace_id CHAR(32), 
	name_key VARCHAR, 
	version_token CHAR(32), 
	fs_path VARCHAR, 
	created_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (user_id, name), 
	UNIQUE (user_id, endpoint_name), 
	FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE, 
	FOREIGN KEY(folder_id) REFERENCES folder (id)
);
CREATE INDEX ix_flow_folder_id ON flow (folder_id);
CREATE INDEX ix_flow_owner_folder ON flow (user_id, folder_id);
CREATE INDEX ix_flow_user_id ON flow (user_id);
