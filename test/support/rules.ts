/** Scripted replies keyed by request content, shared by the HTTP server and the in-process fake model. */
export interface ChatMessage {
  role: string;
  content: string;
}

export interface ScriptedRequest {
  messages: ChatMessage[];
  /** The first user message: the agent's task. */
  task: string;
  /** True when the client is re-asking after an unusable reply (or asking for a cut-off reply's continuation). */
  isRepair: boolean;
  /** True when the client asks for the rest of a reply cut off at the output token limit. */
  isContinuation: boolean;
  body?: Record<string, unknown>;
}

export interface Rule {
  name: string;
  match: (req: ScriptedRequest) => boolean;
  reply: string | ((req: ScriptedRequest) => string);
  finishReason?: string;
}

export function scriptedRequest(messages: ChatMessage[], body?: Record<string, unknown>): ScriptedRequest {
  const users = messages.filter((m) => m.role === "user");
  const last = messages.at(-1);
  const isContinuation = last?.role === "user" && /continue exactly where it stopped/i.test(last.content);
  return { messages, task: users[0]?.content ?? "", isRepair: users.length > 1, isContinuation, body };
}

export function selectReply(rules: Rule[], req: ScriptedRequest): { rule: Rule; content: string } | undefined {
  const rule = rules.find((r) => r.match(req));
  if (!rule) return undefined;
  const content = typeof rule.reply === "function" ? rule.reply(req) : rule.reply;
  return { rule, content: continuationOf(req, content) ?? content };
}

/** Asked to continue a reply that was cut off (by an injected fault): the rest of the scripted reply. */
function continuationOf(req: ScriptedRequest, content: string): string | undefined {
  const partial = req.messages.at(-2);
  if (!req.isContinuation || partial?.role !== "assistant") return undefined;
  return content.startsWith(partial.content) ? content.slice(partial.content.length) : undefined;
}

/** Rule helpers: match an agent's task by its heading. */
export const taskIs = (heading: string) => (req: ScriptedRequest) => req.task.includes(`# Task: ${heading}`);
