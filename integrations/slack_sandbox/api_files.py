"""files.getUploadURLExternal, the upload URL, files.completeUploadExternal, files.info
(the three steps slack_sdk's ``files_upload_v2`` takes). files.upload is gone, as on Slack."""

from __future__ import annotations

from typing import Any

from integrations.slack_sandbox.method_call import MethodCall, MethodHandler, SlackApiFailure, invalid_arguments
from integrations.slack_sandbox.surfaces import Message
from integrations.slack_sandbox.workspace import BOT_USER_ID

UPLOAD_PATH = "/upload/v1"


def get_upload_url(call: MethodCall) -> dict[str, Any]:
    filename = call.text("filename")
    length = call.text("length")
    if not filename or not length.isdigit():
        raise invalid_arguments("`filename` and a numeric `length` are required")
    file = call.state.new_upload(filename, int(length), call.identity.user_id or BOT_USER_ID,
                                 alt_txt=call.text("alt_txt") or None)
    return {"ok": True, "upload_url": f"{call.base_url}{UPLOAD_PATH}/{file.id}", "file_id": file.id}


def complete_upload(call: MethodCall) -> dict[str, Any]:
    entries = call.json_list("files", "invalid_arguments")
    if not entries or not all(isinstance(e, dict) and e.get("id") for e in entries):
        raise invalid_arguments("`files` must be a JSON array of {id, title}")
    channel = _share_channel(call)
    done = []
    for entry in entries:
        file = call.state.complete_upload(str(entry["id"]), entry.get("title"), channel)
        if file is None:
            raise SlackApiFailure("file_not_found")
        done.append(file)
    if channel is not None:
        message = Message(channel, call.state.next_ts(), call.text("initial_comment"), [], BOT_USER_ID,
                          thread_ts=call.text("thread_ts") or None, files=[f.to_api() for f in done])
        call.state.add_message(message)
    return {"ok": True, "files": [{"id": f.id, "title": f.title} for f in done]}


def _share_channel(call: MethodCall) -> str | None:
    ref = call.text("channel_id") or call.text("channels").split(",")[0].strip()
    if not ref:
        return None
    resolved = call.state.resolve_channel(ref)
    if resolved is None:
        raise SlackApiFailure("channel_not_found")
    return resolved


def file_info(call: MethodCall) -> dict[str, Any]:
    file = call.state.file(call.text("file", missing="file_not_found"))
    if file is None or file.content is None:
        raise SlackApiFailure("file_not_found")
    return {"ok": True, "file": file.to_api(), "comments": [], "response_metadata": {"next_cursor": ""}}


def legacy_upload(call: MethodCall) -> dict[str, Any]:
    raise SlackApiFailure("method_deprecated")


FILE_METHODS: dict[str, MethodHandler] = {
    "files.getUploadURLExternal": get_upload_url,
    "files.completeUploadExternal": complete_upload,
    "files.info": file_info,
    "files.upload": legacy_upload,
}
