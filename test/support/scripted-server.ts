/**
 * A scripted OpenAI-compatible chat-completions server on 127.0.0.1 for tests.
 * Replies are chosen by request content (never by call order), so parallel
 * branches get the right reply. Usage fields are real token counts of the
 * request and reply, and every request is logged.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { countTokens } from "../../src/tokens.js";

export interface ChatMessage {
  role: string;
  content: string;
}

export interface ScriptedRequest {
  body: Record<string, unknown>;
  messages: ChatMessage[];
  /** The first user message: the agent's task. */
  task: string;
  /** True when the client is re-asking after an unusable reply. */
  isRepair: boolean;
}

export interface Rule {
  name: string;
  match: (req: ScriptedRequest) => boolean;
  reply: string | ((req: ScriptedRequest) => string);
  finishReason?: string;
}

export interface LoggedRequest {
  rule: string | null;
  status: number;
  promptTokens: number;
  completionTokens: number;
  task: string;
  isRepair: boolean;
  responseFormat?: unknown;
}

export interface ScriptedServer {
  baseUrl: string;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === "string" ? p : (p?.text ?? ""))).join("");
  return "";
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startScriptedServer(rules: Rule[]): Promise<ScriptedServer> {
  const requests: LoggedRequest[] = [];
  let counter = 0;
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      send(404, { error: { message: `no route ${req.method} ${req.url}` } });
      return;
    }
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    const messages = ((body.messages as { role: string; content: unknown }[]) ?? []).map((m) => ({
      role: m.role,
      content: contentText(m.content),
    }));
    const users = messages.filter((m) => m.role === "user");
    const scripted: ScriptedRequest = { body, messages, task: users[0]?.content ?? "", isRepair: users.length > 1 };
    const promptTokens = countTokens(messages.map((m) => m.content).join("\n"));
    const rule = rules.find((r) => r.match(scripted));
    if (!rule) {
      requests.push({ rule: null, status: 400, promptTokens, completionTokens: 0, task: scripted.task, isRepair: scripted.isRepair });
      send(400, { error: { message: `scripted server: no reply for task ${JSON.stringify(scripted.task.slice(0, 120))}`, type: "invalid_request_error" } });
      return;
    }
    const content = typeof rule.reply === "function" ? rule.reply(scripted) : rule.reply;
    const completionTokens = countTokens(content);
    requests.push({
      rule: rule.name,
      status: 200,
      promptTokens,
      completionTokens,
      task: scripted.task,
      isRepair: scripted.isRepair,
      responseFormat: body.response_format,
    });
    send(200, {
      id: `chatcmpl-${++counter}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: rule.finishReason ?? "stop" }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Rule helpers: match an agent's task by its heading, and a file's task by its path. */
export const taskIs = (heading: string) => (req: ScriptedRequest) => req.task.includes(`# Task: ${heading}`);
