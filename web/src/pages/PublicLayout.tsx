import type { ReactNode } from "react";
import { Link } from "react-router";

/** The frame of the pages anyone can open (landing, sign in, register). */
export function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <header className="bg-slate-900 text-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3">
          <Link to="/" className="text-lg font-bold tracking-tight text-white">
            ContainerStacks
          </Link>
          <nav aria-label="Account">
            <ul className="flex gap-2 text-sm font-medium">
              <li>
                <Link to="/login" className="rounded-md px-3 py-2 text-slate-100 hover:bg-slate-800">
                  Sign in
                </Link>
              </li>
              <li>
                <Link to="/register" className="rounded-md px-3 py-2 text-slate-100 hover:bg-slate-800">
                  Create account
                </Link>
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:py-12">
        {children}
      </main>
      <footer className="border-t border-slate-200 py-4 text-center text-xs text-slate-600">ContainerStacks</footer>
    </div>
  );
}
