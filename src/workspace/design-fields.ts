/** The planning stage's decisions every per-file worker reads (src/state.ts's Design), in the order its blob lists them. */
export const DESIGN_KEYS = ["plan", "architecture", "logic", "configYaml", "files"] as const;
