"""/api/v1/validate (Langflow's api/v1/validate.py): the check of posted component code and the prompt editor's
check of a template.

Every release serves both to a signed-in user; 1.7.1 lists them in /openapi.json, 1.8 and 1.13 leave them out.
The code check's handler and shapes load when the route is first analysed (routers/validate_handlers.py)."""

from __future__ import annotations

from fastapi import Depends

from mock_langflow import errors
from mock_langflow.auth import current_user
from mock_langflow.deps import ProfileDep
from mock_langflow.engine.prompt_template import apply_to_node, template_variables
from mock_langflow.routing import Later, api_router
from mock_langflow.schemas.validate import PromptValidationResponse, ValidatePromptRequest

router = api_router(prefix="/validate", tags=["Validate"])
router.add_api_route("/code", Later("mock_langflow.routers.validate_handlers", "post_validate_code"), methods=["POST"],
                     status_code=200, include_in_schema=False)


@router.post("/prompt", status_code=200, dependencies=[Depends(current_user)], include_in_schema=False)
async def post_validate_prompt(prompt_request: ValidatePromptRequest,
                               profile: ProfileDep) -> PromptValidationResponse:
    """Without a frontend node nothing is checked: no variables, no node. Otherwise the template's variables
    (prompt_template.template_variables; `mustache` from 1.8 on) and the node with a field for each of them
    (apply_to_node). Whatever fails is Langflow's 500 with the failure's text as detail."""
    node = prompt_request.frontend_node
    if node is None:
        return PromptValidationResponse(input_variables=[], frontend_node=None)
    prompts = profile.prompts
    try:
        names = template_variables(prompt_request.template, mustache=prompt_request.mustache, prompts=prompts)
        apply_to_node(names, prompt_request.name, node.custom_fields, node.template,
                      api_editable=prompts.api_editable)
    except Exception as exc:  # noqa: BLE001 (Langflow answers any failure of the check so)
        raise errors.ServerError(str(exc)) from exc
    return PromptValidationResponse(input_variables=names, frontend_node=node)
