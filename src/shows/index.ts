export { ShowResolver } from "./show.resolver.js";
export { ShowService, type ShowRecord } from "./show.service.js";
export { Show } from "./show.type.js";
export { createShowLoaders, type ShowLoaders } from "./show.loaders.js";
export { ShowAdminService } from "./show-admin.service.js";
export { ShowCancelStore } from "./show-cancel.store.js";
export { SHOW_CHANGED, ShowChanges, type ShowEventMap } from "./show-changes.js";
