export { AuditMiddleware, auditRootMutations } from "./audit.middleware.js";
export { AuditResolver } from "./audit.resolver.js";
export { AuditStore } from "./audit.store.js";
