import { NavLink, Outlet } from "react-router";

const LINKS = [
  ["/admin", "Figures"],
  ["/admin/users", "Users"],
  ["/admin/organizations", "Organizations"],
  ["/admin/hosts", "Hosts"],
  ["/admin/clusters", "Clusters"],
  ["/admin/audit", "Audit log"],
] as const;

function tabClass({ isActive }: { isActive: boolean }): string {
  return `inline-block rounded-md px-3 py-1.5 text-sm font-medium ${
    isActive ? "bg-blue-700 text-white" : "text-slate-800 ring-1 ring-slate-300 ring-inset hover:bg-slate-100"
  }`;
}

/** The admin area's pages under one sub-navigation. */
export default function AdminLayout() {
  return (
    <>
      <nav aria-label="Admin" className="mb-6">
        <ul className="flex flex-wrap gap-2">
          {LINKS.map(([to, label]) => (
            <li key={to}>
              <NavLink to={to} end={to === "/admin"} className={tabClass}>
                {label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
