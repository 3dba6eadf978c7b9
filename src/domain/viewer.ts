export type Role = "admin" | "user";

export const ROLES: readonly Role[] = ["admin", "user"];

/** Who is making a request, from a verified token. */
export interface Viewer {
  readonly id: string;
  readonly role: Role;
}
