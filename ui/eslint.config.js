import js from "@eslint/js";
import ts from "typescript-eslint";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import svelteConfig from "./svelte.config.js";

export default ts.config(
  { ignores: ["dist/", "node_modules/", "src/ipc/bindings/"] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  { languageOptions: { globals: { ...globals.browser } } },
  {
    files: ["**/*.svelte", "**/*.svelte.ts"],
    languageOptions: { parserOptions: { projectService: true, extraFileExtensions: [".svelte"], parser: ts.parser, svelteConfig } },
  },
  {
    // Only src/ipc may talk to Tauri: everything else goes through its typed functions.
    files: ["src/**/*.ts", "src/**/*.svelte"],
    ignores: ["src/ipc/**", "src/**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["@tauri-apps/*"] }] },
  },
);
