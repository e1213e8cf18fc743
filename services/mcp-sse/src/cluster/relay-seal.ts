import { createHmac, timingSafeEqual } from "node:crypto";
import type { Frame } from "./relay-frames.js";

/** Why a frame was dropped unread. */
export type FrameRejection =
  | "unsigned"
  | "bad-signature"
  | "malformed"
  | "misaddressed"
  | "stale"
  | "replayed"
  | "not-the-owner";

export type OpenedFrame = { ok: true; from: string; frame: Frame } | { ok: false; reason: FrameRejection };

/**
 * Signs what this process publishes on the relay and checks what it receives, so that nobody who
 * can merely reach Redis speaks on it. A frame travels as `<mac>.<envelope>`: the envelope names
 * its sender, its receiver, when it was sent and the sender's sequence number; the mac is an
 * HMAC-SHA256 of the envelope under RELAY_SECRET. A receiver drops a frame that is unsigned or
 * forged, meant for another process, older than `maxAgeMs`, or not newer than the last one it
 * took from that sender (Redis delivers one publisher's messages in order, so a repeat is a replay).
 */
export interface RelaySeal {
  seal(to: string, frame: Frame): string;
  open(text: string): OpenedFrame;
}

export interface RelaySealOptions {
  secret: string;
  processId: string;
  /** How far a frame's send time may be from now; bounds both replays and clock skew. */
  maxAgeMs?: number;
  now?: () => number;
}

interface Envelope {
  /** Sender. */
  f: string;
  /** The sender's sequence number, across all its frames. */
  q: number;
  /** Receiver. */
  to: string;
  /** Sent at, ms since epoch. */
  ts: number;
  m: Frame;
}

const MAC_LENGTH = 43; // base64url of 32 bytes

export function createRelaySeal({
  secret,
  processId,
  maxAgeMs = 30_000,
  now = Date.now,
}: RelaySealOptions): RelaySeal {
  const mac = (text: string) => createHmac("sha256", secret).update(text).digest("base64url");
  // The last sequence number taken from each sender, with its send time: an entry older than
  // maxAgeMs is forgotten, since every frame it could stop is refused as stale anyway.
  const lastFrom = new Map<string, { q: number; ts: number }>();
  let sequence = 0;
  let sweptAt = now();

  function forgetOldSenders(at: number) {
    if (at - sweptAt < maxAgeMs) return;
    sweptAt = at;
    for (const [sender, last] of lastFrom) if (last.ts < at - maxAgeMs) lastFrom.delete(sender);
  }

  return {
    seal(to, frame) {
      const envelope: Envelope = { f: processId, q: sequence++, to, ts: now(), m: frame };
      const text = JSON.stringify(envelope);
      return `${mac(text)}.${text}`;
    },
    open(text) {
      if (text.charAt(MAC_LENGTH) !== ".") return { ok: false, reason: "unsigned" };
      const body = text.slice(MAC_LENGTH + 1);
      const given = Buffer.from(text.slice(0, MAC_LENGTH));
      if (given.length !== MAC_LENGTH || !timingSafeEqual(given, Buffer.from(mac(body))))
        return { ok: false, reason: "bad-signature" };
      const envelope = parseEnvelope(body);
      if (!envelope) return { ok: false, reason: "malformed" };
      if (envelope.to !== processId) return { ok: false, reason: "misaddressed" };
      const at = now();
      if (Math.abs(at - envelope.ts) > maxAgeMs) return { ok: false, reason: "stale" };
      forgetOldSenders(at);
      const last = lastFrom.get(envelope.f);
      if (last && envelope.q <= last.q) return { ok: false, reason: "replayed" };
      lastFrom.set(envelope.f, { q: envelope.q, ts: envelope.ts });
      return { ok: true, from: envelope.f, frame: envelope.m };
    },
  };
}

/** The envelope, when its fields have their types; the frame inside is as its signer sent it. */
function parseEnvelope(text: string): Envelope | undefined {
  let value: Partial<Envelope>;
  try {
    value = JSON.parse(text) as Partial<Envelope>;
  } catch {
    return undefined;
  }
  const { f, q, to, ts, m } = value;
  if (typeof f !== "string" || typeof to !== "string" || !Number.isSafeInteger(q) || !Number.isFinite(ts))
    return undefined;
  if (typeof m !== "object" || m === null || typeof m.t !== "string") return undefined;
  return value as Envelope;
}
