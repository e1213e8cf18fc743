import type { AdminSession } from "@mcp-tools/core";
import { CsrfField, Layout, Message } from "./layout.js";

export interface DefinitionPageProps {
  session: AdminSession;
  /** The tool being changed; none for a new one. */
  name?: string | undefined;
  /** The definition as JSON text, as last written. */
  definition: string;
  error?: string | undefined;
}

/** What a new HTTP tool starts from: every part of a definition, filled in as an example. */
export const EXAMPLE_DEFINITION = {
  name: "ticket_get",
  title: "Get a ticket",
  description: "Reads one ticket from the ticketing service by its number.",
  inputSchema: {
    type: "object",
    properties: { number: { type: "integer", description: "The ticket's number" } },
    required: ["number"],
  },
  outputSchema: { type: "object", properties: { title: { type: "string" }, state: { type: "string" } } },
  annotations: { readOnlyHint: true, openWorldHint: true },
  request: {
    method: "GET",
    url: "https://tickets.example.com/api/tickets/{number}",
    query: {},
    headers: { authorization: "Bearer {secret:TICKETS_TOKEN}" },
  },
  response: { pick: "/ticket" },
  timeoutMs: 10_000,
  maxResponseBytes: 1_048_576,
  retries: 1,
};

/** A new HTTP tool, or a change to one, as its JSON definition; saved as a pending version. */
export function DefinitionPage({ session, name, definition, error }: DefinitionPageProps) {
  const title = name ? `Edit ${name}` : "New HTTP tool";
  const action = name ? `/tools/${encodeURIComponent(name)}/definition` : "/tools/add-http";
  return (
    <Layout title={title} session={session} current="/tools">
      <p>
        <a href={name ? `/tools/${encodeURIComponent(name)}` : "/tools"}>← Back</a>
      </p>
      <h1>{title}</h1>
      <p class="muted">
        Saving makes a pending version: clients keep what was approved until an admin approves this one.
      </p>
      <Message error={error} />
      <form class="stack panel" method="post" action={action}>
        <CsrfField session={session} />
        <label>
          Definition (JSON)
          <textarea name="definition" rows={28} class="code" spellcheck={false}>
            {definition}
          </textarea>
        </label>
        <button type="submit">Save for approval</button>
      </form>
      <details>
        <summary>What each field means</summary>
        <dl class="facts">
          <dt>name, title, description</dt>
          <dd>What clients and their models see; the name is lower-case letters, digits and _.</dd>
          <dt>inputSchema, outputSchema</dt>
          <dd>
            JSON Schema 2020-12; the input is an object. The result's structured content follows the output
            schema.
          </dd>
          <dt>request.url, query, body</dt>
          <dd>
            <code>{"{argument}"}</code> takes an input property, percent-encoded where it lands; a body string
            that is exactly <code>{"{argument}"}</code> becomes the value itself.
          </dd>
          <dt>request.headers</dt>
          <dd>
            <code>{"{secret:NAME}"}</code> takes a secret by name (see Secrets); its value never leaves the
            server.
          </dd>
          <dt>response.pick</dt>
          <dd>A JSON Pointer into the answer, taken as the result instead of all of it.</dd>
          <dt>timeoutMs, maxResponseBytes, retries</dt>
          <dd>Bounds of one call; retries only for GET, HEAD, PUT and DELETE.</dd>
        </dl>
      </details>
    </Layout>
  );
}
