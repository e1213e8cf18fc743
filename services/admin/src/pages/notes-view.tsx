import type { AdminSession, Note, NoteListItem } from "@mcp-tools/core";
import { formatTime } from "./dashboard-format.js";
import { Layout, Message } from "./layout.js";
import { canChange } from "./sessions-view.js";

export interface NotesPageProps {
  session: AdminSession;
  notes: NoteListItem[];
  q?: string | undefined;
  tag?: string | undefined;
  nextCursor?: string | null | undefined;
  notice?: string | undefined;
  error?: string | undefined;
}

/** Browse (newest first) or search the shared notes, a page at a time. */
export function NotesPage({ session, notes, q, tag, nextCursor, notice, error }: NotesPageProps) {
  const searching = Boolean(q?.trim());
  return (
    <Layout title="Notes" session={session} current="/notes">
      <h1>Notes</h1>
      <Message error={error} notice={notice} />
      <form class="inline panel search" method="get" action="/notes">
        <label>
          Search
          <input
            name="q"
            type="search"
            value={q}
            placeholder='words, "a phrase", -excluded'
            maxlength={1000}
          />
        </label>
        <label>
          Tag
          <input name="tag" value={tag} maxlength={64} />
        </label>
        <button type="submit">Search</button>
        {(searching || tag) && (
          <a class="button secondary" href="/notes">
            Clear
          </a>
        )}
      </form>
      {notes.length === 0 ? (
        <p class="panel muted">{emptyText(searching, tag)}</p>
      ) : (
        <ul class="notes">
          {notes.map((note) => (
            <li class="panel">
              <a class="title" href={`/notes/${note.id}`}>
                {note.title}
              </a>
              <div class="muted">
                <Tags tags={note.tags} /> · created {formatTime(note.createdAt)}
              </div>
              <p class="excerpt">{searching ? <Highlighted text={note.excerpt} /> : note.excerpt}</p>
            </li>
          ))}
        </ul>
      )}
      {nextCursor && (
        <p>
          <a class="button secondary" href={`/notes?${pageQuery(q, tag, nextCursor)}`}>
            Next page
          </a>
        </p>
      )}
    </Layout>
  );
}

export interface NotePageProps {
  session: AdminSession;
  note: Note;
}

/** One whole note, its body as plain text. */
export function NotePage({ session, note }: NotePageProps) {
  return (
    <Layout title={note.title} session={session} current="/notes">
      <p>
        <a href="/notes">← All notes</a>
      </p>
      <h1>{note.title}</h1>
      <p class="muted">
        <Tags tags={note.tags} /> · created {formatTime(note.createdAt)} · updated{" "}
        {formatTime(note.updatedAt)}
      </p>
      <pre class="note-body panel">{note.body}</pre>
      {canChange(session) && (
        <p>
          <a class="button secondary" href={`/notes/${note.id}/delete`}>
            Delete note
          </a>
        </p>
      )}
    </Layout>
  );
}

function Tags({ tags }: { tags: string[] }) {
  if (tags.length === 0) return <span>no tags</span>;
  return (
    <>
      {tags.map((tag) => (
        <a class="tag" href={`/notes?${new URLSearchParams({ tag })}`}>
          {tag}
        </a>
      ))}
    </>
  );
}

// Search snippets mark matches as **word**; split on the markers and let JSX escape each piece,
// so a note's own HTML stays text.
function Highlighted({ text }: { text: string }) {
  return <>{text.split("**").map((part, index) => (index % 2 === 1 ? <mark>{part}</mark> : part))}</>;
}

function emptyText(searching: boolean, tag: string | undefined): string {
  if (searching) return "No notes match this search.";
  if (tag) return "No notes carry this tag.";
  return "No notes yet. Notes appear here when clients save them with the note_save tool.";
}

function pageQuery(q: string | undefined, tag: string | undefined, cursor: string): string {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (tag) params.set("tag", tag);
  params.set("cursor", cursor);
  return params.toString();
}
