/// <reference types="vitest/config" />
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `make web-dev`: Vite serves the app with hot reload and forwards /api to the local stack (`make dev`).
const api = process.env.CS_API_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    host: "127.0.0.1",
    port: Number(process.env.WEB_PORT ?? 5173),
    strictPort: true,
    proxy: { "/api": { target: api, changeOrigin: false } },
  },
  build: {
    target: "es2022",
    sourcemap: false,
    // The metrics page carries the charting library (lazy-loaded); everything else is far smaller.
    chunkSizeWarningLimit: 500,
    manifest: true,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    restoreMocks: true,
  },
});
