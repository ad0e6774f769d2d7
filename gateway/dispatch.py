"""Queries: ask every province the request names, concurrently, and say who answered.

Each province is told only about itself. A query across several provinces names them all
(``provinces``: where a person was insured); each province gets the same conditions with that
list narrowed to its own code. Which other provinces hold a person's records is personal
data a province does not need (PIPL's "minimum necessary"), and translating and sending the
full list to each of 31 provinces cost 31 × 31 codes per query.

A province's answer is translated, validated against the item's result model and serialised
at once, in its own task, in one pass where ``gateway.wire_json`` can and without building
the model's objects where ``gateway.answer_json`` can: the query holds it as JSON until the
whole answer is written. Validated models of a year of
contributions are ~85 KB of Python objects against 6 KB of JSON, and under load many answers
wait together for their queries to resume (tracemalloc, 256 queries in flight: 21.6 MB of
models at the peak, held only between validation and serialisation).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping
from typing import Any

import structlog
from pydantic import BaseModel, ValidationError

from adapters.errors import AdapterError, UpstreamProtocolError
from gateway import routing, wire_json
from gateway.coverage import not_served
from gateway.problems import Problem
from gateway.registry import Registry
from gateway.resilience import ResilientAdapter
from gateway.upstream import problem_for
from schemas._model import ServiceItem
from schemas._provinces import PROVINCES

log = structlog.get_logger(__name__)


async def _ask(adapter: ResilientAdapter, item: ServiceItem, conditions: dict[str, Any]) -> bytes:
    """The province's answer as the item's result model, in JSON."""
    answer = await adapter.query_wire(item.code, conditions)
    try:
        return wire_json.decode(answer, item.result_model)
    except ValidationError:
        raise
    except Exception as exc:  # an answer translation cannot read (nested past the stack…)
        log.warning("answer_unreadable", province=adapter.config.code, error=type(exc).__name__)
        raise UpstreamProtocolError(
            f"the answer could not be read ({type(exc).__name__})", province=adapter.config.code
        ) from exc


def narrowed(conditions: dict[str, Any], item: ServiceItem, province: str) -> dict[str, Any]:
    """``conditions`` as ``province`` is asked them: each many-province role names it alone."""
    result = conditions
    for role in item.roles:
        if not role.many:
            continue
        *parents, last = role.field.split(".")
        result = node = dict(result)  # copies along the path only; the rest is shared
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                break
            node[part] = node = dict(child)
        else:
            if last in node:
                node[last] = [province]
    return result


async def run_query(
    item: ServiceItem, request: BaseModel, registry: Registry
) -> tuple[bool, list[dict[str, Any]]]:
    """(complete, one answer per province, in the order the request named them).

    An answer that is ``ok`` carries its ``result`` as JSON bytes (see the module's docstring);
    one that is not carries its ``problem`` as a problem body."""
    provinces = [t.province for t in routing.targets(item, request)]
    conditions = request.model_dump(mode="json", exclude_none=True)
    adapters = {code: registry.adapter(code) for code in provinces}
    asks = {
        code: _ask(adapter, item, narrowed(conditions, item, code))
        for code, adapter in adapters.items()
        if adapter is not None and item.code in adapter.config.items
    }
    if len(asks) == 1:
        # One province, as most queries ask: asked in this task, without one of its own.
        try:
            answers = await _gather(item, provinces, asks, registry)
        finally:
            for ask in asks.values():
                ask.close()  # not started (something failed first): never to be
    else:
        tasks = {code: asyncio.ensure_future(ask) for code, ask in asks.items()}
        try:
            answers = await _gather(item, provinces, tasks, registry)
        finally:
            # The client went away (or something failed) mid fan-out: the other provinces'
            # calls must not run on unattended, holding their bulkhead slots.
            pending = [task for task in tasks.values() if not task.done()]
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
    return all(a["ok"] for a in answers), answers


async def _gather(
    item: ServiceItem,
    provinces: list[str],
    tasks: Mapping[str, Awaitable[bytes]],
    registry: Registry,
) -> list[dict[str, Any]]:
    answers: list[dict[str, Any]] = []
    for code in provinces:
        base = {"province": code, "province_name": PROVINCES[code].zh}
        task = tasks.get(code)
        if task is None:
            problem = not_served(item, [code], registry)
            answers.append({**base, "ok": False, "problem": problem.body()})
            continue
        try:
            result = await task
        except AdapterError as exc:
            answers.append({**base, "ok": False, "problem": problem_for(exc, item.code).body()})
        except ValidationError as exc:
            problem = Problem(
                "upstream-protocol",
                502,
                "Bad answer from a province / 省级系统应答异常",
                f"the answer did not match the item's result schema ({exc.error_count()} errors)",
                province=code,
                item=item.code,
            )
            answers.append({**base, "ok": False, "problem": problem.body()})
        else:
            answers.append({**base, "ok": True, "result": result})
    return answers
