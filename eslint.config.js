// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Lint of the TypeScript sources (formatting is Prettier's: .prettierrc.json). `npm run lint`, part of `npm test`. */
export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".bench-cache/", ".scratch/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
      // Paper text and file paths are filtered for control characters on purpose.
      "no-control-regex": "off",
    },
  },
  { files: ["**/*.cjs"], languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly" } } },
  { files: ["**/*.mjs"], languageOptions: { globals: { process: "readonly" } } },
  {
    // Test doubles and fixtures stand in for loosely typed providers and replies.
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-non-null-assertion": "off" },
  },
);
