// ESLint on the app's own JavaScript (web/static): the recommended rules, with the globals of
// the context each file runs in. Formatting is Prettier's job (npx prettier --check).
import js from "@eslint/js";
import globals from "globals";

// Files loaded with a plain <script defer> tag (not modules): they share the page's scope.
const CLASSIC = [
  "web/static/app.js",
  "web/static/company.js",
  "web/static/export.js",
  "web/static/photos.js",
  "web/static/scan.js",
  "web/static/sheet.js",
  "web/static/trust.js",
  "web/static/theme.js",
];

export default [
  { ignores: [".venv/", "build/", "data/", "demo/", "**/*.min.js"] },
  js.configs.recommended,
  {
    // the tests' OpenID provider, run by Node
    files: ["tests/oidc/**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
  {
    files: ["web/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser, htmx: "readonly" },
    },
    rules: {
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  { files: CLASSIC, languageOptions: { sourceType: "script" } },
  { files: ["web/static/sw.js"], languageOptions: { globals: globals.serviceworker } },
];
