import { z } from "zod";

/**
 * config.yaml as text (kept verbatim, comments and all) and the dotted keys it
 * defines. Text that still does not parse after a re-ask is kept with
 * valid=false: the verifier reports it and a refine round can fix it.
 */
export const ConfigArtifactSchema = z.object({
  yaml: z.string().min(1),
  keys: z.array(z.string()),
  valid: z.boolean(),
  error: z.string().optional(),
});
export type ConfigArtifact = z.infer<typeof ConfigArtifactSchema>;

/** Every dotted key of a parsed YAML mapping, e.g. training.optimizer.lr. */
export function flattenKeys(value: unknown, prefix = ""): string[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return prefix ? [prefix] : [];
  const keys: string[] = prefix ? [prefix] : [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    keys.push(...flattenKeys(v, prefix ? `${prefix}.${k}` : k));
  }
  return keys;
}
