import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { countTokens } from "../../src/tokens.js";
import { scriptedRequest, selectReply, type Rule, type ScriptedRequest } from "./rules.js";

const ROLES: Record<string, string> = { system: "system", human: "user", ai: "assistant" };

/** An in-process chat model whose replies are keyed by request content, with usage like a provider's. */
export class KeyedFakeChatModel extends BaseChatModel {
  readonly requests: (ScriptedRequest & { rule: string })[] = [];

  constructor(private readonly rules: Rule[]) {
    super({});
  }

  _llmType(): string {
    return "keyed-fake";
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const req = scriptedRequest(messages.map((m) => ({ role: ROLES[m.getType()] ?? m.getType(), content: String(m.content) })));
    const selected = selectReply(this.rules, req);
    if (!selected) throw new Error(`fake model: no reply for task ${JSON.stringify(req.task.slice(0, 120))}`);
    this.requests.push({ ...req, rule: selected.rule.name });
    const input = countTokens(req.messages.map((m) => m.content).join("\n"));
    const output = countTokens(selected.content);
    const message = new AIMessage({
      content: selected.content,
      usage_metadata: { input_tokens: input, output_tokens: output, total_tokens: input + output },
      response_metadata: { finish_reason: selected.rule.finishReason ?? "stop" },
    });
    return { generations: [{ text: selected.content, message }] };
  }
}
