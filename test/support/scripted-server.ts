/**
 * A scripted OpenAI-compatible chat-completions server on 127.0.0.1 for tests.
 * Replies are chosen by request content (never by call order), so parallel
 * branches get the right reply. Usage fields are real token counts of the
 * request and reply, and every request is logged.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extractJson } from "../../src/parsing/json.js";
import { encode } from "gpt-tokenizer";
import { countTokens } from "../../src/tokens.js";
import { scriptedRequest, selectReply, type Rule } from "./rules.js";

export type { ChatMessage, Rule, ScriptedRequest } from "./rules.js";
export { taskIs } from "./rules.js";

export interface LoggedRequest {
  rule: string | null;
  status: number;
  promptTokens: number;
  completionTokens: number;
  task: string;
  /** The system message: the team's rules, the paper and the design artifacts shared by the calls. */
  system: string;
  isRepair: boolean;
  isContinuation?: boolean;
  responseFormat?: unknown;
  /** sha256 of the request body: identical requests have identical keys. */
  key: string;
  /** The whole response was handed to the socket. */
  completed: boolean;
  /** The Authorization header the client sent. */
  authorization?: string;
  /** Prompt tokens reported as cached (with `prefixCache`). */
  cachedTokens?: number;
  startedAt?: number;
  finishedAt?: number;
  /** The fault injected into this request, if any (a status, or a misbehaviour's kind). */
  fault?: string;
}

