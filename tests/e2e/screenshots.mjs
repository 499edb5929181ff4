// Where the end-to-end tests write their screenshots: docs/screenshots/ (committed, shown in the
// docs) when UPDATE_SCREENSHOTS=1, else target/screenshots/, so that a test run leaves the tree
// as it found it.

import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The folder, with a trailing slash; created if missing. */
export const SCREENSHOTS = fileURLToPath(new URL(
  process.env.UPDATE_SCREENSHOTS === "1" ? "../../docs/screenshots/" : "../../target/screenshots/",
  import.meta.url,
));
mkdirSync(SCREENSHOTS, { recursive: true });
