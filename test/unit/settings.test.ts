import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigurationAnnotation } from "../../graphs/configuration.js";
import { readSettingsFile, SettingsFileSchema } from "../../src/cli/settings-file.js";
import { EvalConfigurationAnnotation } from "../../src/eval/state.js";
import { ClientSettingsShape, clientSettingsOf, ModelChoiceShape, orFromFile } from "../../src/settings.js";

const dir = mkdtempSync(join(tmpdir(), "p2c-settings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("the settings file", () => {
  it("reads the shared client settings with their bounds", () => {
    expect(readSettingsFile(file("ok.yaml", "model: openai:gpt-4.1\nmaxRetries: 2\nrpm: 30\nrefine:\n  plan: 2\n"))).toEqual({
      model: "openai:gpt-4.1",
      maxRetries: 2,
      rpm: 30,
      refine: { plan: 2 },
    });
    expect(() => readSettingsFile(file("bounds.yaml", "rpm: 0\n"))).toThrow(/bounds\.yaml: rpm: /);
  });

  it("names an unknown key with the setting it is likely a typo of, at the top and under refine", () => {
    expect(() => readSettingsFile(file("typo.yaml", "timeoutSecond: 900\n"))).toThrow(
      /unknown setting timeoutSecond \(did you mean timeoutSeconds\?\)/,
    );
    expect(() => readSettingsFile(file("refine.yaml", "refine:\n  archtecture: 2\n"))).toThrow(
      /refine: unknown setting archtecture \(did you mean architecture\?\); known: plan, architecture, logic, config, analysis, code/,
    );
  });

  it("suggests nothing for a key that resembles no setting", () => {
    const error = (() => {
      try {
        readSettingsFile(file("far.yaml", "colour: blue\n"));
      } catch (caught) {
        return (caught as Error).message;
      }
    })();
    expect(error).toMatch(/unknown setting colour; known: /);
    expect(error).not.toMatch(/did you mean/);
  });
});

describe("the settings run and eval share", () => {
  it("are settings of both graphs' configurable schemas (what Studio shows), and of the settings file", () => {
    const run = Object.keys(ConfigurationAnnotation.spec);
    const evaluation = Object.keys(EvalConfigurationAnnotation.spec);
    for (const key of Object.keys(ClientSettingsShape)) {
      expect(run, key).toContain(key);
      expect(evaluation, key).toContain(key);
      expect(Object.keys(SettingsFileSchema.shape), key).toContain(key);
    }
    for (const key of Object.keys(ModelChoiceShape)) expect(run, key).toContain(key);
  });

  it("come from the flags by one mapping, the settings file filling what no flag gave", () => {
    const given = clientSettingsOf({ timeout: 900, budget: 5, rpm: undefined });
    expect(given).toMatchObject({ timeoutSeconds: 900, budgetUsd: 5 });
    expect(orFromFile(given, { rpm: 30, timeoutSeconds: 60 })).toMatchObject({ timeoutSeconds: 900, budgetUsd: 5, rpm: 30 });
  });
});
