import { AppError, browseNotes, createDatabase } from "@mcp-tools/core";
import { captureLog } from "@mcp-tools/core/testing";
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

  it("logs a failed query without its parameters, naming what failed", async () => {
    const secret = "sk-live-4f9a8b7c6d5e";
    // No migrations: the search fails on the missing table, with the secret among its parameters.
    const database = await createDatabase({
      DATABASE_URL: undefined,
      DATABASE_POOL_MAX: 1,
      DATA_DIR: "memory://",
    });
    try {
      const error = await browseNotes({ db: database }, { q: secret }).catch((e: unknown) => e);
      const { log, text } = captureLog();
      const res = await appThrowing(error, { log }).request("/");
      expect(res.status).toBe(500);
      expect(text()).not.toContain(secret);
      expect(text()).toMatch(/relation \\"notes\\" does not exist/);
      expect(JSON.parse(text()).err.code).toBe("42P01");
    } finally {
      await database.close();
    }
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
