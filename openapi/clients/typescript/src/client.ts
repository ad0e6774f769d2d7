/**
 * A thin typed client for the Tongban (通办) gateway, for mini-programs, web and Node.
 *
 * `schema.d.ts` is generated from `openapi/openapi.json` by openapi-typescript (`make client`);
 * requests go through openapi-fetch, so every path, parameter, body and answer is typed from
 * the gateway's own OpenAPI document. `Tongban` adds the API key, the language, one error type
 * (the gateway's RFC 9457 problem) and a few helpers; `raw` is the full openapi-fetch client
 * for anything else.
 *
 * Runtimes without the Fetch API (a WeChat mini-program's `wx.request`, for instance) pass
 * their own `fetch` and `Request` implementations in the options.
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";

import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };

export type Schemas = components["schemas"];
export type Problem = Schemas["ProblemDetails"];
export type ItemPage = Schemas["ItemPage"];
export type ItemSummary = Schemas["ItemSummary"];
export type ItemDetail = Schemas["ItemDetail"];
export type CaseView = Schemas["CaseView"];
export type SubmissionAccepted = Schemas["SubmissionAccepted"];
export type ProvinceList = Schemas["ProvinceList"];
export type ItemQuery = NonNullable<operations["list_items"]["parameters"]["query"]>;

/** `zh` (the gateway's default) or `en`: names, summaries and problem titles. */
export type Language = "zh" | "en";

/** Codes of the application items: `submit()` takes one of these, with its own body type. */
export type ApplicationCode = keyof paths extends infer P
  ? P extends `/v1/items/${infer C}/applications`
    ? C
    : never
  : never;

/** Codes of the query items: `query()` takes one of these, with its own body type. */
export type QueryCode = keyof paths extends infer P
  ? P extends `/v1/items/${infer C}/queries`
    ? C
    : never
  : never;

type Post<P> = P extends keyof paths ? (paths[P] extends { post: infer O } ? O : never) : never;
type JsonBody<O> = O extends { requestBody: { content: { "application/json": infer B } } }
  ? B
  : never;
type JsonAnswer<O, S extends number> = O extends {
  responses: { [K in S]: { content: { "application/json": infer A } } };
}
  ? A
  : never;

/** The envelope an application item takes: `{ mode, data }` typed for that item. */
export type ApplicationBody<C extends ApplicationCode> = JsonBody<Post<`/v1/items/${C}/applications`>>;
/** The request a query item takes. */
export type QueryBody<C extends QueryCode> = JsonBody<Post<`/v1/items/${C}/queries`>>;
/** A query item's answer: one entry per province asked. */
export type QueryAnswer<C extends QueryCode> = JsonAnswer<Post<`/v1/items/${C}/queries`>, 200>;

/** Case statuses after which nothing changes any more. */
export const TERMINAL_STATUSES: readonly string[] = ["completed", "rejected", "cancelled", "failed"];

/** A non-2xx answer: the HTTP status and the gateway's problem document (RFC 9457). */
export class TongbanError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined) {
    super(problem ? `${status} ${problem.title}: ${problem.detail}` : `HTTP ${status}`);
    this.name = "TongbanError";
    this.status = status;
    this.problem = problem;
  }
}

export interface TongbanOptions {
  /** The gateway, e.g. `https://tongban.example.gov.cn` (no trailing `/v1`). */
  baseUrl: string;
  /** The client's API key (`tbk_…`), sent as `Authorization: Bearer …`. */
  apiKey: string;
  /** Sent as `Accept-Language`; the gateway answers in Chinese when it is left out. */
  language?: Language;
  /** A Fetch API implementation, where the runtime has none (defaults to `globalThis.fetch`). */
  fetch?: ClientOptions["fetch"];
  /** A `Request` implementation to go with `fetch` (defaults to `globalThis.Request`). */
  Request?: ClientOptions["Request"];
}

export interface WaitOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /** Time between two polls (default 1 s). */
  intervalMs?: number;
  signal?: AbortSignal;
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

function unwrap<T>({ data, error, response }: Answer<T>): T {
  if (response.ok && data !== undefined) {
    return data;
  }
  const problem =
    typeof error === "object" && error !== null && "title" in error ? (error as Problem) : undefined;
  throw new TongbanError(response.status, problem);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// The per-item paths are literal types; helpers that take any item code call them through this
// loosened signature, and their own signatures keep the precise types.
type LoosePost = (
  path: string,
  init: { body: unknown; params?: { header?: Record<string, string> } },
) => Promise<Answer<unknown>>;

export class Tongban {
  /** The underlying openapi-fetch client: every operation of the gateway, typed. */
  readonly raw: Client<paths>;

  constructor(options: TongbanOptions) {
    const headers: Record<string, string> = { Authorization: `Bearer ${options.apiKey}` };
    if (options.language) {
      headers["Accept-Language"] = options.language;
    }
    this.raw = createClient<paths>({
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
      headers,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.Request ? { Request: options.Request } : {}),
    });
  }

  /** `GET /v1/items`: the catalogue, filtered and paged. */
  async listItems(query: ItemQuery = {}): Promise<ItemPage> {
    return unwrap(await this.raw.GET("/v1/items", { params: { query } }));
  }

  /** `GET /v1/items/{code}`: one item with its request and result JSON Schemas. */
  async getItem(code: string): Promise<ItemDetail> {
    return unwrap(await this.raw.GET("/v1/items/{code}", { params: { path: { code } } }));
  }

  /** `GET /v1/provinces`: the connected provinces. */
  async listProvinces(): Promise<ProvinceList> {
    return unwrap(await this.raw.GET("/v1/provinces"));
  }

  /** `POST /v1/items/{code}/applications`: submit an application; answers `202` with its id. */
  async submit<C extends ApplicationCode>(
    code: C,
    body: ApplicationBody<C>,
    options: { idempotencyKey?: string } = {},
  ): Promise<SubmissionAccepted> {
    const post = this.raw.POST as unknown as LoosePost;
    const header: Record<string, string> = options.idempotencyKey
      ? { "Idempotency-Key": options.idempotencyKey }
      : {};
    const answer = await post(`/v1/items/${code}/applications`, { body, params: { header } });
    return unwrap(answer) as SubmissionAccepted;
  }

  /** `POST /v1/items/{code}/queries`: ask every province the request names. */
  async query<C extends QueryCode>(code: C, body: QueryBody<C>): Promise<QueryAnswer<C>> {
    const post = this.raw.POST as unknown as LoosePost;
    return unwrap(await post(`/v1/items/${code}/queries`, { body })) as QueryAnswer<C>;
  }

  /** `GET /v1/applications/{case_id}`: the case, its legs, events and result. */
  async application(caseId: string): Promise<CaseView> {
    return unwrap(
      await this.raw.GET("/v1/applications/{case_id}", {
        params: { path: { case_id: caseId } },
      }),
    );
  }

  /** Poll a case until its status is terminal (completed, rejected, cancelled or failed). */
  async waitForTerminal(caseId: string, options: WaitOptions = {}): Promise<CaseView> {
    const { timeoutMs = 60_000, intervalMs = 1_000, signal } = options;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.application(caseId);
      if (TERMINAL_STATUSES.includes(view.status)) {
        return view;
      }
      if (Date.now() + intervalMs > deadline) {
        throw new Error(`case ${caseId} still ${view.status} after ${timeoutMs} ms`);
      }
      await sleep(intervalMs, signal);
    }
  }
}

/** `new Tongban(options)`, for those who prefer a function. */
export function createTongban(options: TongbanOptions): Tongban {
  return new Tongban(options);
}
