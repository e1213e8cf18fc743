import { AppError } from "@mcp-tools/core";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it, vi } from "vitest";
import { errorHandler, notFoundHandler } from "./on-error.js";

function appThrowing(error: unknown, options: Parameters<typeof errorHandler>[0] = {}) {
  const app = new Hono();
  app.onError(errorHandler(options));
  app.notFound(notFoundHandler(options));
  app.get("/", () => {
    throw error;
  });
  return app;
}

describe("errorHandler", () => {
  it.each([
    ["NOT_FOUND", 404],
    ["INVALID", 400],
    ["CONFLICT", 409],
    ["FORBIDDEN", 403],
    ["RATE_LIMITED", 429],
    ["UNAVAILABLE", 503],
    ["TIMEOUT", 504],
  ] as const)("maps AppError %s to %i with a JSON body", async (code, status) => {
    const res = await appThrowing(new AppError(code, "what happened")).request("/");
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error: { code, message: "what happened" } });
  });

  it("includes details when the error has them", async () => {
    const res = await appThrowing(new AppError("INVALID", "bad", { details: { field: "name" } })).request(
      "/",
    );
    expect(await res.json()).toEqual({
      error: { code: "INVALID", message: "bad", details: { field: "name" } },
    });
  });

  it("keeps the status of an HTTPException", async () => {
    const res = await appThrowing(new HTTPException(413, { message: "too big" })).request("/");
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: "INVALID", message: "too big" } });
  });

  it("hides an unexpected error behind a 500 and logs it", async () => {
    const log = { error: vi.fn() };
    const error = new Error("password=hunter2 at 10.0.0.7");
    const res = await appThrowing(error, { log }).request("/");
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain("hunter2");
    expect(log.error).toHaveBeenCalledWith({ err: error }, "request failed");
  });

  it("lets the caller shape the body", async () => {
    const res = await appThrowing(new AppError("FORBIDDEN", "no"), {
      body: ({ message }) => ({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }),
    }).request("/");
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ jsonrpc: "2.0", error: { code: -32000, message: "no" }, id: null });
  });
});

describe("notFoundHandler", () => {
  it("answers unknown routes with a JSON 404", async () => {
    const res = await appThrowing(new Error()).request("/nowhere", { method: "POST" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: "Not found: POST /nowhere" } });
  });
});
