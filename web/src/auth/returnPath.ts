/** Where to go after signing in or up: the page that sent the visitor to sign in (same site only). */
export function returnPath(state: unknown): string {
  if (typeof state === "object" && state !== null && "from" in state && typeof state.from === "string") {
    if (state.from.startsWith("/") && !state.from.startsWith("//")) return state.from;
  }
  return "/dashboard";
}
