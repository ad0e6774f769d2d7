"""The `batch_callback` provincial system: one FastAPI app hosting every such province.

Every call carries HTTP Basic credentials of a client the province issued (401 E1002
otherwise). Submissions are queued (`POST /batches`, HTTP 202) and move one status per batch
run; results reach the client by signed callbacks (`PUT /subscription`) or polling
(`GET /tickets/{ticket}`). See `worker` for runs and deliveries.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox import answers
from sandbox.batch_callback.worker import BatchWorker
from sandbox.clock import beijing
from sandbox.control import control_router
from sandbox.credentials import basic_credentials, known_client
from sandbox.engine import Case, CaseNotFound, NotAllowed
from sandbox.faults import FaultMiddleware, FaultProfile, invalid_utf8
from sandbox.lifecycle import CLOSED, Status
from sandbox.provinces import Catalog, Province
from sandbox.state import SandboxState, build_state

FAMILY = "batch_callback"
MAX_SERIAL = 64
MAX_ITEMS = 100
MAX_URL = 2048

# canonical status -> (status, statusName)
STATUS: dict[Status, tuple[str, str]] = {
    Status.received: ("PENDING", "已接收待处理"),
    Status.accepted: ("ACCEPTED", "已受理"),
    Status.processing: ("PROCESSING", "办理中"),
    Status.correction_requested: ("NEED_SUPPLEMENT", "需补正"),
    Status.closed_approved: ("APPROVED", "办结·准予"),
    Status.closed_refused: ("DENIED", "办结·不予"),
    Status.not_accepted: ("REFUSED", "不予受理"),
    Status.withdrawn: ("WITHDRAWN", "已撤回"),
}

INVALID_PAYLOAD = "E1001"
AUTH_FAILED = "E1002"
TICKET_NOT_FOUND = "E1004"
ITEM_NOT_OPEN = "E1005"
NOT_ALLOWED = "E1009"
WINDOW_CLOSED = "E5003"
SYSTEM_ERROR = "E5000"


def status_code(status: Status) -> str:
    return STATUS[status][0]


class BatchError(Exception):
    def __init__(
        self, http_status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{code} {message}")
        self.http_status = http_status
        self.code = code
        self.message = message
        self.headers = headers

    def response(self) -> JSONResponse:
        return JSONResponse(
            {"error": {"code": self.code, "message": self.message}},
            status_code=self.http_status,
            headers=self.headers,
        )


def invalid(field: str, problem: str) -> BatchError:
    return BatchError(400, INVALID_PAYLOAD, f"{field}: {problem}")


def system_error() -> Response:
    return BatchError(500, SYSTEM_ERROR, "系统错误").response()


def _down() -> Response:
    # The spec's own answer for a closed intake window / maintenance.
    return BatchError(
        503, WINDOW_CLOSED, "系统维护中，请稍后重试", headers={"Retry-After": "1"}
    ).response()


PROFILE = FaultProfile(system_error=system_error, down=_down, wrong_encoding=invalid_utf8)


def ticket_document(province: Province, case: Case) -> dict[str, Any]:
    """A ticket as polled and as sent in callbacks."""
    status, name = STATUS[case.status]
    result = None
    if case.status in CLOSED and case.decision is not None:
        result = answers.decision_fields(province, case.decision)
    return {
        "ticket": case.reference,
        "serialNo": case.serial,
        "status": status,
        "statusName": name,
        "reason": case.reason,
        "updatedAt": beijing(case.status_since).isoformat(timespec="seconds"),
        "result": result,
    }


class _StartWorker:
    """Starts the worker on the first request when the server runs without lifespan."""

    def __init__(self, app: ASGIApp, worker: BatchWorker) -> None:
        self.app = app
        self.worker = worker

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.worker.started:
            self.worker.start()
        await self.app(scope, receive, send)


def create(
    catalog: Catalog, *, step_seconds: float, clock: Callable[[], float] = time.time
) -> FastAPI:
    state = build_state(
        FAMILY,
        catalog,
        step_seconds=step_seconds,
        status_code=status_code,
        clock=clock,
        progression="runs",
    )

    def document(case: Case) -> dict[str, Any]:
        return ticket_document(state.provinces[case.province], case)

    worker = BatchWorker(state, document, lambda case: status_code(case.status))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker.start()
        try:
            yield
        finally:
            await worker.stop()

    app = FastAPI(title="Tongban sandbox: batch_callback provinces", version="1", lifespan=lifespan)
    app.state.sandbox = state
    app.state.worker = worker
    app.include_router(control_router(state))
    app.include_router(_control(worker))
    app.include_router(_router(state, worker))
    app.add_middleware(FaultMiddleware, state=state, profile=PROFILE)
    app.add_middleware(_StartWorker, worker=worker)

    @app.exception_handler(BatchError)
    async def _batch_error(request: Request, exc: BatchError) -> Response:
        return exc.response()

    return app


def _control(worker: BatchWorker) -> APIRouter:
    router = APIRouter(prefix="/_sandbox", tags=["sandbox control"])

    @router.get("/callbacks")
    async def callbacks(province: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Recent callback deliveries, newest first (no personal data)."""
        found = [d for d in worker.deliveries if province is None or d.province == province]
        return [d.describe() for d in reversed(found)][: max(0, limit)]

    @router.post("/run")
    async def run(province: str | None = None) -> dict[str, Any]:
        """Runs the batch now: every open ticket moves one step."""
        if province is not None and worker.state.province(province) is None:
            raise HTTPException(404, f"province {province} is not hosted by this server")
        return {"moved": worker.run_now(province)}

    return router


