/** A note's resource URI (see resources/notes.ts). */
export const noteUri = (id: string): string => `notes://${id}`;
