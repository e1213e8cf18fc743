import { describe, expect, it } from "vitest";
import type { ResidentMemory } from "./load/process-memory.js";
import { evaluateStartupTargets, type IdleEntry, MB, type SpawnEntry } from "./results-startup.js";

const spawned = (id: SpawnEntry["id"], ours: number[], bare: number[] = []): SpawnEntry => ({
  id,
  title: id,
  first: id === "spawn-discover" ? "server/discover" : "initialize",
  runs: bare.length > 0 ? { ours, bare } : { ours },
});
const resident = (rssMb: number): ResidentMemory => ({ rss: rssMb * MB, peakRss: 2 * rssMb * MB });
const idle = (id: IdleEntry["id"], rssMb: number, bareMb?: number): IdleEntry => ({
  id,
  title: id,
  results:
    bareMb === undefined ? { ours: resident(rssMb) } : { ours: resident(rssMb), bare: resident(bareMb) },
});
const verdicts = (spawn: SpawnEntry[], idleEntries: IdleEntry[] = []) =>
  evaluateStartupTargets(spawn, idleEntries).map(({ row, figure, value, pass }) => ({
    row,
    figure,
    value,
    pass,
  }));

describe("evaluateStartupTargets", () => {
  it("holds spawn → initialize to 1.5× SDK v1's, median against median, for each data folder", () => {
    expect(
      verdicts([
        spawned("spawn-existing", [450, 465, 9_000], [300, 310, 320]),
        spawned("spawn-new", [5_500, 5_400, 5_600], [330, 300, 360]),
        spawned("spawn-memory", [620], [310]),
      ]),
    ).toEqual([
      { row: "spawn-existing", figure: "first answer", value: 1.5, pass: true },
      { row: "spawn-new", figure: "first answer", value: 5_500 / 330, pass: false },
      { row: "spawn-memory", figure: "first answer", value: 2, pass: false },
    ]);
  });

  it("judges no start without SDK v1 beside it, and not server/discover, which SDK v1 cannot answer", () => {
    expect(verdicts([spawned("spawn-memory", [400]), spawned("spawn-discover", [400], [300])])).toEqual([]);
  });

  it("holds the idle stdio server to 200 MB and the launcher to 300 MB, on the resident set, not its peak", () => {
    expect(verdicts([], [idle("idle-stdio", 199.5, 40), idle("idle-launcher", 300)])).toEqual([
      { row: "idle-stdio", figure: "rss", value: 199.5, pass: true },
      { row: "idle-launcher", figure: "rss", value: 300, pass: true },
    ]);
    expect(verdicts([], [idle("idle-stdio", 346), idle("idle-launcher", 815)])).toMatchObject([
      { value: 346, pass: false },
      { value: 815, pass: false },
    ]);
  });

  it("leaves the launcher on PostgreSQL unjudged, and a row that did not run", () => {
    const skipped: IdleEntry = { id: "idle-launcher", title: "", results: {}, skipped: "no /proc" };
    expect(verdicts([], [idle("idle-launcher-pg", 100), skipped])).toEqual([]);
  });
});
