/**
 * The part of from-src.ts that globalSetup uses. globalSetup is loaded outside jest's module mapper, so only src
 * modules without relative `./x.js` imports (see jest.config.js) load there; keep this file to those.
 */
export { startEmbeddedPostgres } from "../../src/db/embedded";
