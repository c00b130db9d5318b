import { describe, expect, it } from "vitest";
import { LogicDesignReplySchema, LogicDesignSchema } from "../../agents/logic-designer/index.js";
import { applyConfigReply, mergePatch, patchSchemaOf } from "../../src/review/patch.js";

const logic = LogicDesignReplySchema.parse({
  files: [
    { path: "data.py", logic: "loads the data", dependsOn: [] },
    { path: "model.py", logic: "the model", dependsOn: ["train.py"] },
    { path: "train.py", logic: "trains", dependsOn: ["model.py", "data.py"] },
  ],
  implementationOrder: ["data.py", "model.py", "train.py"],
  requiredPackages: ["numpy"],
  entrypoint: "train.py",
  runCommand: "python train.py",
  sharedConventions: "config dict passed down",
});
const FILES = { files: "path" };

describe("a refiner's patch", () => {
  it("changes only what it names: one entry replaced, one added, one removed, one field; the rest kept", () => {
    const patch = patchSchemaOf(LogicDesignSchema, FILES).parse({
      files: [
        { path: "model.py", logic: "the model, no import of train.py", dependsOn: [] },
        { path: "main.py", logic: "entry point", dependsOn: ["train.py"] },
        { path: "data.py", remove: true },
      ],
      entrypoint: "main.py",
    });
    const merged = LogicDesignReplySchema.parse(mergePatch(logic, patch, FILES));
    expect(merged.files.map((f) => f.path)).toEqual(["model.py", "train.py", "main.py"]);
    expect(merged.files[0]).toEqual({ path: "model.py", logic: "the model, no import of train.py", dependsOn: [] });
    expect(merged.files[1]).toEqual(logic.files[2]);
    expect(merged.entrypoint).toBe("main.py");
    expect(merged.sharedConventions).toBe(logic.sharedConventions);
    expect(merged.implementationOrder).toEqual(logic.implementationOrder);
  });

  it("accepts a whole artifact as a patch (every field replaced)", () => {
    const whole = { ...logic, runCommand: "python -m train" };
    expect(mergePatch(logic, patchSchemaOf(LogicDesignSchema, FILES).parse(whole), FILES)).toEqual(whole);
  });

  it("edits config.yaml with SEARCH/REPLACE, comments kept; takes a whole file too; refuses an edit that matches nothing", () => {
    const yaml = "training:\n  lr: 0.5   # Section 3\n  steps: 5000  # Section 3\n  weight_decay: 0.01  # Section 3\n";
    const edits = "config.yaml\n<<<<<<< SEARCH\n  weight_decay: 0.01  # Section 3\n=======\n=======\n".replace(
      "=======\n=======\n",
      "=======\n>>>>>>> REPLACE\n",
    );
    expect(applyConfigReply(yaml, edits)).toBe("training:\n  lr: 0.5   # Section 3\n  steps: 5000  # Section 3\n");
    expect(applyConfigReply(yaml, "```yaml\ntraining:\n  lr: 0.5\n```")).toBe("training:\n  lr: 0.5\n");
    expect(() =>
      applyConfigReply(yaml, "config.yaml\n<<<<<<< SEARCH\n  momentum: 0.9\n=======\n  momentum: 0.8\n>>>>>>> REPLACE\n"),
    ).toThrow(/matches nothing/);
  });
});