# --- the protocol ------------------------------------------------------------------------


async def _json(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise invalid("body", "不是合法的JSON") from exc


def _text(obj: dict[str, Any], key: str, where: str, *, limit: int = MAX_SERIAL) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        raise invalid(f"{where}{key}", "缺失或不是字符串")
    if len(value) > limit:
        raise invalid(f"{where}{key}", f"长度超过{limit}")
    return value


def _router(state: SandboxState, worker: BatchWorker) -> APIRouter:
    router = APIRouter(prefix="/{province}", tags=["batch_callback protocol"])

    def client_of(code: str, request: Request) -> tuple[Province, str]:
        province = state.province(code)
        if province is None:
            raise HTTPException(404, "Not Found")
        client_id, secret = basic_credentials(request.headers.get("authorization"))
        if client_id is None or not known_client(province.auth.get("clients"), client_id, secret):
            raise BatchError(
                401,
                AUTH_FAILED,
                "认证失败",
                headers={"WWW-Authenticate": f'Basic realm="{province.code}"'},
            )
        return province, client_id

    def ticket(province: Province, reference: str) -> Case:
        try:
            return state.engine.get(province.code, reference)
        except CaseNotFound as exc:
            raise BatchError(404, TICKET_NOT_FOUND, f"ticket不存在：{reference}") from exc

    def not_allowed(exc: NotAllowed, operation: str) -> BatchError:
        status, name = STATUS[exc.case.status]
        return BatchError(409, NOT_ALLOWED, f"ticket状态（{status} {name}）不允许{operation}")

    @router.get("/health")
    async def health(province: str, request: Request) -> dict[str, str]:
        client_of(province, request)
        return {"status": "ok"}

    @router.post("/batches", status_code=202)
    async def batches(province: str, request: Request) -> dict[str, Any]:
        prov, client = client_of(province, request)
        body = await _json(request)
        if not isinstance(body, dict):
            raise invalid("body", "应为JSON对象")
        batch_no = _text(body, "batchNo", "")
        items = body.get("items")
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
            raise invalid("items", f"应为1至{MAX_ITEMS}项的列表")
        for n, entry in enumerate(items):
            if not isinstance(entry, dict):
                raise invalid(f"items[{n}]", "应为对象")
            _text(entry, "serialNo", f"items[{n}].")
        accepted: list[dict[str, Any]] = []
        rejected: list[dict[str, Any]] = []
        for entry in items:
            serial = entry["serialNo"]
            try:
                accepted.append(submit(prov, client, entry))
            except BatchError as exc:
                rejected.append({"serialNo": serial, "code": exc.code, "message": exc.message})
        return {"batchNo": batch_no, "accepted": accepted, "rejected": rejected}

    def submit(province: Province, client: str, entry: dict[str, Any]) -> dict[str, Any]:
        code = entry.get("itemCode")
        if not isinstance(code, str) or not code:
            raise invalid("itemCode", "缺失")
        item = province.items.get(code)
        if item is None or item.kind.query:
            raise BatchError(422, ITEM_NOT_OPEN, f"事项未开通：{code}")
        payload = entry.get("payload")
        if not isinstance(payload, dict):
            raise invalid("payload", "缺失或不是对象")
        try:
            party = answers.submission_party(province, payload)
        except answers.Invalid as exc:
            raise invalid(exc.field(prefix="payload"), exc.problem) from exc
        related = entry.get("relatedRef")
        case, _ = state.engine.submit(
            province.code,
            serial=entry["serialNo"],
            item=item,
            party=party,
            data=payload,
            sender=client,
            related_ref=related if isinstance(related, str) and related else None,
        )
        return {
            "serialNo": case.serial,
            "ticket": case.reference,
            "status": status_code(case.status),
        }

    @router.get("/tickets/{reference}")
    async def poll(province: str, reference: str, request: Request) -> dict[str, Any]:
        prov, _ = client_of(province, request)
        return ticket_document(prov, ticket(prov, reference))

    @router.post("/tickets/{reference}/supplement")
    async def supplement(province: str, reference: str, request: Request) -> dict[str, Any]:
        prov, _ = client_of(province, request)
        body = await _json(request)
        payload = body.get("payload") if isinstance(body, dict) else None
        if not isinstance(payload, dict):
            raise invalid("payload", "缺失或不是对象")
        try:
            answers.check_spelling(prov, payload)
        except answers.Invalid as exc:
            raise invalid(exc.field(prefix="payload"), exc.problem) from exc
        ticket(prov, reference)
        try:
            case = state.engine.supplement(prov.code, reference, payload)
        except NotAllowed as exc:
            raise not_allowed(exc, "补正") from exc
        return ticket_document(prov, case)

    @router.post("/tickets/{reference}/withdraw")
    async def withdraw(province: str, reference: str, request: Request) -> dict[str, Any]:
        prov, _ = client_of(province, request)
        ticket(prov, reference)
        try:
            case = state.engine.withdraw(prov.code, reference)
        except NotAllowed as exc:
            raise not_allowed(exc, "撤回") from exc
        return ticket_document(prov, case)

    @router.put("/subscription")
    async def subscribe(province: str, request: Request) -> dict[str, Any]:
        prov, client = client_of(province, request)
        body = await _json(request)
        url = body.get("callbackUrl") if isinstance(body, dict) else None
        if (
            not isinstance(url, str)
            or not url.startswith(("http://", "https://"))
            or len(url) > MAX_URL
        ):
            raise invalid("callbackUrl", "应为http(s)地址")
        worker.subscribe(prov.code, client, url)
        return {"callbackUrl": url}

    @router.get("/subscription")
    async def subscription(province: str, request: Request) -> dict[str, Any]:
        prov, client = client_of(province, request)
        return {"callbackUrl": worker.subscription(prov.code, client)}

    @router.post("/lookups/{item_code}")
    async def lookup(province: str, item_code: str, request: Request) -> dict[str, Any]:
        prov, _ = client_of(province, request)
        item = prov.items.get(item_code)
        if item is None or not item.kind.query:
            raise BatchError(422, ITEM_NOT_OPEN, f"事项未开通：{item_code}")
        body = await _json(request)
        conditions = body.get("conditions") if isinstance(body, dict) else None
        if not isinstance(conditions, dict):
            raise invalid("conditions", "缺失或不是对象")
        try:
            data = answers.lookup(state, prov, item, conditions)
        except answers.Invalid as exc:
            raise invalid(exc.field(prefix="conditions"), exc.problem) from exc
        return {"data": data}

    return router
