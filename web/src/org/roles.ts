// Organization roles, as the API checks them on every route (its OpenAPI document lists each route's
// `x-roles`). Pages hide what the caller's role may not do; the API refuses it anyway.
import type { Membership } from "../api/types";
import { useOrganization } from "./organization";

export type OrgRole = Membership["role"];

export const ROLES: readonly OrgRole[] = ["owner", "admin", "developer", "billing", "viewer"];

/** Deploy and operate containers (and VPS instances). */
export const OPERATE: readonly OrgRole[] = ["owner", "admin", "developer"];
/** Move money: top-ups and payment methods. */
export const PAY: readonly OrgRole[] = ["owner", "admin", "billing"];
/** Members, invitations and projects. */
export const MANAGE: readonly OrgRole[] = ["owner", "admin"];

export const ROLE_DESCRIPTIONS: Record<OrgRole, string> = {
  owner: "Everything, including the owner role itself",
  admin: "Everything except touching owners: members, invitations, projects, deploys, billing",
  developer: "Deploys and operates containers",
  billing: "Wallet, invoices and payment methods",
  viewer: "Reads only",
};

export function allows(role: OrgRole | undefined, group: readonly OrgRole[]): boolean {
  return role !== undefined && group.includes(role);
}

/** The caller's role in the organization acted in, and what it allows. */
export function useRole() {
  const { current } = useOrganization();
  const role = current?.role;
  return {
    role,
    canOperate: allows(role, OPERATE),
    canPay: allows(role, PAY),
    canManage: allows(role, MANAGE),
    isOwner: role === "owner",
  };
}
