import { z } from "zod";
import { ExitCode, UserError } from "./errors.js";
import type { ModelSettings } from "./models/settings.js";

/*
 * The settings that run and eval share, declared once: their types and bounds
 * (the settings file checks them), the flags that give them, and how a model's
 * client settings are read from them. The graphs' configurable schemas (what
 * Studio shows) are ConfigurationAnnotation and EvalConfigurationAnnotation.
 */

/** How the model client is driven and what it may spend: the generator's (run) and the judge's (eval) alike. */
export const ClientSettingsShape = {
  maxRetries: z.number().int().min(0),
  timeoutSeconds: z.number().positive(),
  maxOutputTokens: z.number().int().positive(),
  structuredOutput: z.enum(["auto", "native", "text"]),
  concurrency: z.number().int().min(1),
  budgetUsd: z.number().positive(),
  rpm: z.number().int().positive(),
  tpm: z.number().int().positive(),
};
export type ClientSettings = { [K in keyof typeof ClientSettingsShape]: z.infer<(typeof ClientSettingsShape)[K]> | undefined };

/** Which model answers, and how it samples. */
export const ModelChoiceShape = {
  model: z.string(),
  baseUrl: z.string().url(),
  temperature: z.number().min(0).max(2),
  reasoningEffort: z.enum(["minimal", "low", "medium", "high"]),
};
export type ModelChoice = { [K in keyof typeof ModelChoiceShape]: z.infer<(typeof ModelChoiceShape)[K]> | undefined };

/** The client flags as commander gives them (src/cli/options.ts declares them). */
export interface ClientFlags {
  maxRetries?: number;
  timeout?: number;
  maxOutputTokens?: number;
  structuredOutput?: ClientSettings["structuredOutput"];
  concurrency?: number;
  budget?: number;
  rpm?: number;
  tpm?: number;
  prices?: string;
}

/** The model flags of run and the commands that continue a run. */
export interface ModelFlags {
  model?: string;
  baseUrl?: string;
  temperature?: number;
  reasoningEffort?: ModelChoice["reasoningEffort"];
  concurrency?: number;
}

/** The client flags as settings. */
export function clientSettingsOf(flags: ClientFlags): ClientSettings {
  const { maxRetries, timeout, maxOutputTokens, structuredOutput, concurrency, budget, rpm, tpm } = flags;
  return { maxRetries, timeoutSeconds: timeout, maxOutputTokens, structuredOutput, concurrency, budgetUsd: budget, rpm, tpm };
}

/** The model flags as settings. */
export function modelChoiceOf(flags: ModelFlags): ModelChoice {
  const { model, baseUrl, temperature, reasoningEffort } = flags;
  return { model, baseUrl, temperature, reasoningEffort };
}

/** Each setting as given (a flag), else as the settings file has it. */
export function orFromFile<T extends object>(given: T, file: Partial<Record<keyof T, unknown>>): T {
  return Object.fromEntries(Object.entries(given).map(([key, value]) => [key, value ?? file[key as keyof T]])) as T;
}

/**
 * A model's settings as a graph's configuration gives them, read alike for the
 * generator and the judge: the model (none: `missing` says how to choose one),
 * how it samples, and its client's settings.
 */
export function modelSettingsOf(
  choice: Partial<ModelChoice>,
  client: Partial<ClientSettings>,
  options: { missing: string; maxConcurrency: number },
): ModelSettings {
  if (!choice.model) throw new UserError(options.missing, ExitCode.usage);
  const { maxRetries, timeoutSeconds, maxOutputTokens, structuredOutput } = client;
  const { model, baseUrl, temperature, reasoningEffort } = choice;
  return {
    model,
    baseUrl,
    temperature,
    reasoningEffort,
    maxRetries,
    timeoutSeconds,
    maxOutputTokens,
    structuredOutput,
    maxConcurrency: options.maxConcurrency,
  };
}
