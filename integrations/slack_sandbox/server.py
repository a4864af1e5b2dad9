"""The Slack Web API stand-in as an ASGI app.

Serves ``/api/<method>`` (point slack_sdk at it with ``WebClient(base_url=url + "/api/")``),
``/upload/v1/<file_id>`` (the upload URLs files.getUploadURLExternal hands out) and
``/response/...`` (response_urls minted by ``ids.response_url_for`` and the request signer).

A call is read the three ways slack_sdk sends them (JSON body, form body, GET query), its token
checked (``not_authed`` / ``invalid_auth`` / ``not_allowed_token_type``), staged faults applied,
then answered by the method's handler; every call is recorded whole in ``SlackState``.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from integrations.slack_sandbox.api_chat import CHAT_METHODS
from integrations.slack_sandbox.api_files import FILE_METHODS, UPLOAD_PATH
from integrations.slack_sandbox.api_views import VIEW_METHODS
from integrations.slack_sandbox.api_workspace import APP_TOKEN_METHODS, WORKSPACE_METHODS
from integrations.slack_sandbox.ids import RESPONSE_URL_PATH, parse_response_path
from integrations.slack_sandbox.method_call import MethodCall, MethodHandler, SlackApiFailure
from integrations.slack_sandbox.response_urls import answer_response_url
from integrations.slack_sandbox.state import SlackState
from integrations.slack_sandbox.surfaces import ApiCall
from integrations.slack_sandbox.workspace import (
    BOT_SCOPES,
    Channel,
    SlackUser,
    TokenIdentity,
    Usergroup,
    default_channels,
    default_usergroups,
    default_users,
)

DEFAULT_BOT_TOKEN = "xoxb-0000000000-paidup-sandbox"  # noqa: S105 - a fixed, fake token for the stand-in
DEFAULT_APP_TOKEN = "xapp-1-A0PAIDUPAPP-paidup-sandbox"  # noqa: S105
METHODS: dict[str, MethodHandler] = {**CHAT_METHODS, **VIEW_METHODS, **WORKSPACE_METHODS, **FILE_METHODS}
_JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata", "unfurls")


class BadRequestBody(Exception):
    """The body can't be read; ``error`` is what Slack answers (invalid_json, invalid_form_data, ...)."""


def create_slack_sandbox(bot_token: str = DEFAULT_BOT_TOKEN, *, app_token: str | None = DEFAULT_APP_TOKEN,
                         users: Iterable[SlackUser] | None = None, usergroups: Iterable[Usergroup] | None = None,
                         channels: Iterable[Channel] | None = None, clock: Callable[[], float] = time.time,
                         trigger_ttl: float | None = None) -> tuple[SlackState, Starlette]:
    """The stand-in's state and its ASGI app; defaults: the demo users, S0FINANCE, the demo channels."""
    state = SlackState(
        bot_token=bot_token, app_token=app_token,
        users=default_users() if users is None else users,
        usergroups=default_usergroups() if usergroups is None else usergroups,
        channels=default_channels() if channels is None else channels,
        clock=clock, trigger_ttl=trigger_ttl,
    )
    return state, create_app(state)


def create_app(state: SlackState) -> Starlette:
    async def web_api(request: Request) -> Response:
        return await _answer_web_api(state, request)

    async def upload(request: Request) -> Response:
        if not state.receive_upload(request.path_params["file_id"], await request.body()):
            return PlainTextResponse("not found", status_code=404)
        return PlainTextResponse(f"OK - {len(await request.body())}")

    async def response_url(request: Request) -> Response:
        target = parse_response_path(request.path_params["key"])
        if target is None:
            return JSONResponse({"ok": False, "error": "invalid_url"}, status_code=404)
        try:
            body = json.loads(await request.body() or b"null")
        except ValueError:
            return JSONResponse({"ok": False, "error": "invalid_payload"}, status_code=400)
        status, answer = answer_response_url(state, target, body)
        return JSONResponse(answer, status_code=status)

    return Starlette(routes=[
        Route("/api/{method}", web_api, methods=["GET", "POST"]),
        Route(UPLOAD_PATH + "/{file_id}", upload, methods=["POST"]),
        Route(RESPONSE_URL_PATH + "/{key:path}", response_url, methods=["POST"]),
    ])


async def _answer_web_api(state: SlackState, request: Request) -> Response:
    method = request.path_params["method"]
    try:
        params = await read_params(request)
    except BadRequestBody as error:
        params, early = {}, {"ok": False, "error": str(error)}
    else:
        early = None
    token_param = params.pop("token", None)
    token = _bearer_token(request) or (str(token_param) if token_param else None)
    identity = state.identity_for(token) if token else None
    call = ApiCall(method, params, request.method, request.headers.get("content-type", ""), token, identity,
                   state.now())
    status, body, headers = _respond(state, call, early, str(request.base_url).rstrip("/"))
    call.status, call.response = status, body
    state.record_call(call)
    if identity is not None and identity.kind == "bot":
        headers["X-OAuth-Scopes"] = ",".join(BOT_SCOPES)
    return JSONResponse(body, status_code=status, headers=headers)


def _respond(state: SlackState, call: ApiCall, early: dict[str, Any] | None,
             base_url: str) -> tuple[int, dict[str, Any], dict[str, str]]:
    handler = METHODS.get(call.method)
    if handler is None:
        return 200, {"ok": False, "error": "unknown_method", "req_method": call.method}, {}
    refusal = early or _token_refusal(call.method, call.token, call.identity)
    if refusal is not None:
        return 200, refusal, {}
    fault = state.take_fault(call.method)
    if fault is not None:
        return fault.status, fault.body(), fault.headers()
    assert call.identity is not None  # checked by _token_refusal
    try:
        return 200, handler(MethodCall(state, call.params, call.identity, base_url)), {}
    except SlackApiFailure as failure:
        return 200, failure.body(), {}


def _token_refusal(method: str, token: str | None, identity: TokenIdentity | None) -> dict[str, Any] | None:
    if not token:
        return {"ok": False, "error": "not_authed"}
    if identity is None:
        return {"ok": False, "error": "invalid_auth"}
    if (identity.kind == "app") != (method in APP_TOKEN_METHODS):
        return {"ok": False, "error": "not_allowed_token_type"}
    return None


def _bearer_token(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


async def read_params(request: Request) -> dict[str, Any]:
    """Query parameters merged with a JSON or form body; JSON-encoded fields (blocks, view, ...) decoded."""
    params: dict[str, Any] = dict(request.query_params)
    raw = await request.body()
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if raw and content_type == "application/json":
        try:
            body = json.loads(raw)
        except ValueError as error:
            raise BadRequestBody("invalid_json") from error
        if not isinstance(body, dict):
            raise BadRequestBody("json_not_object")
        params.update(body)
    elif raw and content_type in ("application/x-www-form-urlencoded", ""):
        try:
            params.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
        except (UnicodeDecodeError, ValueError) as error:
            raise BadRequestBody("invalid_form_data") from error
    elif raw:
        raise BadRequestBody("invalid_post_type")
    for key in _JSON_FIELDS:
        if isinstance(params.get(key), str) and params[key]:
            # a string that isn't JSON stays a string: the handler answers with the method's "bad format" error
            with contextlib.suppress(ValueError):
                params[key] = json.loads(params[key])
    return params
