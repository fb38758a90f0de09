"""1.13's POST /api/v1/knowledge_bases/{kb_name}/ingest/folder: the files of a folder on the mock's host,
ingested as an upload's are (store/knowledge_bases.py). Imported when the route first serves (routing.Later)."""

from __future__ import annotations

from typing import Any

from mock_langflow import errors
from mock_langflow.auth import CurrentUser
from mock_langflow.deps import StateDep
from mock_langflow.routers.knowledge_bases import _base, _kbs, task
from mock_langflow.schemas.knowledge_bases import IngestFolderRequest


async def ingest_folder_to_knowledge_base(kb_name: str, payload: IngestFolderRequest, user: CurrentUser,
                                          state: StateDep) -> dict[str, Any]:
    """Walk the folder (1.13's FolderSource) and ingest its matching files, answered {id, href} with the job's id.

    In 1.13's order: the metadata (422), the base (404), its embedding model (400), then the folder, which must
    lie in LANGFLOW_KB_ALLOWED_FOLDER_ROOTS (400 with FolderSource's text; none set refuses every folder). Files
    above LANGFLOW_KB_FOLDER_MAX_FILE_SIZE_BYTES are left out. An overlap past the chunk size is not refused
    here: the run fails, as Langflow's background run does.

    Deviation: the ingestion is done before the answer, as an upload's is."""
    from mock_langflow.store import knowledge_bases as kbs

    tags = kbs.check_metadata(dict(payload.metadata)) if payload.metadata else {}
    per_file = kbs.check_per_file_metadata(dict(payload.per_file_metadata)) if payload.per_file_metadata else {}
    kb = _base(state, user, kb_name)
    if not kb.embedding_provider or not kb.embedding_model:
        raise errors.BadRequest(errors.INVALID_EMBEDDING)
    config: dict[str, Any] = {"path": payload.path, "recursive": payload.recursive}
    if payload.extensions is not None:
        config["extensions"] = payload.extensions
    if per_file:
        config["per_file_metadata"] = per_file
    try:
        root = kbs.check_folder(config, allowed_roots=state.settings.kb_allowed_folder_roots)
    except ValueError as exc:
        raise errors.BadRequest(str(exc)) from exc
    except (OSError, RuntimeError) as exc:  # the host cannot tell (no permission, a symlink loop): Langflow's 500
        raise errors.ServerError(errors.FOLDER_INGEST_FAILED) from exc
    config["max_file_size_bytes"] = state.settings.kb_folder_max_file_size_bytes  # (the run shows it, not the roots)
    rules = state.profile.knowledge_bases
    job_id = _kbs(state).ingest(kb, kbs.folder_items(root, config),
                                chunking=kbs.Chunking.of(payload.chunk_size, payload.chunk_overlap, payload.separator,
                                                     fallback=rules.separator_fallback),
                                source_type="folder", source_config=config, source_name=payload.source_name,
                                user_id=user.id, tags=tags, tagged=True)
    return task(job_id)
