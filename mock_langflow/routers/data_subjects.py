"""1.13's data subject (GDPR) routes: the administrators' request queue (/api/v1/data-subjects/...) and a
builder's own deletion request and export (/api/v1/users/me/...), behind LANGFLOW_FEATURE_DATA_SUBJECT_REQUESTS.
The work is store/data_subjects.py's, imported on first use: this module is loaded at every start."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Request, Response

from mock_langflow import errors
from mock_langflow.auth import CurrentUser, signed_in_interactively, signed_in_with_key
from mock_langflow.deps import StateDep, app_state
from mock_langflow.responses import attachment
from mock_langflow.routing import LazyModule, api_router, documented
from mock_langflow.store.models import UserRow

bodies = LazyModule("mock_langflow.schemas.data_subjects")  # request bodies, imported when a route is first analysed
if TYPE_CHECKING:
    from mock_langflow.schemas.data_subject_answers import (
        DataSubjectRequestPage,
        DataSubjectRequestRead,
        DryRunSummary,
        EndUserMatch,
        OwnDeletionRequestStatus,
    )

# The answers' shapes, for /openapi.json only (routing.documented): the store builds the answers.
ANSWERS = "mock_langflow.schemas.data_subject_answers"
HOUR = 3600


def typed(name: str, status: int = 200) -> dict[str, Any]:
    return {"response_model": None, "responses": {status: {"model": documented(name, ANSWERS)}}}


async def feature_on(request: Request) -> None:
    # Off (the default), every route answers as an unmounted one, before any authentication.
    state = app_state(request)
    if not state.settings.data_subject_requests:
        raise errors.NotFound()


# One router for both groups (a second cost start-up memory): Langflow mounts the /users/me ones before its users
# routes and the queue after them, and no path of either meets one of the users routes.
router = api_router(tags=["Data Subjects"], dependencies=[Depends(feature_on)])
QUEUE, OWN = "/data-subjects", "/users/me"


def admin(user: UserRow) -> None:
    # Langflow's administrator rule without an authorization plugin: a superuser.
    if not user.is_superuser:
        raise errors.Forbidden(errors.USER_MANAGE_REQUIRED, headers=errors.ADMINISTRATION_DENIED)


def source(request: Request) -> str:
    # an API key's caller is an integration; anyone else an administrator at the console
    return "api" if signed_in_with_key(request) else "admin"


def audited_as(request: Request, user: UserRow) -> Callable[[], Any]:
    """The caller as the dsar:* rows of the authorization audit log name them, made (their key looked up) when a
    row first needs it."""
    from mock_langflow.routers.authz_admin import actor

    return cache(lambda: actor(request, user, None))


def zip_response(archive: bytes, filename: str) -> Response:
    return Response(archive, media_type="application/zip", headers={"Content-Disposition": attachment(filename)})


@router.post(QUEUE + "/requests", **typed("DataSubjectRequestRead"))
async def create_request(ref: bodies.DataSubjectRef, user: CurrentUser, state: StateDep, request: Request,
                         response: Response) -> DataSubjectRequestRead:
    # 201 with a new request, 200 with the subject's open one
    admin(user)
    subjects = state.store.data_subjects
    row, created = subjects.create(ref, user, audited_as(request, user), source=source(request),
                                   days=state.settings.data_subject_response_days)
    response.status_code = 201 if created else 200
    return subjects.read(row)


@router.get(QUEUE + "/requests", **typed("DataSubjectRequestPage"))
async def list_requests(
    *, user: CurrentUser, state: StateDep,
    status_filter: Annotated[list[bodies.DataSubjectRequestStatus] | None, Query(alias="status")] = None,
    subject_type: bodies.DataSubjectType | None = None, open_only: bool = False,
    skip: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DataSubjectRequestPage:
    admin(user)
    return state.store.data_subjects.page(statuses=[s.value for s in status_filter or ()], open_only=open_only,
                                          subject_type=subject_type.value if subject_type else None, skip=skip,
                                          limit=limit)


@router.get(QUEUE + "/requests/{request_id}", **typed("DataSubjectRequestRead"))
async def get_request(request_id: UUID, user: CurrentUser, state: StateDep) -> DataSubjectRequestRead:
    admin(user)
    return state.store.data_subjects.read(state.store.data_subjects.get(request_id))


@router.get(QUEUE + "/requests/{request_id}/dry-run", **typed("DryRunSummary"))
async def dry_run_request(request_id: UUID, user: CurrentUser, state: StateDep) -> DryRunSummary:
    admin(user)
    return state.store.data_subjects.dry_run(state.store.data_subjects.get(request_id))


@router.post(QUEUE + "/requests/{request_id}/approve", status_code=202, **typed("DataSubjectRequestRead", 202))
async def approve_request(request_id: UUID, user: CurrentUser, state: StateDep,
                          request: Request) -> DataSubjectRequestRead:
    admin(user)
    return state.store.data_subjects.approve_and_erase(request_id, user, audited_as(request, user))


@router.post(QUEUE + "/requests/{request_id}/refuse", **typed("DataSubjectRequestRead"))
async def refuse_request(request_id: UUID, body: bodies.RefuseRequest, user: CurrentUser, state: StateDep,
                         request: Request) -> DataSubjectRequestRead:
    admin(user)
    subjects = state.store.data_subjects
    return subjects.read(subjects.refuse(subjects.get(request_id), user.id, body.note, audited_as(request, user)))


@router.post(QUEUE + "/requests/{request_id}/retry", status_code=202, **typed("DataSubjectRequestRead", 202))
async def retry_request(request_id: UUID, user: CurrentUser, state: StateDep) -> DataSubjectRequestRead:
    admin(user)
    subjects = state.store.data_subjects
    return subjects.read(subjects.retry(subjects.get(request_id)))


@router.get(QUEUE + "/requests/{request_id}/export")
async def export_request(request_id: UUID, user: CurrentUser, state: StateDep, request: Request) -> Response:
    admin(user)
    return zip_response(*state.store.data_subjects.export(request_id, user, audited_as(request, user)))


@router.get(QUEUE + "/end-users", **typed("END_USER_MATCHES"))
async def find_end_users(user: CurrentUser, state: StateDep, request: Request,
                         search: Annotated[str, Query(min_length=2, max_length=255)],
                         limit: Annotated[int, Query(ge=1, le=50)] = 20) -> list[EndUserMatch]:
    admin(user)
    return state.store.data_subjects.find_end_users(search, limit, user, audited_as(request, user))


@router.post(QUEUE + "/find", **typed("DryRunSummary"))
async def find_subject(ref: bodies.DataSubjectRef, user: CurrentUser, state: StateDep,
                       request: Request) -> DryRunSummary:
    admin(user)
    return state.store.data_subjects.find(ref, user, audited_as(request, user))


@router.post(QUEUE + "/erase", status_code=202, **typed("DataSubjectRequestRead", 202))
async def erase_subject(ref: bodies.DataSubjectRef, user: CurrentUser, state: StateDep,
                        request: Request) -> DataSubjectRequestRead:
    admin(user)
    return state.store.data_subjects.erase_subject(ref, user, audited_as(request, user), source=source(request),
                                                   days=state.settings.data_subject_response_days)


# --- /api/v1/users/me: a builder's own request and data -------------------------------------------------------


async def interactive(request: Request, _user: CurrentUser) -> None:
    # Only a person signed in may ask: an API key, or skip-auth's superuser, is not that person.
    if not signed_in_interactively(request):
        raise errors.Forbidden(errors.SIGN_IN_FOR_OWN_DATA, headers=errors.INTERACTIVE_LOGIN_REQUIRED)


Interactive = Annotated[None, Depends(interactive)]


@router.get(OWN + "/deletion-request", **typed("OwnDeletionRequestStatus"))
async def get_own_deletion_request(user: CurrentUser, state: StateDep) -> OwnDeletionRequestStatus:
    return state.store.data_subjects.own_latest(user.id)


@router.post(OWN + "/deletion-request", **typed("OwnDeletionRequestStatus"))
async def request_own_deletion(user: CurrentUser, state: StateDep, response: Response, request: Request,
                               _: Interactive) -> OwnDeletionRequestStatus:
    # 201 with a new request, 200 with the open one; ten an hour per user
    state.limits.check(10, "dsr-self-request", f"user:{user.id}", seconds=HOUR)
    own, created = state.store.data_subjects.ask_own(user, state.settings.data_subject_response_days,
                                                     audited_as(request, user))
    response.status_code = 201 if created else 200
    return own


@router.delete(OWN + "/deletion-request", **typed("OwnDeletionRequestStatus"))
async def withdraw_own_deletion(user: CurrentUser, state: StateDep, request: Request,
                                _: Interactive) -> OwnDeletionRequestStatus:
    return state.store.data_subjects.withdraw_own(user.id, audited_as(request, user))


@router.get(OWN + "/data-export")
async def export_own_data(user: CurrentUser, state: StateDep, request: Request, _: Interactive) -> Response:
    # the caller's own data as a ZIP; five an hour per user
    state.limits.check(5, "dsr-self-export", f"user:{user.id}", seconds=HOUR)
    return zip_response(state.store.data_subjects.export_own(user, audited_as(request, user)), "my-langflow-data.zip")
