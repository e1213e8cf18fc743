import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type {
  LoggingLevel,
  ProgressToken,
  ServerNotification,
  ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import { AppError } from "../errors.js";
import { CAPABILITY_OF, type InputRequests, type InputResponses, RESULT_SCHEMA_OF } from "./input.js";
import type { ClientChannel } from "./tool-context.js";

/**
 * What a call may send its client in a session (the 2025 eras): progress if the request carried a
 * token, log messages once the client has set a level, and questions.
 */
export function sessionChannel(
  server: Server,
  related: ReturnType<typeof inOrder>,
  {
    progressToken,
    logLevel,
    sendRequest,
  }: {
    progressToken: ProgressToken | undefined;
    logLevel: LoggingLevel | undefined;
    sendRequest: (request: ServerRequest, schema: z.ZodType) => Promise<unknown>;
  },
): ClientChannel {
  return {
    progress:
      progressToken === undefined
        ? undefined
        : (progress) =>
            related.send({ method: "notifications/progress", params: { progressToken, ...progress } }),
    log:
      logLevel === undefined
        ? undefined
        : {
            minimum: logLevel,
            send: (message) => related.send({ method: "notifications/message", params: message }),
          },
    ask: (requests) => askInSession(server, requests, sendRequest),
  };
}

/**
 * Asks the client in its session (the 2025 eras): each request is sent to it, related to the call
 * (a tool's, or a prompt's), at once; the answers come back by key. A client that declared no
 * support for a kind is not asked.
 */
export async function askInSession(
  server: Server,
  requests: InputRequests,
  send: (request: ServerRequest, schema: z.ZodType) => Promise<unknown>,
): Promise<InputResponses> {
  const capabilities = server.getClientCapabilities() ?? {};
  const asked = Object.entries(requests).map(async ([key, request]) => {
    const needed = CAPABILITY_OF[request.method];
    if (!capabilities[needed])
      throw new AppError("INVALID", `This client does not accept ${request.method} requests`);
    return [key, await send(request as ServerRequest, RESULT_SCHEMA_OF[request.method])] as const;
  });
  return Object.fromEntries(await Promise.all(asked));
}

/**
 * Notifications about one request, on the request's own stream (the SDK relates them to it). The
 * SDK's send is asynchronous: the response waits for `sent`, or it could overtake the last of them,
 * which the client would then drop. One that cannot be sent is not the call's failure.
 */
export function inOrder(send: (notification: ServerNotification) => Promise<void>) {
  let sending = Promise.resolve();
  return {
    send(notification: ServerNotification) {
      const sent = send(notification);
      sending = sending.then(() => sent.catch(() => {}));
    },
    sent: () => sending,
  };
}
