"""Block Kit composition objects and interactive elements: the checks below the block level."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_SELECTS = ("static_select", "external_select", "users_select", "conversations_select", "channels_select")
_MULTI_SELECTS = tuple(f"multi_{s}" for s in _SELECTS)
ACCESSORY_TYPES = frozenset({
    "button", "checkboxes", "datepicker", "image", "overflow", "radio_buttons", "timepicker", "workflow_button",
    *_SELECTS, *_MULTI_SELECTS,
})
ACTIONS_ELEMENT_TYPES = frozenset({
    "button", "checkboxes", "datepicker", "datetimepicker", "overflow", "radio_buttons", "timepicker",
    "workflow_button", "rich_text_input", *_SELECTS, *_MULTI_SELECTS,
})
INPUT_ELEMENT_TYPES = frozenset({
    "plain_text_input", "email_text_input", "url_text_input", "number_input", "rich_text_input", "file_input",
    "checkboxes", "radio_buttons", "datepicker", "timepicker", "datetimepicker", *_SELECTS, *_MULTI_SELECTS,
})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}$")


class ElementChecker:
    """Collects ``"<problem> [json-pointer:<ptr>]"`` strings, the way Slack words its errors."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, ptr: str, problem: str) -> None:
        self.errors.append(f"{problem} [json-pointer:{ptr}]")

    def require(self, obj: dict[str, Any], key: str, ptr: str) -> Any:
        if key not in obj or obj[key] is None:
            self.fail(f"{ptr}/{key}", f"missing required field: {key}")
            return None
        return obj[key]

    def string(self, value: Any, ptr: str, max_length: int, min_length: int = 0) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            self.fail(ptr, "must provide a string")
        elif len(value) > max_length:
            self.fail(ptr, f"must be less than {max_length + 1} characters")
        elif len(value) < min_length:
            self.fail(ptr, f"must be more than {min_length - 1} characters")

    def items(self, value: Any, ptr: str, max_items: int, check: Callable[[Any, str], None],
              min_items: int = 0) -> None:
        if value is None:
            return
        if not isinstance(value, list):
            self.fail(ptr, "must provide an array")
            return
        if len(value) > max_items:
            self.fail(ptr, f"no more than {max_items} items allowed")
        if len(value) < min_items:
            self.fail(ptr, f"must provide at least {min_items} items")
        for i, item in enumerate(value):
            check(item, f"{ptr}/{i}")

    def text_object(self, obj: Any, ptr: str, max_length: int, plain_only: bool = False) -> None:
        if obj is None:
            return
        if not isinstance(obj, dict):
            self.fail(ptr, "must provide an object")
            return
        kind = obj.get("type")
        if kind not in ("plain_text", "mrkdwn") or (plain_only and kind != "plain_text"):
            allowed = "plain_text" if plain_only else "plain_text or mrkdwn"
            self.fail(f"{ptr}/type", f"must be {allowed}")
        self.string(self.require(obj, "text", ptr), f"{ptr}/text", max_length, min_length=1)

    def image(self, obj: dict[str, Any], ptr: str) -> None:
        if "image_url" not in obj and "slack_file" not in obj:
            self.fail(f"{ptr}/image_url", "missing required field: image_url")
        self.string(obj.get("image_url"), f"{ptr}/image_url", 3000, min_length=1)
        self.string(self.require(obj, "alt_text", ptr), f"{ptr}/alt_text", 2000, min_length=1)

    def element(self, element: Any, ptr: str, allowed: frozenset[str]) -> None:
        if not isinstance(element, dict):
            self.fail(ptr, "must provide an object")
            return
        kind = str(element.get("type"))
        if kind not in allowed:
            self.fail(f"{ptr}/type", "failed to match all allowed schemas")
            return
        self.string(element.get("action_id"), f"{ptr}/action_id", 255)
        if "placeholder" in element:
            self.text_object(element["placeholder"], f"{ptr}/placeholder", 150, plain_only=True)
        if "confirm" in element:
            self.confirm(element["confirm"], f"{ptr}/confirm")
        check = _ELEMENT_CHECKS.get(kind.removeprefix("multi_"))
        if check is not None:
            check(self, element, ptr)

    def button(self, element: dict[str, Any], ptr: str) -> None:
        self.text_object(self.require(element, "text", ptr), f"{ptr}/text", 75, plain_only=True)
        self.string(element.get("value"), f"{ptr}/value", 2000)
        self.string(element.get("url"), f"{ptr}/url", 3000)
        if element.get("style") not in (None, "primary", "danger"):
            self.fail(f"{ptr}/style", "must be one of primary, danger")

    def static_select(self, element: dict[str, Any], ptr: str) -> None:
        has_options, has_groups = "options" in element, "option_groups" in element
        if has_options == has_groups:
            self.fail(ptr, "must provide exactly one of options or option_groups")
        self.items(element.get("options"), f"{ptr}/options", 100, self.select_option)
        self.items(element.get("option_groups"), f"{ptr}/option_groups", 100, self.option_group)

    def option_group(self, group: Any, ptr: str) -> None:
        if not isinstance(group, dict):
            self.fail(ptr, "must provide an object")
            return
        self.text_object(self.require(group, "label", ptr), f"{ptr}/label", 75, plain_only=True)
        self.items(self.require(group, "options", ptr), f"{ptr}/options", 100, self.select_option)

    def select_option(self, option: Any, ptr: str) -> None:
        self.option(option, ptr, plain_only=True)

    def option(self, option: Any, ptr: str, plain_only: bool = False) -> None:
        if not isinstance(option, dict):
            self.fail(ptr, "must provide an object")
            return
        self.text_object(self.require(option, "text", ptr), f"{ptr}/text", 75, plain_only=plain_only)
        self.string(self.require(option, "value", ptr), f"{ptr}/value", 150)
        if "description" in option:
            self.text_object(option["description"], f"{ptr}/description", 75, plain_only=True)

    def choice_list(self, element: dict[str, Any], ptr: str) -> None:
        self.items(self.require(element, "options", ptr), f"{ptr}/options", 10, self.option, min_items=1)

    def overflow(self, element: dict[str, Any], ptr: str) -> None:
        self.items(self.require(element, "options", ptr), f"{ptr}/options", 5, self.select_option, min_items=1)

    def datepicker(self, element: dict[str, Any], ptr: str) -> None:
        initial = element.get("initial_date")
        if initial is not None and not (isinstance(initial, str) and _DATE.match(initial)):
            self.fail(f"{ptr}/initial_date", "must be a date in YYYY-MM-DD format")

    def timepicker(self, element: dict[str, Any], ptr: str) -> None:
        initial = element.get("initial_time")
        if initial is not None and not (isinstance(initial, str) and _TIME.match(initial)):
            self.fail(f"{ptr}/initial_time", "must be a time in HH:mm format")

    def plain_text_input(self, element: dict[str, Any], ptr: str) -> None:
        for key in ("min_length", "max_length"):
            value = element.get(key)
            if value is not None and (not isinstance(value, int) or not 0 <= value <= 3000):
                self.fail(f"{ptr}/{key}", "must be an integer between 0 and 3000")
        self.string(element.get("initial_value"), f"{ptr}/initial_value", 3000)

    def number_input(self, element: dict[str, Any], ptr: str) -> None:
        if not isinstance(self.require(element, "is_decimal_allowed", ptr), bool):
            self.fail(f"{ptr}/is_decimal_allowed", "must provide a boolean")

    def image_element(self, element: dict[str, Any], ptr: str) -> None:
        self.image(element, ptr)

    def confirm(self, confirm: Any, ptr: str) -> None:
        if not isinstance(confirm, dict):
            self.fail(ptr, "must provide an object")
            return
        self.text_object(self.require(confirm, "title", ptr), f"{ptr}/title", 100, plain_only=True)
        self.text_object(self.require(confirm, "text", ptr), f"{ptr}/text", 300)
        self.text_object(self.require(confirm, "confirm", ptr), f"{ptr}/confirm", 30, plain_only=True)
        self.text_object(self.require(confirm, "deny", ptr), f"{ptr}/deny", 30, plain_only=True)


_ELEMENT_CHECKS: dict[str, Callable[[ElementChecker, dict[str, Any], str], None]] = {
    "button": ElementChecker.button, "static_select": ElementChecker.static_select,
    "checkboxes": ElementChecker.choice_list, "radio_buttons": ElementChecker.choice_list,
    "overflow": ElementChecker.overflow, "datepicker": ElementChecker.datepicker,
    "timepicker": ElementChecker.timepicker, "plain_text_input": ElementChecker.plain_text_input,
    "number_input": ElementChecker.number_input, "image": ElementChecker.image_element,
}
