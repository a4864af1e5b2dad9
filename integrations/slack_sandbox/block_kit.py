"""Block Kit limits as Slack enforces them, for messages, modals and Home tabs.

``check_message_blocks(blocks)`` and ``check_view(view)`` return Slack-style error strings
("must be less than 3001 characters [json-pointer:/blocks/0/text/text]"); an empty list means
Slack would accept the payload. The limits come from Slack's Block Kit reference and the
slack_sdk models (see ``specs/slack/FACTS.md`` section 6). The stand-in answers chat.* calls that
fail these checks with ``invalid_blocks`` and views.* calls with ``invalid_arguments``, as Slack does.
"""

from __future__ import annotations

from typing import Any

from integrations.slack_sandbox.block_kit_elements import (
    ACCESSORY_TYPES,
    ACTIONS_ELEMENT_TYPES,
    INPUT_ELEMENT_TYPES,
    ElementChecker,
)

MESSAGE_BLOCKS_MAX = 50
SURFACE_BLOCKS_MAX = 100  # modals and Home tabs
VIEW_TITLE_MAX = 24
PRIVATE_METADATA_MAX = 3000


class BlockChecker(ElementChecker):
    """Walks blocks, collecting every limit broken (Slack reports all of them, not the first)."""

    def blocks(self, blocks: Any, ptr: str, max_blocks: int) -> None:
        if not isinstance(blocks, list):
            self.fail(ptr, "must provide an array")
            return
        if len(blocks) > max_blocks:
            self.fail(ptr, f"no more than {max_blocks} items allowed")
        seen_ids: set[str] = set()
        for i, block in enumerate(blocks):
            self.block(block, f"{ptr}/{i}", seen_ids)

    def block(self, block: Any, ptr: str, seen_ids: set[str]) -> None:
        if not isinstance(block, dict):
            self.fail(ptr, "must provide an object")
            return
        block_id = block.get("block_id")
        if block_id is not None:
            self.string(block_id, f"{ptr}/block_id", 255)
            if block_id in seen_ids:
                self.fail(f"{ptr}/block_id", f"duplicate block_id `{block_id}`")
            seen_ids.add(block_id)
        check = _BLOCK_CHECKS.get(str(block.get("type")))
        if check is None:
            self.fail(ptr, "failed to match all allowed schemas")
            return
        check(self, block, ptr)

    def section(self, block: dict[str, Any], ptr: str) -> None:
        if "text" not in block and "fields" not in block:
            self.fail(ptr, "must provide either text or fields")
        if "text" in block:
            self.text_object(block["text"], f"{ptr}/text", 3000)
        if "fields" in block:
            self.items(block["fields"], f"{ptr}/fields", 10, lambda f, p: self.text_object(f, p, 2000))
        if "accessory" in block:
            self.element(block["accessory"], f"{ptr}/accessory", ACCESSORY_TYPES)

    def header(self, block: dict[str, Any], ptr: str) -> None:
        self.text_object(self.require(block, "text", ptr), f"{ptr}/text", 150, plain_only=True)

    def divider(self, block: dict[str, Any], ptr: str) -> None:
        return None

    def image_block(self, block: dict[str, Any], ptr: str) -> None:
        self.image(block, ptr)
        if "title" in block:
            self.text_object(block["title"], f"{ptr}/title", 2000, plain_only=True)

    def context(self, block: dict[str, Any], ptr: str) -> None:
        elements = self.require(block, "elements", ptr)
        self.items(elements, f"{ptr}/elements", 10, self.context_element, min_items=1)

    def context_element(self, element: Any, ptr: str) -> None:
        if isinstance(element, dict) and element.get("type") == "image":
            self.image(element, ptr)
        else:
            self.text_object(element, ptr, 3000)

    def actions(self, block: dict[str, Any], ptr: str) -> None:
        elements = self.require(block, "elements", ptr)
        self.items(elements, f"{ptr}/elements", 25, lambda e, p: self.element(e, p, ACTIONS_ELEMENT_TYPES),
                   min_items=1)

    def input(self, block: dict[str, Any], ptr: str) -> None:
        self.text_object(self.require(block, "label", ptr), f"{ptr}/label", 2000, plain_only=True)
        self.element(self.require(block, "element", ptr), f"{ptr}/element", INPUT_ELEMENT_TYPES)
        if "hint" in block:
            self.text_object(block["hint"], f"{ptr}/hint", 2000, plain_only=True)

    def markdown(self, block: dict[str, Any], ptr: str) -> None:
        self.string(self.require(block, "text", ptr), f"{ptr}/text", 12000, min_length=1)

    def rich_text(self, block: dict[str, Any], ptr: str) -> None:
        if not isinstance(self.require(block, "elements", ptr), list):
            self.fail(f"{ptr}/elements", "must provide an array")

    def file(self, block: dict[str, Any], ptr: str) -> None:
        self.require(block, "external_id", ptr)
        self.require(block, "source", ptr)


_BLOCK_CHECKS = {
    "section": BlockChecker.section, "header": BlockChecker.header, "divider": BlockChecker.divider,
    "image": BlockChecker.image_block, "context": BlockChecker.context, "actions": BlockChecker.actions,
    "input": BlockChecker.input, "markdown": BlockChecker.markdown, "rich_text": BlockChecker.rich_text,
    "file": BlockChecker.file,
}


def check_message_blocks(blocks: Any, pointer: str = "/blocks") -> list[str]:
    """Errors Slack would report for a message's ``blocks`` (chat.postMessage, chat.update, ...)."""
    checker = BlockChecker()
    checker.blocks(blocks, pointer, MESSAGE_BLOCKS_MAX)
    return checker.errors


def check_view(view: Any, pointer: str = "/view") -> list[str]:
    """Errors Slack would report for a modal or Home tab view object (views.open/push/update/publish)."""
    checker = BlockChecker()
    if not isinstance(view, dict):
        checker.fail(pointer, "must provide an object")
        return checker.errors
    view_type = view.get("type")
    if view_type not in ("modal", "home"):
        checker.fail(f"{pointer}/type", "failed to match all allowed schemas")
        return checker.errors
    if view_type == "modal":
        _check_modal_chrome(checker, view, pointer)
    checker.blocks(checker.require(view, "blocks", pointer), f"{pointer}/blocks", SURFACE_BLOCKS_MAX)
    for key, limit in (("private_metadata", PRIVATE_METADATA_MAX), ("callback_id", 255), ("external_id", 255)):
        if key in view:
            checker.string(view[key], f"{pointer}/{key}", limit)
    return checker.errors


def _check_modal_chrome(checker: BlockChecker, view: dict[str, Any], pointer: str) -> None:
    checker.text_object(checker.require(view, "title", pointer), f"{pointer}/title", VIEW_TITLE_MAX, plain_only=True)
    for key in ("close", "submit"):
        if view.get(key) is not None:
            checker.text_object(view[key], f"{pointer}/{key}", VIEW_TITLE_MAX, plain_only=True)
    blocks = view.get("blocks")
    has_input = isinstance(blocks, list) and any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
    if has_input and view.get("submit") is None:
        checker.fail(f"{pointer}/submit", "must provide a submit button when input blocks are present")
