import { describe, expect, it } from "vitest";
import { openSessions } from "./http-load.js";

describe("openSessions", () => {
  it("retries a session that failed to open, reporting every failed attempt", async () => {
    const failures: string[] = [];
    let tries = 0;
    const sessions = await openSessions(
      3,
      async (index) => {
        tries += 1;
        if (index === 1 && tries <= 3) throw new Error("notifications/initialized answered 404");
        return `session ${index}`;
      },
      () => {},
      { openAttempts: 3, onOpenFailure: (error) => failures.push(String(error)) },
    );
    expect(sessions).toEqual(["session 0", "session 1", "session 2"]);
    expect(failures).toEqual(["Error: notifications/initialized answered 404"]);
  });

  it("closes the sessions that opened when one never does, and says how many failed", async () => {
    const closed: number[] = [];
    const opening = openSessions(
      4,
      async (index) => {
        if (index === 2) throw new Error("initialize answered 503");
        return index;
      },
      (session) => closed.push(session),
      { openAttempts: 2, onOpenFailure: () => {} },
    );
    await expect(opening).rejects.toThrow("1 of 4 sessions did not open");
    expect(closed.sort()).toEqual([0, 1, 3]);
  });
});
