export { ShowResolver } from "./show.resolver.js";
export { ShowService, type ShowRecord } from "./show.service.js";
export { Show } from "./show.type.js";
export { createShowLoaders, type ShowLoaders } from "./show.loaders.js";