/** An error response in place of the reply (a 429, a 503...). */
export interface FaultReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A provider misbehaving in a way other than an error status:
 * - `html`: a proxy's HTML error page, sent with status 200;
 * - `empty-choices`: a well-formed completion with no choices;
 * - `finish`: the reply cut at `keep` (a share of its length) with finish_reason `length` or `content_filter`;
 * - `reset`: the headers and part of the body, then the connection is cut;
 * - `stall`: the reply held for `ms` (past the client's timeout);
 * - `content`: the reply's text rewritten (malformed output).
 */
export type Misbehaviour =
  | { kind: "html" }
  | { kind: "empty-choices" }
  | { kind: "finish"; reason: "length" | "content_filter"; keep?: number }
  | { kind: "reset" }
  | { kind: "stall"; ms: number }
  | { kind: "content"; transform: (content: string) => string; label?: string };

export type Fault = FaultReply | Misbehaviour;

/** What to do with a request before answering it: answer, drop it unanswered (the client was killed), or fail it. */
export type BeforeReply = (request: LoggedRequest, index: number) => Promise<"answer" | "drop" | Fault> | "answer" | "drop" | Fault;

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

export interface ServerOptions {
  /** Answer JSON-schema requests with bare JSON, as OpenAI and vLLM do (default true). */
  honourResponseFormat?: boolean;
  /** Called before each reply; may hold it (return a promise) or drop it. */
  beforeReply?: BeforeReply;
  /** Simulated model latency: time to first token plus time per output token. */
  latency?: { firstTokenMs: number; perTokenMs: number };
  /**
   * Simulated prefix caching, as OpenAI bills it: the longest prefix of a request's tokens (its
   * messages in order) that an earlier request began with is reported as cached, in 128-token
   * blocks, when it is at least 1,024 tokens long.
   */
  prefixCache?: boolean;
  /** Model ids GET /models lists (as vLLM and Ollama do); without it the listing is a 404, as on servers that have none. */
  models?: string[];
}

export async function startScriptedServer(rules: Rule[], options: ServerOptions = {}): Promise<ScriptedServer> {
  const honour = options.honourResponseFormat ?? true;
  const requests: LoggedRequest[] = [];
  const seenPrefixes = new Set<string>();
  /** Cached tokens of a request, and its prefixes remembered for the next ones: hashes of every 128-token block boundary. */
  const cachedPrefix = (messages: { role: string; content: string }[]): number => {
    const tokens = encode(messages.map((m) => `<|${m.role}|>${m.content}`).join(""), { disallowedSpecial: new Set() });
    let hash = createHash("sha256");
    let cached = 0;
    const boundaries: string[] = [];
    for (let at = 0; at + 128 <= tokens.length; at += 128) {
      hash = hash.copy();
      hash.update(Uint32Array.from(tokens.slice(at, at + 128)));
      const key = hash.copy().digest("hex");
      boundaries.push(key);
      if (seenPrefixes.has(key) && cached === at) cached = at + 128;
    }
    for (const key of boundaries) seenPrefixes.add(key);
    return cached >= 1024 ? cached : 0;
  };
  let counter = 0;
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && req.url?.endsWith("/models") && options.models) {
      send(200, { object: "list", data: options.models.map((id) => ({ id, object: "model" })) });
      return;
    }
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      send(404, { error: { message: `no route ${req.method} ${req.url}` } });
      return;
    }
    // A real model's latency runs from the request's arrival: this server's own work (counting tokens) is part of it, not added to it.
    const arrived = Date.now();
    const raw = await readBody(req);
    const key = createHash("sha256").update(raw).digest("hex");
    const body = JSON.parse(raw) as Record<string, unknown>;
    const messages = ((body.messages as { role: string; content: unknown }[]) ?? []).map((m) => ({
      role: m.role,
      content: contentText(m.content),
    }));
    const scripted = scriptedRequest(messages, body);
    const promptTokens = countTokens(messages.map((m) => m.content).join("\n"));
    const selected = selectReply(rules, scripted);
    if (!selected) {
      requests.push({
        rule: null,
        status: 400,
        promptTokens,
        completionTokens: 0,
        task: scripted.task,
        system: messages.find((m) => m.role === "system")?.content ?? "",
        isRepair: scripted.isRepair,
        key,
        completed: false,
      });
      send(400, {
        error: {
          message: `scripted server: no reply for task ${JSON.stringify(scripted.task.slice(0, 120))}`,
          type: "invalid_request_error",
        },
      });
      return;
    }
    const { rule } = selected;
    const wantsJson = (body.response_format as { type?: string } | undefined)?.type === "json_schema";
    const contentOf = wantsJson && honour ? JSON.stringify(extractJson(selected.content)) : selected.content;
    const completionTokens = countTokens(contentOf);
    const system = messages.find((m) => m.role === "system")?.content ?? "";
    const cachedTokens = options.prefixCache ? Math.min(cachedPrefix(messages), promptTokens) : 0;
    const logged: LoggedRequest = {
      rule: rule.name,
      status: 200,
      promptTokens,
      completionTokens,
      task: scripted.task,
      system,
      isRepair: scripted.isRepair,
      isContinuation: scripted.isContinuation,
      responseFormat: body.response_format,
      key,
      completed: false,
      authorization: req.headers.authorization,
      cachedTokens,
      startedAt: arrived,
    };
    requests.push(logged);
    const decision = options.beforeReply ? await options.beforeReply(logged, requests.length - 1) : "answer";
    if (decision === "drop") {
      logged.status = 0;
      res.destroy();
      return;
    }
    if (decision !== "answer" && "status" in decision) {
      logged.status = decision.status;
      logged.fault = String(decision.status);
      res.writeHead(decision.status, { "content-type": "application/json", ...decision.headers });
      res.end(JSON.stringify(decision.body ?? { error: { message: `scripted fault ${decision.status}`, type: "server_error" } }));
      return;
    }
    const misbehaviour = decision === "answer" ? undefined : decision;
    if (misbehaviour) logged.fault = misbehaviour.kind === "content" ? (misbehaviour.label ?? "content") : misbehaviour.kind;
    if (misbehaviour?.kind === "html") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>");
      return;
    }
    let stalledMs = 0;
    if (misbehaviour?.kind === "stall") {
      await new Promise((resolve) => setTimeout(resolve, misbehaviour.ms));
      stalledMs = misbehaviour.ms;
      if (res.destroyed || req.socket.destroyed) return;
    }
    let content = contentOf;
    let finishReason = rule.finishReason ?? "stop";
    if (misbehaviour?.kind === "content") content = misbehaviour.transform(content);
    if (misbehaviour?.kind === "finish") {
      content = content.slice(0, Math.floor(content.length * (misbehaviour.keep ?? 0.5)));
      finishReason = misbehaviour.reason;
    }
    if (options.latency) {
      const latencyMs = options.latency.firstTokenMs + completionTokens * options.latency.perTokenMs;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, arrived + stalledMs + latencyMs - Date.now())));
    }
    res.on("finish", () => {
      logged.completed = true;
      logged.finishedAt = Date.now();
    });
    const id = `chatcmpl-${++counter}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      ...(options.prefixCache ? { prompt_tokens_details: { cached_tokens: cachedTokens } } : {}),
    };
    if (misbehaviour?.kind === "reset") {
      // Headers and the first part of the body, then the connection is cut.
      res.writeHead(200, { "content-type": body.stream ? "text/event-stream" : "application/json" });
      res.write(
        body.stream
          ? `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta: { role: "assistant", content: content.slice(0, 40) }, finish_reason: null }] })}\n\n`
          : `{"id":"${id}","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":${JSON.stringify(content.slice(0, 40))}`,
      );
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    const choices = misbehaviour?.kind === "empty-choices" ? [] : undefined;
    if (body.stream) {
      // Server-sent events, as OpenAI streams: content in pieces, then the finish reason, then usage when asked for.
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
        res.write(
          `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`,
        );
      if (!choices) {
        chunk({ role: "assistant", content: "" }, null);
        for (let at = 0; at < content.length; at += 400) chunk({ content: content.slice(at, at + 400) }, null);
        chunk({}, finishReason);
      }
      if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) {
        res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage })}\n\n`);
      }
      res.end("data: [DONE]\n\n");
      return;
    }
    send(200, {
      id,
      object: "chat.completion",
      created,
      model: body.model,
      choices: choices ?? [{ index: 0, message: { role: "assistant", content }, finish_reason: finishReason }],
      usage,
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
