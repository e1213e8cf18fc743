/** A note's resource URI (see resources/notes.ts). */
export const noteUri = (id: string): string => `notes://${id}`;

/** The URI of the notes with a tag (see resources/note-tags.ts). */
export const taggedUri = (tag: string): string => `notes://tagged/${encodeURIComponent(tag)}`;

/**
 * What a change to a note touches, for subscribers: the note itself, and the list of every tag it
 * had or has (a list shows each note's title and date, so any change changes it).
 */
export function noteChangeUris(id: string, ...tagLists: ReadonlyArray<readonly string[]>): string[] {
  const tags = new Set(tagLists.flat());
  return [noteUri(id), ...[...tags].map(taggedUri)];
}
