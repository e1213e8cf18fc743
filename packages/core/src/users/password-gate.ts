import { burnPasswordCheck, verifyPassword } from "./password.js";

/** Checks a password against a stored hash, or spends the same time on none (`stored` undefined). */
export type PasswordCheck = (password: string, stored: string | undefined) => Promise<boolean>;

export interface PasswordGateOptions {
  /** Hashes computed at once; each scrypt holds 32 MiB and a thread of libuv's pool. */
  concurrency: number;
  /** Checks that may wait for a turn; past them, `admit` refuses at once. */
  queue: number;
  /** The check itself; a seam for tests that count hashes. */
  check?: PasswordCheck;
}

/** A place in line for one password check. */
export interface PasswordTurn {
  /** Waits for a turn, runs the check, and frees the place. */
  check(password: string, stored: string | undefined): Promise<boolean>;
  /** Frees the place without checking (the sign-in was refused before it got there). */
  cancel(): void;
}

/** Bounds the password hashing of one process: a burst of sign-ins cannot take every core and 32 MiB each. */
export interface PasswordGate {
  /** A place in line, or undefined when the line is full: answer "busy" without any work. */
  admit(): PasswordTurn | undefined;
  /** An ungated check, for flows that are already bounded (first start, setup). */
  check: PasswordCheck;
}

const defaultCheck: PasswordCheck = (password, stored) =>
  stored === undefined ? burnPasswordCheck(password).then(() => false) : verifyPassword(password, stored);

/** Created once per process (the admin app) and shared by every sign-in and password change. */
export function createPasswordGate({
  concurrency,
  queue,
  check = defaultCheck,
}: PasswordGateOptions): PasswordGate {
  let admitted = 0;
  let running = 0;
  const waiting: Array<() => void> = [];

  const release = () => {
    admitted -= 1;
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  // A released turn passes straight to the next waiter, so `running` never exceeds `concurrency`.
  const turn = (): Promise<void> => {
    if (running < concurrency) {
      running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };

  return {
    check,
    admit() {
      if (admitted >= concurrency + queue) return undefined;
      admitted += 1;
      let done = false;
      const finish = () => {
        if (done) return false;
        done = true;
        return true;
      };
      return {
        async check(password, stored) {
          if (done) throw new Error("This turn is used");
          await turn();
          try {
            return await check(password, stored);
          } finally {
            if (finish()) release();
          }
        },
        cancel() {
          if (finish()) admitted -= 1;
        },
      };
    },
  };
}
