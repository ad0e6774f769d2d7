/**
 * Against a running gateway: TONGBAN_URL (e.g. http://127.0.0.1:8000) and TONGBAN_API_KEY.
 * Run by tests/integration/test_typescript_client.py, or by hand after `npm run build`:
 *
 *     TONGBAN_URL=http://127.0.0.1:8000 TONGBAN_API_KEY=tbk_… npm test
 */
import assert from "node:assert/strict";
import { test } from "node:test";

import { type ApplicationBody, Tongban, TongbanError } from "../src/client.js";

const baseUrl = process.env.TONGBAN_URL;
const apiKey = process.env.TONGBAN_API_KEY;
const skip = !baseUrl || !apiKey ? "TONGBAN_URL and TONGBAN_API_KEY are not set" : false;

function client(language?: "zh" | "en"): Tongban {
  return new Tongban({ baseUrl: baseUrl ?? "", apiKey: apiKey ?? "", ...(language ? { language } : {}) });
}

const registration: ApplicationBody<"unemployment-registration"> = {
  mode: "online",
  data: {
    applicant: { id_number: "11010519491231002X", name: "张三", phone: "13800138000" },
    competent_province: "440000",
    last_employer: "广州市某某科技有限公司",
    last_employer_credit_code: "91110000600037341L",
    reason: "contract-ended",
    residence_address: "广东省广州市天河区体育西路1号",
    seeking_work: true,
    unemployment_date: "2024-03-01",
  },
};

test("submits an application and follows it to a terminal status", { skip }, async () => {
  const tongban = client();
  const accepted = await tongban.submit("unemployment-registration", registration, {
    idempotencyKey: `ts-client-${Date.now()}`,
  });
  assert.equal(accepted.item, "unemployment-registration");
  assert.equal(accepted.location, `/v1/applications/${accepted.id}`);

  const done = await tongban.waitForTerminal(accepted.id, { timeoutMs: 30_000, intervalMs: 100 });
  assert.equal(done.status, "completed");
  assert.equal(done.item, "unemployment-registration");
  assert.ok(done.legs.length >= 1);
  assert.ok(done.legs.every((leg) => leg.province === "440000"));
});

test("lists items, in the language asked for", { skip }, async () => {
  const zh = await client().listItems({ kind: "application", limit: 200 });
  assert.ok(zh.total > 0 && zh.items.length === Math.min(zh.total, 200));
  const item = zh.items.find((i) => i.code === "unemployment-registration");
  assert.ok(item, "unemployment-registration is listed");
  assert.equal(item.name, item.name_zh);

  const en = await client("en").getItem("unemployment-registration");
  assert.equal(en.name, en.name_en);
  assert.equal(en.operation_id, "submit_unemployment_registration");
  assert.equal(typeof en.request_schema, "object");
});

test("answers problems as TongbanError", { skip }, async () => {
  await assert.rejects(client("en").getItem("no-such-item"), (error: unknown) => {
    assert.ok(error instanceof TongbanError);
    assert.equal(error.status, 404);
    assert.equal(error.problem?.title, "Item not found");
    return true;
  });
  const stranger = new Tongban({ baseUrl: baseUrl ?? "", apiKey: "tbk_not-a-key" });
  await assert.rejects(stranger.listItems(), (error: unknown) => {
    assert.ok(error instanceof TongbanError);
    assert.equal(error.status, 401);
    return true;
  });
});
