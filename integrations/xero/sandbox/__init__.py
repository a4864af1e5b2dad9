"""A local stand-in for the parts of Xero that Paidup uses, served over loopback HTTP.

    state, app = create_xero_sandbox(today=date.today(), client_id="id", client_secret="secret",
                                     webhook_key="key")
    with LoopbackServer(app) as server:
        state.base_url = server.url    # XERO_API_URL = XERO_IDENTITY_URL = server.url
        ...                            # login URL: server.url + "/identity/connect/authorize"

``state`` (``XeroSandboxState``) holds the organisation and its control methods: ``add_invoices``,
``add_contacts``, ``record_payment``, ``add_credit_note``, ``archive_contact``, ``send_webhook``,
``send_intent_to_receive``, ``issue_tokens``, ``expire_access_tokens``, ``set_limits``, and the
``faults`` switches. The same are exposed over HTTP under ``/__sandbox__/`` (see ``control.py``).
The sandbox follows Xero's published contract (``specs/xero``), not our client.
"""

from __future__ import annotations

import socket
from datetime import date

from starlette.applications import Starlette

from integrations.loopback import LoopbackServer
from integrations.xero.clock import Clock
from integrations.xero.sandbox.quota import SandboxLimits
from integrations.xero.sandbox.server import create_app
from integrations.xero.sandbox.state import TEST_SCOPES, XeroSandboxState

LOGIN_PATH = "/identity/connect/authorize"


def create_xero_sandbox(*, today: date, client_id: str = "sandbox-client-id",
                        client_secret: str = "sandbox-client-secret",  # noqa: S107 - a sandbox default
                        webhook_key: str = "sandbox-webhook-key",
                        clock: Clock | None = None, limits: SandboxLimits | None = None, seed: bool = True,
                        granular_only: bool = True) -> tuple[XeroSandboxState, Starlette]:
    """The sandbox state (seeded from ``integrations.demo_data`` unless ``seed=False``) and its ASGI app."""
    state = XeroSandboxState(today=today, client_id=client_id, client_secret=client_secret, webhook_key=webhook_key,
                             clock=clock, limits=limits, seed=seed, granular_only=granular_only)
    return state, create_app(state)


def disable_nagle(server: LoopbackServer) -> LoopbackServer:
    """Set TCP_NODELAY on the server's listening socket (Linux passes it on to accepted sockets).

    ``LoopbackServer`` creates its socket with protocol 0, so asyncio does not set TCP_NODELAY on
    connections, and uvicorn's separate header/body writes then wait ~40 ms for a delayed ACK on
    every keep-alive request. Call before ``start()``; harmless once loopback.py sets it itself.
    """
    listening = getattr(server, "_sock", None)
    if isinstance(listening, socket.socket):
        listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return server


def start_xero_sandbox(*, port: int = 0, **options: object) -> tuple[XeroSandboxState, LoopbackServer]:
    """Create and serve a sandbox on 127.0.0.1 (``server.stop()`` when done); ``state.base_url`` is set."""
    state, app = create_xero_sandbox(**options)  # type: ignore[arg-type]
    server = disable_nagle(LoopbackServer(app, port=port)).start()
    state.base_url = server.url
    return state, server


__all__ = ["LOGIN_PATH", "TEST_SCOPES", "SandboxLimits", "XeroSandboxState", "create_xero_sandbox",
           "disable_nagle", "start_xero_sandbox"]
