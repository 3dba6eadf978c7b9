/** Text PostgreSQL can store (text and jsonb refuse the NUL character): each NUL becomes U+FFFD. */
export const storableText = (text: string): string => (text.includes("\0") ? text.replaceAll("\0", "\uFFFD") : text);
