"""Block, action and callback ids of the invoice modal and cards. They are a contract: the terminal
demo and tests drive the modal by them, and Slack keeps what a person typed across ``views.update``
only while they stay the same."""

from __future__ import annotations

# views (callback_id)
PICK_VIEW = "invoice_pick"
FORM_VIEW = "invoice_form"
REJECT_VIEW = "invoice_reject_reason"
DONE_VIEW = "invoice_done"

# the picker
OPPORTUNITY_BLOCK, OPPORTUNITY_ACTION = "invoice_opportunity", "opportunity"

# the form: header fields (block id, action id)
CONTACT_BLOCK, CONTACT_ACTION = "invoice_contact", "contact"
CURRENCY_BLOCK, CURRENCY_ACTION = "invoice_currency", "currency"
DATE_BLOCK, DATE_ACTION = "invoice_date", "date"
DUE_BLOCK, DUE_ACTION = "invoice_due_date", "due_date"
REFERENCE_BLOCK, REFERENCE_ACTION = "invoice_reference", "reference"
TOTAL_BLOCK = "invoice_total"
LINES_BLOCK = "invoice_lines"  # the actions block: add a line, remove line n
ADD_LINE_ACTION = "invoice_add_line"
REMOVE_LINE_ACTION = "invoice_remove_line"  # value: the line key
# per line: block id "line_<key>_<field>", action id = field
LINE_FIELDS = ("description", "quantity", "unit_amount", "discount_rate", "account_code", "tax_type")
RECALCULATE_FIELDS = ("quantity", "unit_amount", "discount_rate", "tax_type")  # dispatch_action: live total

# entry points and cards
CREATE_INVOICE_ACTION = "create_invoice"  # status card / App Home button, value: opportunity id
APPROVAL_BLOCK = "invoice_approval"
APPROVE_ACTION = "invoice_approve"
EDIT_ACTION = "invoice_edit"
REJECT_ACTION = "invoice_reject"
RESUBMIT_ACTION = "invoice_resubmit"
OPEN_IN_XERO_ACTION = "invoice_open_xero"
REASON_BLOCK, REASON_ACTION = "reject_reason", "reason"


def due_block(version: int) -> str:
    """The due date's block: ``invoice_due_date``, and a new id each time Paidup sets the date again
    (the contact or invoice date changed while the person had left it as Paidup set it): Slack keeps
    an input's entered value across ``views.update`` while its block id stays, initial date or not."""
    return DUE_BLOCK if version == 0 else f"{DUE_BLOCK}_{version}"


def line_block(key: str, field: str) -> str:
    return f"line_{key}_{field}"


def parse_line_block(block_id: str) -> tuple[str, str] | None:
    """(line key, field) of a line input's block id, else None."""
    if not block_id.startswith("line_"):
        return None
    rest = block_id[len("line_"):]
    for field in LINE_FIELDS:
        if rest.endswith("_" + field):
            return rest[: -len(field) - 1], field
    return None


def form_field_block(field: str) -> str:
    """The block that shows a service ``FieldError.field``."""
    if field.startswith("line:"):
        _, key, name = field.split(":", 2)
        return line_block(key, name)
    return {"contact": CONTACT_BLOCK, "currency": CURRENCY_BLOCK, "invoice_date": DATE_BLOCK, "due_date": DUE_BLOCK,
            "reference": REFERENCE_BLOCK, "reason": REASON_BLOCK}.get(field, "")
