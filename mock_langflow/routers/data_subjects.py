"""1.13's data subject (GDPR) routes: the administrators' request queue (/api/v1/data-subjects/...) and a
builder's own deletion request and export (/api/v1/users/me/...), behind LANGFLOW_FEATURE_DATA_SUBJECT_REQUESTS.
The work is store/data_subjects.py's."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query, Request, Response

from mock_langflow import errors
from mock_langflow.auth import CurrentUser, signed_in_interactively, signed_in_with_key
from mock_langflow.deps import StateDep, app_state
from mock_langflow.responses import attachment
from mock_langflow.routing import api_router
from mock_langflow.schemas.data_subjects import (
    OPEN_STATUSES,
    DataSubjectRef,
    DataSubjectRequestPage,
    DataSubjectRequestRead,
    DataSubjectRequestStatus,
    DataSubjectType,
    DryRunSummary,
    EndUserMatch,
    OwnDeletionRequestStatus,
    RefuseRequest,
)
from mock_langflow.state import AppState
from mock_langflow.store.models import UserRow

MAX_PAGE_SIZE = 200
MAX_END_USER_MATCHES = 50
REQUESTS_PER_HOUR = 10
EXPORTS_PER_HOUR = 5
HOUR = 3600


async def feature_on(request: Request) -> None:
    """Off (the default), every route answers as an unmounted one, before any authentication."""
    if not app_state(request).settings.data_subject_requests:
        raise errors.NotFound()


router = api_router(prefix="/data-subjects", tags=["Data Subjects"], dependencies=[Depends(feature_on)])
self_router = api_router(prefix="/users/me", tags=["Data Subjects"], dependencies=[Depends(feature_on)])


def admin(user: UserRow) -> None:
    """Langflow's administrator rule without an authorization plugin: a superuser."""
    if not user.is_superuser:
        raise errors.Forbidden(errors.USER_MANAGE_REQUIRED, headers=errors.ADMINISTRATION_DENIED)


def _create(state: AppState, ref: DataSubjectRef, actor: UserRow, request: Request):  # type: ignore[no-untyped-def]
    subjects = state.store.data_subjects
    # an API key's caller is an integration; anyone else an administrator at the console
    source = "api" if signed_in_with_key(request) else "admin"
    days = state.settings.data_subject_response_days
    if ref.subject_type == DataSubjectType.BUILDER:
        subject = subjects.builder(subjects.builder_id(ref.user_id, ref.username), actor)
        return subjects.create_builder(subject, requested_by=actor.id, source=source, response_days=days)
    return subjects.create_end_user(ref.end_user_id, ref.flow_ids, requested_by=actor.id, source=source,
                                    response_days=days)


@router.post("/requests")
async def create_request(ref: DataSubjectRef, user: CurrentUser, state: StateDep, request: Request,
                         response: Response) -> DataSubjectRequestRead:
    """POST /api/v1/data-subjects/requests: 201 with a new request, 200 with the subject's open one."""
    admin(user)
    row, created = _create(state, ref, user, request)
    response.status_code = 201 if created else 200
    return state.store.data_subjects.read(row)


