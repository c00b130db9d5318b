import { existsSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { ExitCode, UserError } from "../errors.js";

/** paper2code.yaml: the same settings as the flags (flags win). Unknown keys are errors, to catch typos. */
export const SettingsFileSchema = z
  .object({
    model: z.string(),
    /** The judge of `paper2code eval`, chosen apart from the generator. */
    judgeModel: z.string(),
    judgeBaseUrl: z.string().url(),
    baseUrl: z.string().url(),
    temperature: z.number().min(0).max(2),
    reasoningEffort: z.enum(["minimal", "low", "medium", "high"]),
    maxRetries: z.number().int().min(0),
    timeoutSeconds: z.number().positive(),
    maxOutputTokens: z.number().int().positive(),
    structuredOutput: z.enum(["auto", "native", "text"]),
    concurrency: z.number().int().min(1),
    schedule: z.enum(["parallel", "sequential"]),
    context: z.enum(["scoped", "full"]),
    includeAppendix: z.boolean(),
    paperTokenBudget: z.number().int().min(1000),
    refine: z.union([
      z.number().int().min(0),
      z
        .object({
          plan: z.number().int().min(0),
          architecture: z.number().int().min(0),
          logic: z.number().int().min(0),
          config: z.number().int().min(0),
          analysis: z.number().int().min(0),
          code: z.number().int().min(0),
        })
        .partial()
        .strict(),
    ]),
    review: z.union([z.string(), z.array(z.string())]),
    budgetUsd: z.number().positive(),
    rpm: z.number().int().positive(),
    tpm: z.number().int().positive(),
    out: z.string(),
    checkpointer: z.string(),
  })
  .partial()
  .strict();
export type SettingsFile = z.infer<typeof SettingsFileSchema>;

export const DEFAULT_SETTINGS_FILE = "paper2code.yaml";

/** Read the settings file: the one named, else ./paper2code.yaml when present, else nothing. */
export function readSettingsFile(path?: string): SettingsFile {
  const file = path ?? (existsSync(DEFAULT_SETTINGS_FILE) ? DEFAULT_SETTINGS_FILE : undefined);
  if (!file) return {};
  if (!existsSync(file)) throw new UserError(`--config ${file}: no such file`, ExitCode.notFound);
  let value: unknown;
  try {
    value = parse(readFileSync(file, "utf8")) ?? {};
  } catch (error) {
    throw new UserError(`${file}: invalid YAML: ${(error as Error).message.split("\n")[0]}`, ExitCode.usage);
  }
  const result = SettingsFileSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.join(".") || (issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "(root)");
    throw new UserError(`${file}: ${where}: ${issue.message}`, ExitCode.usage);
  }
  return result.data;
}
