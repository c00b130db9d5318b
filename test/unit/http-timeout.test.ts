import { HumanMessage } from "@langchain/core/messages";
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChatModel } from "../../src/models/factory.js";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server.js";

/**
 * Node's fetch gives up on response headers after its dispatcher's headersTimeout
 * (300 s by default), whatever the client's timeout: a slow model was asked twice.
 * Here the default is lowered to 1 s and the server answers after 2.5 s: a client
 * whose dispatcher follows --timeout (10 s) asks once.
 */
describe("a reply slower than the HTTP default header timeout", () => {
  let server: ScriptedServer;
  const original = getGlobalDispatcher();
  beforeAll(async () => {
    setGlobalDispatcher(new Agent({ headersTimeout: 1000, bodyTimeout: 1000 }));
    server = await startScriptedServer([{ name: "slow", match: () => true, reply: "the answer" }], {
      beforeReply: async () => {
        await new Promise((resolve) => setTimeout(resolve, 2500));
        return "answer" as const;
      },
    });
  });
  afterAll(async () => {
    setGlobalDispatcher(original);
    await server.close();
  });

  it("is waited for as long as --timeout says, and asked once", async () => {
    const model = createChatModel({ model: "compat:m", baseUrl: server.baseUrl, timeoutSeconds: 10, maxRetries: 2 }, {});
    const reply = await model.chat.invoke([new HumanMessage("hello")]);
    expect(reply.content).toBe("the answer");
    expect(server.requests).toHaveLength(1);
  }, 20_000);

  it("(control) Node's own fetch under that default gives up before the reply", async () => {
    const before = server.requests.length;
    await expect(
      fetch(`${server.baseUrl}/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
      }),
    ).rejects.toThrow();
    expect(server.requests.length).toBe(before + 1);
  }, 20_000);
});