@router.get("/requests")
async def list_requests(
    *, user: CurrentUser, state: StateDep,
    status_filter: Annotated[list[DataSubjectRequestStatus] | None, Query(alias="status")] = None,
    subject_type: DataSubjectType | None = None, open_only: bool = False,
    skip: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> DataSubjectRequestPage:
    """Newest first; `status` (repeatable), `open_only` and `subject_type` filter, `total_count` counts them all."""
    admin(user)
    subjects = state.store.data_subjects
    total, rows = subjects.page(statuses=[s.value for s in status_filter or ()], open_only=open_only,
                                subject_type=subject_type.value if subject_type else None, skip=skip, limit=limit)
    return DataSubjectRequestPage(total_count=total, requests=[subjects.read(row) for row in rows])


@router.get("/requests/{request_id}")
async def get_request(request_id: UUID, user: CurrentUser, state: StateDep) -> DataSubjectRequestRead:
    admin(user)
    return state.store.data_subjects.read(state.store.data_subjects.get(request_id))


@router.get("/requests/{request_id}/dry-run")
async def dry_run_request(request_id: UUID, user: CurrentUser, state: StateDep) -> DryRunSummary:
    admin(user)
    return state.store.data_subjects.dry_run(state.store.data_subjects.get(request_id))


@router.post("/requests/{request_id}/approve", status_code=202)
async def approve_request(request_id: UUID, user: CurrentUser, state: StateDep) -> DataSubjectRequestRead:
    """202 with the approved request; the erase follows (store/data_subjects.py)."""
    admin(user)
    subjects = state.store.data_subjects
    row = subjects.get(request_id)
    if row.subject_type == "builder":
        subjects.builder(row.subject_user_id, user)
    subjects.approve(row, user.id)  # refuses a request that is not waiting
    answer = subjects.read(row)
    subjects.erase(row.id)
    return answer


@router.post("/requests/{request_id}/refuse")
async def refuse_request(request_id: UUID, body: RefuseRequest, user: CurrentUser,
                         state: StateDep) -> DataSubjectRequestRead:
    admin(user)
    subjects = state.store.data_subjects
    return subjects.read(subjects.refuse(subjects.get(request_id), user.id, body.note))


@router.post("/requests/{request_id}/retry", status_code=202)
async def retry_request(request_id: UUID, user: CurrentUser, state: StateDep) -> DataSubjectRequestRead:
    admin(user)
    subjects = state.store.data_subjects
    return subjects.read(subjects.retry(subjects.get(request_id)))


@router.get("/requests/{request_id}/export")
async def export_request(request_id: UUID, user: CurrentUser, state: StateDep) -> Response:
    """The subject's data as a ZIP, while the request is open and its erase has not started."""
    admin(user)
    subjects = state.store.data_subjects
    row = subjects.get(request_id)
    if row.status not in OPEN_STATUSES or row.status == "erasing":
        raise errors.DataSubjectRefused(409, "invalid_transition", "Export is available until the erase starts")
    if row.subject_type == "builder":
        archive = subjects.export_builder(subjects.builder(row.subject_user_id, user), user.id)
    else:
        archive = subjects.export_end_user(subjects.end_user(row.subject_end_user_id),
                                           [UUID(v) for v in row.scope_flow_ids or []], user.id)
    return zip_response(archive, f"data-subject-{row.id}.zip")


@router.get("/end-users")
async def find_end_users(user: CurrentUser, state: StateDep,
                         search: Annotated[str, Query(min_length=2, max_length=255)],
                         limit: Annotated[int, Query(ge=1, le=MAX_END_USER_MATCHES)] = 20) -> list[EndUserMatch]:
    admin(user)
    return state.store.data_subjects.search_end_users(search, limit)


@router.post("/find")
async def find_subject(ref: DataSubjectRef, user: CurrentUser, state: StateDep) -> DryRunSummary:
    """What an erase of the subject would take, without recording a request."""
    admin(user)
    subjects = state.store.data_subjects
    if ref.subject_type == DataSubjectType.BUILDER:
        return subjects.builder_dry_run(subjects.builder(subjects.builder_id(ref.user_id, ref.username), user))
    return subjects.end_user_dry_run(subjects.end_user(ref.end_user_id), list(ref.flow_ids or ()))


@router.post("/erase", status_code=202)
async def erase_subject(ref: DataSubjectRef, user: CurrentUser, state: StateDep,
                        request: Request) -> DataSubjectRequestRead:
    """Record and approve in one call. A request this call recorded is dropped again when a guard refuses."""
    admin(user)
    subjects = state.store.data_subjects
    row, created = _create(state, ref, user, request)
    if row.status != "requested":
        return subjects.read(row)
    try:
        subjects.approve(row, user.id)
    except errors.DataSubjectRefused:
        if created:
            subjects.drop(row.id)
        raise
    answer = subjects.read(row)
    subjects.erase(row.id)
    return answer


# --- /api/v1/users/me: a builder's own request and data -------------------------------------------------------


def interactive(request: Request, _user: CurrentUser) -> None:
    """Only a person signed in may ask: an API key, or skip-auth's superuser, is not that person."""
    if not signed_in_interactively(request):
        raise errors.Forbidden(errors.SIGN_IN_FOR_OWN_DATA, headers=errors.INTERACTIVE_LOGIN_REQUIRED)


Interactive = Annotated[None, Depends(interactive)]


def _own(row) -> OwnDeletionRequestStatus:  # type: ignore[no-untyped-def]
    return OwnDeletionRequestStatus(id=row.id, status=row.status, requested_at=row.requested_at,
                                    decided_at=row.decided_at)


@self_router.get("/deletion-request")
async def get_own_deletion_request(user: CurrentUser, state: StateDep) -> OwnDeletionRequestStatus:
    row = state.store.data_subjects.latest_own(user.id)
    if row is None:
        raise errors.NotFound(errors.NO_DELETION_REQUEST)
    return _own(row)


@self_router.post("/deletion-request")
async def request_own_deletion(request: Request, user: CurrentUser, state: StateDep, response: Response,
                               _: Interactive) -> OwnDeletionRequestStatus:
    """201 with a new request, 200 with the open one; ten an hour per user."""
    state.limits.check(REQUESTS_PER_HOUR, "dsr-self-request", f"user:{user.id}", seconds=HOUR)
    subjects = state.store.data_subjects
    subjects.ensure_not_last_administrator(user)
    row, created = subjects.create_builder(user, requested_by=user.id, source="self",
                                           response_days=state.settings.data_subject_response_days)
    response.status_code = 201 if created else 200
    return _own(row)


@self_router.delete("/deletion-request")
async def withdraw_own_deletion(user: CurrentUser, state: StateDep, _: Interactive) -> OwnDeletionRequestStatus:
    subjects = state.store.data_subjects
    row = subjects.latest_own(user.id)
    if row is None or row.status not in OPEN_STATUSES:
        raise errors.NotFound(errors.NO_PENDING_DELETION_REQUEST)
    return _own(subjects.withdraw(row, user.id))


@self_router.get("/data-export")
async def export_own_data(user: CurrentUser, state: StateDep, _: Interactive) -> Response:
    """The caller's own data as a ZIP; five an hour per user."""
    state.limits.check(EXPORTS_PER_HOUR, "dsr-self-export", f"user:{user.id}", seconds=HOUR)
    return zip_response(state.store.data_subjects.export_builder(user, user.id), "my-langflow-data.zip")


def zip_response(archive: bytes, filename: str) -> Response:
    return Response(archive, media_type="application/zip", headers={"Content-Disposition": attachment(filename)})
