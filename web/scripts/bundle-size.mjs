// Prints what each page of the built app (dist/) loads, gzip-compressed, and fails when the first load of
// the start page carries more than the budget of JavaScript. Run after `vite build`: `npm run size`.
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = Number(process.env.CS_JS_BUDGET_KB ?? 250);
const dist = path.resolve(import.meta.dirname, "..", "dist");
const manifest = JSON.parse(readFileSync(path.join(dist, ".vite", "manifest.json"), "utf8"));

const gzipped = new Map();
function gzipKb(file) {
  if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length / 1024);
  return gzipped.get(file);
}

/** Every JS file a manifest entry loads up front (itself and its static imports, transitively). */
function closure(key, seen = new Set()) {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const imported of chunk.imports ?? []) closure(imported, seen);
  return seen;
}

function total(files) {
  return [...files].filter((f) => f.endsWith(".js")).reduce((sum, f) => sum + gzipKb(f), 0);
}

const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
const entry = closure(entryKey);
const css = (manifest[entryKey].css ?? []).reduce((sum, f) => sum + gzipKb(f), 0);
const pages = Object.keys(manifest)
  .filter((key) => manifest[key].isDynamicEntry)
  .map((key) => {
    const files = closure(key, new Set(entry));
    return { page: path.basename(key).replace(/\.tsx?$/, ""), kb: total(files) };
  })
  .sort((a, b) => a.kb - b.kb);

const landing = pages.find((p) => p.page === "Landing");
const firstLoad = landing ? landing.kb : total(entry);
console.log(`app shell (React, router, query, API client): ${total(entry).toFixed(1)} KB gzip JS, ${css.toFixed(1)} KB gzip CSS`);
for (const p of pages) console.log(`  ${p.page.padEnd(16)} ${p.kb.toFixed(1).padStart(6)} KB gzip JS with the shell`);
console.log(`first load of / : ${firstLoad.toFixed(1)} KB gzip JS (budget ${BUDGET_KB} KB)`);
if (firstLoad > BUDGET_KB) {
  console.error(`bundle-size: the start page loads ${firstLoad.toFixed(1)} KB of JavaScript, over the ${BUDGET_KB} KB budget`);
  process.exit(1);
}
