"""Records as the REST query resource returns them.

Each record starts with ``attributes`` (type, url); parent fields nest under the relationship
name with their own ``attributes`` (``null`` when the reference is empty); a child subquery is
``{totalSize, done, records}`` or ``null`` when there are no children. A child list longer than
the child batch ends with ``done: false`` and its own ``nextRecordsUrl``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from integrations.salesforce.sandbox.soql_eval import ChildSelect, Column, Plan, Records, Row, run_plan
from integrations.salesforce.sandbox.values import json_converter, json_value


@dataclass
class RenderContext:
    records: Records
    api_version: str
    include_deleted: bool
    child_batch_size: int
    park_rest: Callable[[list[Row], Plan, int], str]  # parks rows from an offset on, returns nextRecordsUrl

    def attributes(self, sobject: str, record_id: str) -> dict[str, str]:
        return {"type": sobject, "url": f"/services/data/v{self.api_version}/sobjects/{sobject}/{record_id}"}


def render_row(row: Row, plan: Plan, ctx: RenderContext) -> dict[str, Any]:
    out: dict[str, Any] = {"attributes": ctx.attributes(plan.obj.name, row["Id"])}
    for name, convert, column in _renderers(plan):
        if convert is not None:
            out[name] = convert(row.get(name))
        elif isinstance(column, ChildSelect):
            out[column.relationship.name] = _render_children(row, column, ctx)
        else:
            _put_column(out, row, column, ctx)
    return out


def _renderers(plan: Plan) -> list[tuple[str, Callable[[Any], Any] | None, Column | ChildSelect]]:
    """Per column: (field name, converter for a plain column or None, the column); built once per plan."""
    if plan.renderers is None:
        plan.renderers = [(c.field.name, json_converter(c.field.type), c) if isinstance(c, Column) and not c.steps
                          else ("", None, c) for c in plan.columns]
    return plan.renderers


def _put_column(out: dict[str, Any], row: Row, column: Column, ctx: RenderContext) -> None:
    target, current = out, row
    for ref, obj in column.steps:
        relationship = ref.relationship_name or ref.name
        parent_id = current.get(ref.name)
        parent = ctx.records.lookup(obj.name, parent_id) if parent_id else None
        if parent is None:
            target.setdefault(relationship, None)
            return
        if not isinstance(target.get(relationship), dict):
            target[relationship] = {"attributes": ctx.attributes(obj.name, parent["Id"])}
        target, current = target[relationship], parent
    target[column.field.name] = json_value(current.get(column.field.name), column.field.type)


def _render_children(row: Row, select: ChildSelect, ctx: RenderContext) -> dict[str, Any] | None:
    rel = select.relationship
    rows = run_plan(select.plan, ctx.records.children(rel.child_object, rel.field, row["Id"], ctx.include_deleted))
    if not rows:
        return None
    first, rest = rows[:ctx.child_batch_size], rows[ctx.child_batch_size:]
    body: dict[str, Any] = {"totalSize": len(rows), "done": not rest}
    if rest:
        body["nextRecordsUrl"] = ctx.park_rest(rows, select.plan, ctx.child_batch_size)
    body["records"] = [render_row(child, select.plan, ctx) for child in first]
    return body


def render_record(row: Row, obj_name: str, fields: list[Column], ctx: RenderContext) -> dict[str, Any]:
    """A record as ``GET sobjects/{Object}/{id}`` returns it: the given columns, in order."""
    out: dict[str, Any] = {"attributes": ctx.attributes(obj_name, row["Id"])}
    for column in fields:
        out[column.field.name] = json_value(row.get(column.field.name), column.field.type)
    return out
