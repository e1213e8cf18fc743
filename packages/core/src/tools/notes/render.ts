import type { Note, NoteSummary } from "./fields.js";

const tagList = (tags: string[]) => (tags.length > 0 ? tags.map((tag) => `#${tag}`).join(" ") : "(no tags)");

/** Title line and metadata of a note, for the text block beside structured results. */
export function renderHeader(note: NoteSummary): string {
  return `# ${note.title}\nid: ${note.id} · ${tagList(note.tags)} · created ${note.createdAt} · updated ${note.updatedAt}`;
}

/** A whole note as Markdown-ish text. */
export function renderNote(note: Note): string {
  return `${renderHeader(note)}\n\n${note.body}`;
}

export interface PageItem {
  summary: NoteSummary;
  /** Shown after the id, e.g. "rank 0.608". */
  detail: string;
  excerpt: string;
}

/** A numbered page of notes with one excerpt line each, and how to fetch the next page. */
export function renderPage(items: PageItem[], nextCursor: string | undefined, empty: string): string {
  if (items.length === 0 && nextCursor === undefined) return empty;
  const lines = items.map(({ summary, detail, excerpt }, index) => {
    const meta = [`id ${summary.id}`, detail, tagList(summary.tags)].join(", ");
    return `${index + 1}. ${summary.title} (${meta})\n   ${excerpt.replace(/\s+/g, " ").trim()}`;
  });
  const shown = items.length === 1 ? "1 note" : `${items.length} notes`;
  const footer =
    nextCursor === undefined
      ? `${shown}; no more.`
      : `${shown}; more follow: call again with cursor "${nextCursor}".`;
  return `${lines.join("\n")}\n\n${footer}`;
}
