import type { AdminSession } from "@mcp-tools/core";
import type { DocumentSource, PreviewedOperation } from "@mcp-tools/core/catalog";
import { CsrfField, Layout, Message } from "./layout.js";

export interface ImportPageProps {
  session: AdminSession;
  source?: DocumentSource | undefined;
  /** The document's operations, once it was read. */
  operations?: PreviewedOperation[] | undefined;
  error?: string | undefined;
}

/**
 * OpenAPI import in two steps without script: read a document (upload, paste or URL) and list the
 * tools its operations become; then propose the chosen ones, each pending until approved.
 */
export function ImportPage({ session, source, operations, error }: ImportPageProps) {
  return (
    <Layout title="Import from OpenAPI" session={session} current="/tools">
      <p>
        <a href="/tools">← All tools</a>
      </p>
      <h1>Import from OpenAPI</h1>
      <Message error={error} />
      {operations ? (
        <ChooseOperations session={session} source={source ?? {}} operations={operations} />
      ) : (
        <ReadDocument session={session} source={source ?? {}} />
      )}
    </Layout>
  );
}

function ReadDocument({ session, source }: { session: AdminSession; source: DocumentSource }) {
  return (
    <form
      class="stack panel"
      method="post"
      action="/tools/import-openapi/preview"
      enctype="multipart/form-data"
    >
      <CsrfField session={session} />
      <p class="muted">An OpenAPI 3.0 or 3.1 document, JSON or YAML. Give one of the three.</p>
      <label>
        Upload a file
        <input name="file" type="file" accept=".json,.yaml,.yml,application/json,application/yaml" />
      </label>
      <label>
        or paste it
        <textarea name="document" rows={10} class="code" spellcheck={false}>
          {source.document ?? ""}
        </textarea>
      </label>
      <label>
        or give its URL (fetched from this server; private addresses only if EGRESS_ALLOW names them)
        <input
          name="url"
          type="url"
          value={source.url ?? ""}
          placeholder="https://api.example.com/openapi.json"
        />
      </label>
      <button type="submit">Read the document</button>
    </form>
  );
}

function ChooseOperations(props: {
  session: AdminSession;
  source: DocumentSource;
  operations: PreviewedOperation[];
}) {
  const { session, source, operations } = props;
  const usable = operations.filter((operation) => operation.tool).length;
  return (
    <form class="stack" method="post" action="/tools/import-openapi">
      <CsrfField session={session} />
      {source.url !== undefined && <input type="hidden" name="url" value={source.url} />}
      {source.document !== undefined && (
        <textarea name="document" hidden>
          {source.document}
        </textarea>
      )}
      <p class="muted">
        {operations.length} operations, {usable} of which can become tools. Choose which; each is saved as a
        pending version for an admin to approve.
      </p>
      <table class="operations">
        <thead>
          <tr>
            <th />
            <th>Tool</th>
            <th>Operation</th>
            <th>Notes</th>
          </tr>
        </thead>
        <tbody>
          {operations.map((operation) => (
            <OperationRow operation={operation} />
          ))}
        </tbody>
      </table>
      <div class="actions">
        <button type="submit">Import the chosen operations</button>
        <button class="secondary" type="submit" name="all" value="1">
          Import all {usable}
        </button>
        <a class="button secondary" href="/tools/import-openapi">
          Another document
        </a>
      </div>
    </form>
  );
}

function OperationRow({ operation }: { operation: PreviewedOperation }) {
  const { tool } = operation;
  const notes = [
    ...operation.problems,
    ...operation.secrets.map((name) => `sends the secret ${name}`),
    ...operation.portability.map((issue) => `${issue.path || "/"}: ${issue.problem}`),
  ];
  return (
    <tr>
      <td>
        <input
          type="checkbox"
          name="operations"
          value={operation.id}
          disabled={!tool}
          aria-label={`Import ${operation.id}`}
        />
      </td>
      <td>
        {tool ? <strong>{tool.name}</strong> : <span class="muted">cannot become a tool</span>}
        <div class="muted small">{tool?.description.slice(0, 200) ?? operation.summary ?? ""}</div>
      </td>
      <td>
        <code>{`${operation.method} ${operation.path}`}</code>
        <div class="muted small">{operation.id}</div>
      </td>
      <td class={tool ? "muted small" : "bad small"}>{notes.join(" · ")}</td>
    </tr>
  );
}
