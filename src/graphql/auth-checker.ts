import { type AuthChecker } from "type-graphql";
import { type Viewer } from "../domain/viewer.js";
import { type Context } from "./context.js";
import { ForbiddenError, UnauthenticatedError } from "./errors.js";

/** `@Authorized()` needs a signed-in viewer; `@Authorized("admin")` needs that role. */
export const authChecker: AuthChecker<Context> = ({ context }, roles) => {
  if (!context.viewer) throw new UnauthenticatedError();
  if (roles.length > 0 && !roles.includes(context.viewer.role)) {
    throw new ForbiddenError(`This needs the ${roles.join(" or ")} role.`);
  }
  return true;
};

/** The viewer of an operation that `@Authorized()` has let through (this narrows the type). */
export function viewerOf(ctx: Context): Viewer {
  if (!ctx.viewer) throw new UnauthenticatedError();
  return ctx.viewer;
}
