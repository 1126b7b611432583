// Bundles src/{chat,status,editor}.js into self-contained ESM modules for anywidget, and copies
// src/widgets.css, into ../static/ (package data, committed: `pip install` needs no Node).
// Every output starts with the sha256 of the sources it was built from; the Python test
// tests/widgets/test_bundle.py recomputes it and fails when the committed bundle is stale.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static");

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

// Same definition as tests/widgets/test_bundle.py: sorted relative paths, each "path\0bytes\0".
export function sourcesHash() {
  const inputs = [...files(join(here, "src")), ...["package.json", "package-lock.json", "build.mjs"].map((f) => join(here, f))];
  const names = inputs.map((f) => relative(here, f).split("\\").join("/")).sort();
  const hash = createHash("sha256");
  for (const name of names) {
    hash.update(name + "\0");
    hash.update(readFileSync(join(here, name)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

const banner = `/* aigw-sdk widgets · built from sources sha256:${sourcesHash()} */`;
await build({
  entryPoints: ["chat", "status", "editor"].map((name) => join(here, "src", `${name}.js`)),
  outdir: out,
  bundle: true,
  format: "esm",
  minify: true,
  target: ["es2020"],
  legalComments: "none",
  banner: { js: banner },
  logLevel: "warning",
});
writeFileSync(join(out, "widgets.css"), `${banner}\n${readFileSync(join(here, "src", "widgets.css"), "utf8")}`);
console.log(`built ${out} (${banner})`);
