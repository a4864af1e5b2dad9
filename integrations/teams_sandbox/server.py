"""The Bot Framework over loopback HTTP: the Entra token endpoint, the OpenID metadata and JWKS the
bot checks inbound tokens against, and the Bot Connector REST API the bot replies through (FACTS §2).

    POST /{tenant}/oauth2/v2.0/token                          client credentials → bearer token
    GET  /v1/.well-known/openidconfiguration, /v1/.well-known/keys
    POST /v3/conversations                                    open a 1:1 chat
    POST /v3/conversations/{conversationId}/activities        new message   → 201 {"id"}
    PUT  /v3/conversations/{conversationId}/activities/{id}   update it     → 200 {"id"}
    GET  /v3/conversations/{conversationId}/members/{id}      TeamsChannelAccount, or 404

Connector calls need a token this stand-in issued; posts go only to conversations the bot is in.

Message limits, the strictest of what Microsoft documents: the message without its base64 inline
images within 28 KB (Teams counts those images apart from the message); the whole request within
262,144 bytes (the connector's MessageSizeTooBig); an inline image (an attachment with an ``image/*``
content type and a ``data:`` or https ``contentUrl``) PNG, JPEG or GIF as declared, under 1 MB and,
for PNG and GIF, within 1024 × 1024 px (Teams: "Format cards in Teams"). Anything else is refused.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import struct
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from integrations.teams_sandbox.keys import signing_key
from integrations.teams_sandbox.state import ConnectorCall, PostedActivity, TeamsState

ISSUER = "https://api.botframework.com"
SCOPE = "https://api.botframework.com/.default"
ADAPTIVE = "application/vnd.microsoft.card.adaptive"
MAX_MESSAGE_BYTES = 28 * 1024  # Teams' message size limit (cards included, base64 inline images apart)
MAX_REQUEST_BYTES = 262_144  # the connector's request limit, inline images included
MAX_IMAGE_BYTES = 1024 * 1024
MAX_IMAGE_PX = 1024
IMAGE_TYPES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff", "image/gif": b"GIF8"}
DATA_URL = re.compile(r"^data:(image/[a-z]+);base64,([A-Za-z0-9+/]*={0,2})$")


DEFAULT_APP_ID = "00000000-0000-4000-a000-00000000b07f"
DEFAULT_APP_PASSWORD = "sandbox-app-password"  # noqa: S105 - the stand-in's own test credential
DEFAULT_TENANT_ID = "11111111-1111-4111-8111-111111111111"


def create_teams_sandbox(app_id: str = DEFAULT_APP_ID, app_password: str = DEFAULT_APP_PASSWORD,
                         tenant_id: str = DEFAULT_TENANT_ID) -> tuple[TeamsState, Starlette]:
    state = TeamsState(app_id, app_password, tenant_id)
    routes = [
        Route("/{tenant}/oauth2/v2.0/token", _token(state), methods=["POST"]),
        Route("/v1/.well-known/openidconfiguration", _metadata, methods=["GET"]),
        Route("/v1/.well-known/keys", _keys(state), methods=["GET"]),
        Route("/v3/conversations", _create_conversation(state), methods=["POST"]),
        Route("/v3/conversations/{cid}/activities", _post_activity(state), methods=["POST"]),
        Route("/v3/conversations/{cid}/activities/{aid}", _put_activity(state), methods=["PUT"]),
        Route("/v3/conversations/{cid}/members/{mid}", _member(state), methods=["GET"]),
    ]
    return state, Starlette(routes=routes)


def _aad_error(status: int, error: str, code: int, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": f"AADSTS{code}: {description}", "error_codes": [code]},
                        status_code=status)


def _connector_error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _token(state: TeamsState):
    async def endpoint(request: Request) -> Response:
        form = await request.form()
        tenant = request.path_params["tenant"]
        if state.failure_for("token"):
            return _aad_error(503, "temporarily_unavailable", 50001, "The service is temporarily unavailable.")
        if tenant not in (state.tenant_id, "botframework.com"):
            return _aad_error(400, "invalid_request", 90002, f"Tenant '{tenant}' not found.")
        if form.get("grant_type") != "client_credentials":
            return _aad_error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
        if form.get("client_id") != state.app_id:
            return _aad_error(400, "unauthorized_client", 700016, "Application not found in the directory.")
        if form.get("client_secret") != state.app_password:
            return _aad_error(401, "invalid_client", 7000215, "Invalid client secret provided.")
        if form.get("scope") != SCOPE:
            return _aad_error(400, "invalid_scope", 1002012, "The provided value for scope is not valid.")
        token = "sandbox-bot-token-" + secrets.token_urlsafe(16)
        with state.lock:
            state.issued_tokens.add(token)
        return JSONResponse({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                             "access_token": token})

    return endpoint


async def _metadata(request: Request) -> Response:
    base = str(request.base_url).rstrip("/")
    return JSONResponse({"issuer": ISSUER, "authorization_endpoint": f"{base}/v1/.well-known/authorize",
                         "jwks_uri": f"{base}/v1/.well-known/keys", "id_token_signing_alg_values_supported": ["RS256"],
                         "token_endpoint_auth_methods_supported": ["private_key_jwt"]})


def _keys(state: TeamsState):
    async def endpoint(request: Request) -> Response:
        with state.lock:
            kids = list(state.published_kids)
        return JSONResponse({"keys": [signing_key(kid).jwk() for kid in kids]})

    return endpoint


def _authorized(state: TeamsState, request: Request) -> bool:
    header = request.headers.get("authorization", "")
    return header.startswith("Bearer ") and header.removeprefix("Bearer ") in state.issued_tokens


async def _json_body(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError:
        return None


def _guarded(state: TeamsState, method: str, handler):
    """Auth first (401 as the connector words it), then a staged failure, then the handler."""
    async def endpoint(request: Request) -> Response:
        cid, aid = request.path_params.get("cid"), request.path_params.get("aid") or request.path_params.get("mid")
        body = await _json_body(request) if method in ("POST", "PUT") else None
        state.record(ConnectorCall(method, request.url.path, cid, aid, body))
        if not _authorized(state, request):
            return JSONResponse({"message": "Authorization has been denied for this request."}, status_code=401)
        failure = state.failure_for(method)
        if failure:
            return _connector_error(failure, "ServiceError", "Staged failure")
        return await handler(request, body)

    return endpoint


def _check_activity(state: TeamsState, cid: str, body: Any) -> JSONResponse | None:
    if cid not in state.conversation_members:
        return _connector_error(404, "ConversationNotFound", "Conversation not found.")
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        return _connector_error(400, "BadArgument", "Activity must be a JSON object with a type.")
    if len(json.dumps(body).encode()) > MAX_REQUEST_BYTES:
        return _connector_error(413, "MessageSizeTooBig",
                                f"The request content length exceeded limit of {MAX_REQUEST_BYTES} bytes.")
    if len(json.dumps(_without_inline_images(body)).encode()) > MAX_MESSAGE_BYTES:
        return _connector_error(413, "MessageSizeTooBig", "Message size is too big.")
    for attachment in body.get("attachments") or []:
        if not isinstance(attachment, dict):
            return _connector_error(400, "BadArgument", "An attachment must be a JSON object.")
        content = attachment.get("content")
        if attachment.get("contentType") == ADAPTIVE and (
                not isinstance(content, dict) or content.get("type") != "AdaptiveCard" or not content.get("version")):
            return _connector_error(400, "BadArgument", "Invalid Adaptive Card attachment.")
        problem = _image_problem(attachment)
        if problem:
            return _connector_error(400, "BadArgument", f"Invalid image attachment: {problem}.")
    if body.get("type") == "message" and not (body.get("text") or body.get("attachments")):
        return _connector_error(400, "BadArgument", "Message must have text or attachments.")
    return None


def _without_inline_images(body: dict[str, Any]) -> dict[str, Any]:
    attachments = [{**a, "contentUrl": ""} if isinstance(a, dict) and str(a.get("contentUrl", "")).startswith("data:")
                   else a for a in body.get("attachments") or []]
    return {**body, "attachments": attachments}


def _image_problem(attachment: dict[str, Any]) -> str | None:
    """Why an ``image/*`` attachment is not an inline image Teams shows (None when it is, or is no image)."""
    kind, url = attachment.get("contentType"), attachment.get("contentUrl")
    if not isinstance(kind, str) or not kind.startswith("image/"):
        return None
    if kind not in IMAGE_TYPES:
        return f"{kind[:40]} is not PNG, JPEG or GIF"
    if not isinstance(url, str):
        return "no contentUrl"
    if url.startswith("https://"):
        return None
    found = DATA_URL.match(url)
    if found is None:
        return "contentUrl is neither https nor a base64 data URL"
    if found.group(1) != kind:
        return f"the data URL says {found.group(1)}, the contentType {kind}"
    try:
        data = base64.b64decode(found.group(2), validate=True)
    except (binascii.Error, ValueError):
        return "the data URL is not base64"
    if not data.startswith(IMAGE_TYPES[kind]):
        return f"the bytes are not {kind}"
    if len(data) >= MAX_IMAGE_BYTES:
        return f"{len(data)} bytes, Teams shows images under 1 MB"
    size = _pixels(kind, data)
    if size and max(size) > MAX_IMAGE_PX:
        return f"{size[0]} × {size[1]} px, Teams shows images within {MAX_IMAGE_PX} × {MAX_IMAGE_PX}"
    return None


def _pixels(kind: str, data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR or a GIF's screen descriptor (None for JPEG)."""
    if kind == "image/png" and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if kind == "image/gif" and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    return None


def _post_activity(state: TeamsState):
    async def handler(request: Request, body: Any) -> Response:
        cid = request.path_params["cid"]
        problem = _check_activity(state, cid, body)
        if problem:
            return problem
        images = any(str(a.get("contentType", "")).startswith("image/") for a in body.get("attachments") or [])
        failure = state.failure_for("POST image") if images else None
        if failure:
            return _connector_error(failure, "MessageSizeTooBig" if failure == 413 else "ServiceError",
                                    "Staged failure")
        with state.lock:
            activity_id = state.new_activity_id()
            state.posted[activity_id] = PostedActivity(activity_id, cid, {**body, "id": activity_id})
        return JSONResponse({"id": activity_id}, status_code=201)

    return _guarded(state, "POST", handler)


def _put_activity(state: TeamsState):
    async def handler(request: Request, body: Any) -> Response:
        cid, aid = request.path_params["cid"], request.path_params["aid"]
        problem = _check_activity(state, cid, body)
        if problem:
            return problem
        with state.lock:
            posted = state.posted.get(aid)
            if posted is None or posted.conversation_id != cid:
                return _connector_error(404, "ActivityNotFoundInConversation", "Activity not found.")
            posted.updates.append(body)
            posted.activity = {**body, "id": aid}
        return JSONResponse({"id": aid})

    return _guarded(state, "PUT", handler)


def _member(state: TeamsState):
    async def handler(request: Request, body: Any) -> Response:
        cid, mid = request.path_params["cid"], request.path_params["mid"]
        with state.lock:
            members = state.conversation_members.get(cid)
            user = next((u for u in state.users.values() if mid in (u.id, u.aad_object_id)), None)
        if members is None:
            return _connector_error(404, "ConversationNotFound", "Conversation not found.")
        if user is None or user.id not in members:
            return _connector_error(404, "MemberNotFoundInConversation",
                                    "The member was not found in the conversation.")
        given, _, surname = user.name.partition(" ")
        account = {"id": user.id, "name": user.name, "aadObjectId": user.aad_object_id, "givenName": given,
                   "surname": surname or None, "userPrincipalName": user.user_principal_name,
                   "tenantId": state.tenant_id, "userRole": "user"}
        if user.email:
            account["email"] = user.email
        return JSONResponse(account)

    return _guarded(state, "GET", handler)


def _create_conversation(state: TeamsState):
    async def handler(request: Request, body: Any) -> Response:
        members = body.get("members") if isinstance(body, dict) else None
        if not isinstance(members, list) or len(members) != 1 or body.get("isGroup"):
            return _connector_error(400, "BadArgument", "A 1:1 conversation needs exactly one member.")
        wanted = members[0].get("id") if isinstance(members[0], dict) else None
        with state.lock:
            user = next((u for u in state.users.values() if wanted in (u.id, u.aad_object_id)), None)
            if user is None:
                return _connector_error(404, "MemberNotFoundInConversation", "The member was not found.")
            return JSONResponse({"id": state.personal_conversation(user)}, status_code=201)

    return _guarded(state, "POST", handler)
