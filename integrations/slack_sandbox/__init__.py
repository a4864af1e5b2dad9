"""A local stand-in for the Slack Web API that records every call, plus Slack-signed requests.

    state, app = create_slack_sandbox()
    with LoopbackServer(app) as server:
        client = WebClient(token=DEFAULT_BOT_TOKEN, base_url=server.url + "/api/")
        client.chat_postMessage(channel="C0FINANCE", text="hello")
        assert state.messages("C0FINANCE")[-1].text == "hello"

``SlackState`` (see ``state.py``) is the call log, the fault switches, what each user sees
(messages per channel, ephemeral messages, modal stacks, Home tabs) and a listener hook.
``SlackRequestSigner`` (``signing.py``) builds the requests Slack would send the app (slash
commands, interactivity payloads, Events API envelopes), signed with the signing secret, with
trigger ids and response_urls the stand-in honours; ``post_signed`` sends one.
"""

from integrations.slack_sandbox.block_kit import check_message_blocks, check_view
from integrations.slack_sandbox.server import DEFAULT_APP_TOKEN, DEFAULT_BOT_TOKEN, create_app, create_slack_sandbox
from integrations.slack_sandbox.signing import SignedRequest, SlackRequestSigner, post_signed
from integrations.slack_sandbox.state import SlackState
from integrations.slack_sandbox.surfaces import ApiCall, Message, SlackFile, SurfaceChange, View
from integrations.slack_sandbox.workspace import Channel, SlackUser, TokenIdentity, Usergroup

__all__ = [
    "DEFAULT_APP_TOKEN",
    "DEFAULT_BOT_TOKEN",
    "ApiCall",
    "Channel",
    "Message",
    "SignedRequest",
    "SlackFile",
    "SlackRequestSigner",
    "SlackState",
    "SlackUser",
    "SurfaceChange",
    "TokenIdentity",
    "Usergroup",
    "View",
    "check_message_blocks",
    "check_view",
    "create_app",
    "create_slack_sandbox",
    "post_signed",
]
