import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import type { RunnableConfig } from "@langchain/core/runnables";
import { writeFileAtomicSync } from "../workspace/writer.js";

/**
 * Every model reply, kept on disk the moment it arrives, keyed by the request.
 *
 * LangGraph saves a node's result only when the node ends; a reply received by a
 * node that is then killed (or a first call of a node that re-asks) would be paid
 * for again on resume. With the journal, the repeated request is answered from
 * disk instead. The key carries a salt for the stage being rewound, so that
 * `rewind --to <stage>` asks that stage's questions afresh while other stages'
 * identical questions are still answered from the journal.
 */
export interface JournalEntry {
  content: AIMessage["content"];
  usage_metadata?: AIMessage["usage_metadata"];
  finish_reason?: string;
}

export interface JournalSettings {
  /** Folder of the journal (the CLI sets `<out>/.paper2code/calls`); no journal when unset. */
  callJournal?: string;
  /** `<stage>@<id>` after a rewind: that stage's requests get fresh keys. */
  rewind?: string;
}

export class CallJournal {
  constructor(
    readonly dir: string,
    private readonly salt: string,
  ) {}

  /** The journal of the graph task this code runs in, if the run keeps one. */
  static current(config: RunnableConfig | undefined = AsyncLocalStorageProviderSingleton.getRunnableConfig()): CallJournal | undefined {
    const settings = (config?.configurable ?? {}) as JournalSettings;
    if (!settings.callJournal) return undefined;
    // Each node declares its stage in its metadata (graphs/): a rewound stage's nodes ask afresh.
    const stage = String(config?.metadata?.stage ?? "");
    const [rewoundStage] = (settings.rewind ?? "").split("@");
    const salt = rewoundStage && stage === rewoundStage ? settings.rewind! : "";
    return new CallJournal(settings.callJournal, salt);
  }

  key(model: string, messages: BaseMessage[], options: Record<string, unknown>): string {
    const request = { salt: this.salt, model, messages: messages.map((m) => [m.getType(), m.content]), options };
    return createHash("sha256").update(JSON.stringify(request)).digest("hex");
  }

  get(key: string): AIMessage | undefined {
    let entry: JournalEntry;
    try {
      entry = JSON.parse(readFileSync(join(this.dir, `${key}.json`), "utf8")) as JournalEntry;
    } catch {
      return undefined;
    }
    return new AIMessage({
      content: entry.content,
      usage_metadata: entry.usage_metadata,
      response_metadata: entry.finish_reason ? { finish_reason: entry.finish_reason } : {},
    });
  }

  /** Drop replies that turned out unusable, so that a retry asks again instead of replaying them. */
  forget(keys: string[]): void {
    for (const key of keys) rmSync(join(this.dir, `${key}.json`), { force: true });
  }

  /** Synchronous on purpose: the reply is on disk before anything else can happen to the process. */
  put(key: string, message: AIMessage): void {
    const entry: JournalEntry = {
      content: message.content,
      usage_metadata: message.usage_metadata,
      finish_reason: message.response_metadata?.finish_reason as string | undefined,
    };
    writeFileAtomicSync(join(this.dir, `${key}.json`), JSON.stringify(entry));
  }
}
