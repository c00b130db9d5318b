/**
 * Dependencies run one way: graphs -> agents -> src. Two doors are open on
 * purpose: the CLI (src/cli) drives the graphs, and the states (src/state.ts,
 * src/eval/state.ts) hold the agents' artifacts, so they read their schema
 * modules (leaves that import nothing of the pipeline). `npm run lint:deps` (part of `npm test`) fails on any other.
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      severity: "error",
      comment: "an import cycle (types count: they tie the modules' meaning together)",
      from: {},
      to: { circular: true },
    },
    {
      name: "src-below-agents",
      severity: "error",
      comment: "src/ is the library beneath the agents and graphs",
      from: { path: "^src/", pathNot: ["^src/cli/", "^src/state[.]ts$", "^src/eval/state[.]ts$"] },
      to: { path: "^(agents|graphs)/" },
    },
    {
      name: "state-reads-schemas-only",
      severity: "error",
      from: { path: ["^src/state[.]ts$", "^src/eval/state[.]ts$"] },
      to: { path: "^(agents|graphs)/", pathNot: "^agents/[^/]+/schema[.]ts$" },
    },
    {
      name: "agents-below-graphs",
      severity: "error",
      comment: "agents know nothing of the wiring",
      from: { path: "^agents/" },
      to: { path: "^graphs/" },
    },
    { name: "no-test-code", severity: "error", from: { path: "^(src|agents|graphs)/" }, to: { path: "^(test|bench)/" } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
