import { useMutation } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useId, useRef, useState } from "react";
import { Link, NavLink, Outlet, useLocation, useNavigate } from "react-router";

import { api } from "../api/client";
import { SIGNED_OUT_NOTICE, useSession, useSignedIn } from "../auth/session";
import { useOrganization } from "../org/organization";
import { NotificationBell } from "../pages/notifications/Bell";
import { Button } from "../ui/Button";
import { Loading } from "../ui/States";

// Signed-in pages only: kept out of the first load of the public pages.
const SuspensionBanner = lazy(() => import("../pages/billing/SuspensionBanner"));

function navClass({ isActive }: { isActive: boolean }): string {
  return `block rounded-md px-3 py-2 text-sm font-medium ${
    isActive ? "bg-slate-700 text-white" : "text-slate-100 hover:bg-slate-800 hover:text-white"
  }`;
}

/** After each navigation, move focus to the new page's heading so screen-reader users hear it. */
function useFocusHeadingOnNavigate() {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = document.querySelector<HTMLElement>("main h1");
    heading?.focus();
  }, [location.pathname]);
}

function OrganizationSwitcher() {
  const { organizations, organizationId, select } = useOrganization();
  const id = useId();
  if (organizations.length === 0) return null;
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm text-slate-200">
        Organization
      </label>
      <select
        id={id}
        value={organizationId}
        onChange={(event) => select(event.target.value)}
        className="max-w-44 rounded-md border border-slate-500 bg-slate-800 px-2 py-1.5 text-sm text-white"
      >
        {organizations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.role})
          </option>
        ))}
      </select>
    </div>
  );
}

export function Layout() {
  const { user } = useSignedIn();
  const { signOut } = useSession();
  const { organizationId, current } = useOrganization();
  const navigate = useNavigate();
  const location = useLocation();
  // The menu (phone width) belongs to the page it was opened on: navigating closes it.
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const menuOpen = menuFor === location.pathname;
  const menuId = useId();
  useFocusHeadingOnNavigate();

  const logout = useMutation({
    // Signing out locally must not depend on the server answering.
    mutationFn: () => api.POST("/api/auth/logout").catch(() => undefined),
    onSettled: () => {
      signOut(SIGNED_OUT_NOTICE);
      void navigate("/login", { replace: true });
    },
  });

  const links = (
    <>
      <li>
        <NavLink to="/dashboard" className={navClass}>
          Dashboard
        </NavLink>
      </li>
      <li>
        <NavLink to="/containers" className={navClass}>
          Containers
        </NavLink>
      </li>
      <li>
        <NavLink to="/vps" className={navClass}>
          VPS
        </NavLink>
      </li>
      <li>
        <NavLink to="/monitoring" className={navClass}>
          Monitoring
        </NavLink>
      </li>
      <li>
        <NavLink to="/images" className={navClass}>
          Images
        </NavLink>
      </li>
      <li>
        <NavLink to="/backups" className={navClass}>
          Backups
        </NavLink>
      </li>
      <li>
        <NavLink to="/billing" className={navClass}>
          Billing
        </NavLink>
      </li>
      <li>
        <NavLink to="/support" className={navClass}>
          Support
        </NavLink>
      </li>
      {current?.role === "owner" || current?.role === "admin" ? (
        <li>
          <NavLink to="/audit" className={navClass}>
            Audit log
          </NavLink>
        </li>
      ) : null}
      <li>
        <NavLink to="/webhooks" className={navClass}>
          Webhooks
        </NavLink>
      </li>
      <li>
        <NavLink to="/collaboration" className={navClass}>
          Team
        </NavLink>
      </li>
      <li>
        <NavLink to="/marketplace" className={navClass}>
          Marketplace
        </NavLink>
      </li>
      <li>
        <NavLink to="/resources" className={navClass}>
          Resources
        </NavLink>
      </li>
      {user.role === "admin" ? (
        <li>
          <NavLink to="/admin" className={navClass}>
            Admin
          </NavLink>
        </li>
      ) : null}
      {user.role === "admin" ? (
        <li>
          <NavLink to="/admin/payments" className={navClass}>
            Payments
          </NavLink>
        </li>
      ) : null}
      {user.role === "admin" ? (
        <li>
          <NavLink to="/admin/support" className={navClass}>
            Support desk
          </NavLink>
        </li>
      ) : null}
      {user.role === "admin" ? (
        <li>
          <NavLink to="/providers" className={navClass}>
            Providers
          </NavLink>
        </li>
      ) : null}
      {user.role === "admin" ? (
        <li>
          <NavLink to="/admin/packages" className={navClass}>
            Packages
          </NavLink>
        </li>
      ) : null}
      <li>
        <NavLink to="/profile" className={navClass}>
          Profile
        </NavLink>
      </li>
    </>
  );

  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-4 py-2 text-blue-800 focus:not-sr-only focus:absolute focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <header className="bg-slate-900 text-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link to="/dashboard" className="text-lg font-bold tracking-tight text-white">
            ContainerStacks
          </Link>
          {/* On its own row under the brand and the account controls, wrapping: it holds many pages. */}
          <nav aria-label="Main" className="hidden w-full md:order-last md:block">
            <ul className="flex flex-wrap gap-1">{links}</ul>
          </nav>
          {/* The bell goes with the account controls (at phone width alone, beside the menu button). */}
          <div className="ml-auto flex items-center gap-4">
            <div className="hidden items-center gap-4 md:flex">
              <OrganizationSwitcher />
              <span className="text-sm text-slate-200">{user.name}</span>
              <Button variant="secondary" onClick={() => logout.mutate()} busy={logout.isPending}>
                Sign out
              </Button>
            </div>
            <NotificationBell />
          </div>
          <button
            type="button"
            className="rounded-md px-3 py-2 text-sm font-semibold text-white ring-1 ring-slate-500 md:hidden"
            aria-expanded={menuOpen}
            aria-controls={menuId}
            onClick={() => setMenuFor(menuOpen ? null : location.pathname)}
          >
            Menu
          </button>
        </div>
        {menuOpen ? (
          <div id={menuId} className="border-t border-slate-700 px-4 pt-2 pb-4 md:hidden">
            <nav aria-label="Main">
              <ul className="flex flex-col gap-1">{links}</ul>
            </nav>
            <div className="mt-3 flex flex-col gap-3 border-t border-slate-700 pt-3">
              <OrganizationSwitcher />
              <p className="text-sm text-slate-200">Signed in as {user.name}</p>
              <Button variant="secondary" onClick={() => logout.mutate()} busy={logout.isPending}>
                Sign out
              </Button>
            </div>
          </div>
        ) : null}
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:py-8">
        {/* A new organization starts every page afresh (its lists, cursors and forms). */}
        <div key={organizationId}>
          <Suspense fallback={null}>
            <SuspensionBanner />
          </Suspense>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </div>
      </main>
      <footer className="border-t border-slate-200 py-4 text-center text-xs text-slate-600">
        ContainerStacks · <a className="underline" href="/api/openapi.json">API document</a>
      </footer>
    </div>
  );
}
