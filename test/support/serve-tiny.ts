// Manual helper: serve the tiny fixture's scripted replies until killed (npx tsx test/support/serve-tiny.ts).
import { tinyRules } from "../fixtures/tiny-replies.js";
import { startScriptedServer } from "./scripted-server.js";

const server = await startScriptedServer(tinyRules());
console.log(server.baseUrl);
