/** Scripted replies keyed by request content, shared by the HTTP server and the in-process fake model. */
export interface ChatMessage {
  role: string;
  content: string;
}

export interface ScriptedRequest {
  messages: ChatMessage[];
  /** The first user message: the agent's task. */
  task: string;
  /** True when the client is re-asking after an unusable reply. */
  isRepair: boolean;
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
  return { messages, task: users[0]?.content ?? "", isRepair: users.length > 1, body };
}

export function selectReply(rules: Rule[], req: ScriptedRequest): { rule: Rule; content: string } | undefined {
  const rule = rules.find((r) => r.match(req));
  if (!rule) return undefined;
  return { rule, content: typeof rule.reply === "function" ? rule.reply(req) : rule.reply };
}

/** Rule helpers: match an agent's task by its heading. */
export const taskIs = (heading: string) => (req: ScriptedRequest) => req.task.includes(`# Task: ${heading}`);
