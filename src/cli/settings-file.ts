import { existsSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { REFINE_STAGES } from "../../graphs/stages.js";
import { ExitCode, UserError } from "../errors.js";
import { nearestOf } from "../parsing/nearest.js";
import { ClientSettingsShape, ModelChoiceShape } from "../settings.js";

const rounds = z.number().int().min(0);

/** paper2code.yaml: the same settings as the flags (flags win). Unknown keys are errors, to catch typos. */
export const SettingsFileSchema = z
  .object({
    ...ModelChoiceShape,
    ...ClientSettingsShape,
    /** The judge of `paper2code eval`, chosen apart from the generator. */
    judgeModel: z.string(),
    judgeBaseUrl: z.string().url(),
    schedule: z.enum(["parallel", "sequential"]),
    context: z.enum(["scoped", "full"]),
    includeAppendix: z.boolean(),
    paperTokenBudget: z.number().int().min(1000),
    refine: z.union([
      rounds,
      z
        .object(Object.fromEntries(REFINE_STAGES.map((stage) => [stage, rounds])))
        .partial()
        .strict(),
    ]),
    review: z.union([z.string(), z.array(z.string())]),
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
    if (issue.code === "unrecognized_keys") {
      const parent = issue.path.join(".");
      const known = parent === "refine" ? REFINE_STAGES : Object.keys(SettingsFileSchema.shape);
      const named = issue.keys.map((key) => {
        const near = nearestOf(key, known);
        return near ? `${key} (did you mean ${near}?)` : key;
      });
      throw new UserError(
        `${file}: ${parent ? `${parent}: ` : ""}unknown setting${named.length > 1 ? "s" : ""} ${named.join(", ")}; known: ${known.join(", ")}`,
        ExitCode.usage,
      );
    }
    throw new UserError(`${file}: ${issue.path.join(".") || "(root)"}: ${issue.message}`, ExitCode.usage);
  }
  return result.data;
}
